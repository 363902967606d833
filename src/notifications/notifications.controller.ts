import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SignedIn } from '../auth/signed-in.guard.js';
import { CurrentViewer, type Viewer } from '../auth/viewer.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { RateLimited } from '../common/rate-limit/rate-limit.js';
import {
  FollowPageDto,
  MarkReadDto,
  NotificationPageDto,
  NotificationsQueryDto,
  UnreadCountDto,
} from './dto/notification.dto.js';
import { FollowsService } from './follows.service.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('notifications')
@Controller()
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly follows: FollowsService,
  ) {}

  @Get('notifications')
  @SignedIn()
  @ApiOperation({ summary: 'One’s notifications, newest first, with the unread count' })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiErrorResponses(400, 401)
  list(@Query() query: NotificationsQueryDto, @CurrentViewer() viewer: Viewer): Promise<NotificationPageDto> {
    return this.notifications.list(query, viewer);
  }

  @Post('notifications/read')
  @HttpCode(200)
  @SignedIn()
  @RateLimited()
  @ApiOperation({ summary: 'Mark some of one’s notifications read (without ids: all of them)' })
  @ApiOkResponse({ type: UnreadCountDto })
  @ApiErrorResponses(400, 401, 429)
  markRead(@Body() body: MarkReadDto, @CurrentViewer() viewer: Viewer): Promise<UnreadCountDto> {
    return this.notifications.markRead(body, viewer);
  }

  @Get('follows')
  @SignedIn()
  @ApiOperation({ summary: 'The essays and threads one follows, newest first' })
  @ApiOkResponse({ type: FollowPageDto })
  @ApiErrorResponses(400, 401)
  listFollows(@Query() query: PageQueryDto, @CurrentViewer() viewer: Viewer): Promise<FollowPageDto> {
    return this.follows.list(query, viewer);
  }

  @Put('articles/:slug/follow')
  @HttpCode(204)
  @SignedIn()
  @RateLimited()
  @ApiOperation({
    summary: 'Follow an essay: every new top-level comment notifies you (idempotent)',
    description: 'One follows at most 5,000 essays and threads: past that, 409.',
  })
  @ApiNoContentResponse()
  @ApiErrorResponses(401, 403, 404, 409, 429)
  followArticle(@Param('slug') slug: string, @CurrentViewer() viewer: Viewer): Promise<void> {
    return this.follows.followArticle(slug, viewer);
  }

  @Delete('articles/:slug/follow')
  @HttpCode(204)
  @SignedIn()
  @RateLimited()
  @ApiOperation({ summary: 'Stop following an essay (idempotent)' })
  @ApiNoContentResponse()
  @ApiErrorResponses(401, 403, 404, 429)
  unfollowArticle(@Param('slug') slug: string, @CurrentViewer() viewer: Viewer): Promise<void> {
    return this.follows.unfollowArticle(slug, viewer);
  }

  @Put('comments/:id/follow')
  @HttpCode(204)
  @SignedIn()
  @RateLimited()
  @ApiOperation({
    summary: 'Follow a thread: every new comment anywhere under this one notifies you (idempotent)',
    description: 'One follows at most 5,000 essays and threads: past that, 409.',
  })
  @ApiNoContentResponse()
  @ApiErrorResponses(401, 403, 404, 409, 429)
  followComment(@Param('id') id: string, @CurrentViewer() viewer: Viewer): Promise<void> {
    return this.follows.followComment(id, viewer);
  }

  @Delete('comments/:id/follow')
  @HttpCode(204)
  @SignedIn()
  @RateLimited()
  @ApiOperation({ summary: 'Stop following a thread (idempotent)' })
  @ApiNoContentResponse()
  @ApiErrorResponses(401, 403, 404, 429)
  unfollowComment(@Param('id') id: string, @CurrentViewer() viewer: Viewer): Promise<void> {
    return this.follows.unfollowComment(id, viewer);
  }
}
