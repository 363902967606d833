import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentViewer, type Viewer } from '../auth/viewer.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { CommentsService } from './comments.service.js';
import { PermalinkDto, RepliesPageDto, ThreadPageDto } from './dto/comment.dto.js';
import { PermalinkQueryDto, RepliesQueryDto, ThreadQueryDto } from './dto/thread-query.dto.js';

@ApiTags('comments')
@Controller()
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Get('articles/:slug/comments')
  @ApiOperation({ summary: 'An article’s thread: a page of top-level comments with nested replies' })
  @ApiOkResponse({ type: ThreadPageDto })
  @ApiErrorResponses(400, 404)
  thread(@Param('slug') slug: string, @Query() query: ThreadQueryDto, @CurrentViewer() viewer: Viewer): Promise<ThreadPageDto> {
    return this.comments.thread(slug, query, viewer);
  }

  @Get('comments/:id')
  @ApiOperation({ summary: 'A comment’s permalink: the comment with its replies and its ancestors' })
  @ApiOkResponse({ type: PermalinkDto })
  @ApiErrorResponses(400, 404)
  permalink(@Param('id') id: string, @Query() query: PermalinkQueryDto, @CurrentViewer() viewer: Viewer): Promise<PermalinkDto> {
    return this.comments.permalink(id, query, viewer);
  }

  @Get('comments/:id/replies')
  @ApiOperation({ summary: 'Load more replies of a comment' })
  @ApiOkResponse({ type: RepliesPageDto })
  @ApiErrorResponses(400, 404)
  replies(@Param('id') id: string, @Query() query: RepliesQueryDto, @CurrentViewer() viewer: Viewer): Promise<RepliesPageDto> {
    return this.comments.replies(id, query, viewer);
  }
}
