import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { CACHED_READ_HEADERS, CachedForReaders, ReaderCache } from '../articles/reader-cache.js';
import { SignedIn } from '../auth/signed-in.guard.js';
import { CurrentViewer, type Viewer } from '../auth/viewer.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { IdempotencyKey } from '../common/idempotency/idempotency-key.decorator.js';
import { LookupRateLimited, RateLimited } from '../common/rate-limit/rate-limit.js';
import { CommentWritesService } from './comment-writes.service.js';
import { CommentsService, threadQueryKey } from './comments.service.js';
import { CommentDto, PermalinkDto, RepliesPageDto, ThreadPageDto } from './dto/comment.dto.js';
import {
  CommentPreviewDto,
  CreateCommentDto,
  EditCommentDto,
  HistoryDto,
  HistoryQueryDto,
} from './dto/write-comment.dto.js';
import { PermalinkQueryDto, RepliesQueryDto, ThreadQueryDto } from './dto/thread-query.dto.js';

@ApiTags('comments')
@Controller()
export class CommentsController {
  constructor(
    private readonly comments: CommentsService,
    private readonly writes: CommentWritesService,
    private readonly readers: ReaderCache,
  ) {}

  @Post('comments/preview')
  @HttpCode(200)
  @SignedIn()
  @LookupRateLimited()
  @ApiOperation({
    summary: 'A comment body as it would be shown, posting nothing (the reply box’s preview)',
    description: 'Checked as an edit’s body is. Limited like the lookups made while typing (120 a minute).',
  })
  @ApiOkResponse({ type: CommentPreviewDto })
  @ApiErrorResponses(400, 401, 429)
  preview(@Body() body: EditCommentDto, @CurrentViewer() viewer: Viewer): Promise<CommentPreviewDto> {
    return this.writes.preview(body.body, viewer);
  }

  @Post('articles/:slug/comments')
  @SignedIn()
  @RateLimited()
  @ApiOperation({ summary: 'Post a comment on an article, or a reply to one of its comments' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '1-128 characters; a retry with the same key returns the first answer',
  })
  @ApiCreatedResponse({ type: CommentDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 422, 429)
  create(
    @Param('slug') slug: string,
    @Body() body: CreateCommentDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentViewer() viewer: Viewer,
  ): Promise<CommentDto> {
    return this.comments.create(slug, body, viewer, idempotencyKey);
  }

  @Patch('comments/:id')
  @SignedIn()
  @RateLimited()
  @ApiOperation({
    summary: 'Edit one’s own comment (earlier versions are kept)',
    description:
      'In a premoderated essay (or with a banned word) the edited comment goes back to pending until a moderator approves it. Refused in a locked thread (403, except to moderators) and past 50 edits (409).',
  })
  @ApiOkResponse({ type: CommentDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 429)
  edit(@Param('id') id: string, @Body() body: EditCommentDto, @CurrentViewer() viewer: Viewer): Promise<CommentDto> {
    return this.comments.edit(id, body.body, viewer);
  }

  @Delete('comments/:id')
  @HttpCode(204)
  @SignedIn()
  @RateLimited()
  @ApiOperation({ summary: 'Delete one’s own comment (a placeholder keeps its replies in place)' })
  @ApiNoContentResponse()
  @ApiErrorResponses(401, 403, 404, 429)
  delete(@Param('id') id: string, @CurrentViewer() viewer: Viewer): Promise<void> {
    return this.writes.delete(id, viewer);
  }

  @Get('comments/:id/history')
  @ApiOperation({
    summary: 'Earlier versions of an edited comment, oldest first, a page at a time',
    description: 'Readers get only the versions they could once read; the author and moderators get every version.',
  })
  @ApiOkResponse({ type: HistoryDto })
  @ApiErrorResponses(400, 403, 404)
  history(
    @Param('id') id: string,
    @Query() query: HistoryQueryDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<HistoryDto> {
    return this.writes.history(id, query, viewer);
  }

  @Get('articles/:slug/comments')
  @ApiOperation({
    summary: 'An article’s thread: a page of top-level comments with nested replies',
    description:
      'Anonymous readers’ answers are cached by the article’s event number and carry an ETag (304 on a matching If-None-Match); signed-in readers’ are made for them (their votes and follows).',
  })
  @ApiOkResponse({ type: ThreadPageDto, headers: CACHED_READ_HEADERS })
  @CachedForReaders()
  @ApiErrorResponses(400, 404)
  thread(
    @Param('slug') slug: string,
    @Query() query: ThreadQueryDto,
    @CurrentViewer() viewer: Viewer,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.readers.answer(req, res, viewer, { kind: 'thread', slug, query: threadQueryKey(query) }, (article) =>
      this.comments.threadOf(article, query, viewer),
    );
  }

  @Get('comments/:id')
  @ApiOperation({ summary: 'A comment’s permalink: the comment with its replies and its ancestors' })
  @ApiOkResponse({ type: PermalinkDto })
  @ApiErrorResponses(400, 404)
  permalink(
    @Param('id') id: string,
    @Query() query: PermalinkQueryDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<PermalinkDto> {
    return this.comments.permalink(id, query, viewer);
  }

  @Get('comments/:id/replies')
  @ApiOperation({ summary: 'Load more replies of a comment' })
  @ApiOkResponse({ type: RepliesPageDto })
  @ApiErrorResponses(400, 404)
  replies(
    @Param('id') id: string,
    @Query() query: RepliesQueryDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<RepliesPageDto> {
    return this.comments.replies(id, query, viewer);
  }
}
