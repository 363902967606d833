import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SignedIn } from '../auth/signed-in.guard.js';
import { CurrentViewer, type Viewer } from '../auth/viewer.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { RateLimited } from '../common/rate-limit/rate-limit.js';
import { CommentDto } from '../comments/dto/comment.dto.js';
import {
  AuthorRecordDto,
  BanDto,
  BannedWordsDto,
  BannedWordsListDto,
  BanResultDto,
  BansPageDto,
  CommentReportsPageDto,
  LogPageDto,
  ModerationSummaryDto,
  QueuePageDto,
  QueueQueryDto,
  ReasonDto,
} from './dto/moderation.dto.js';
import { BansService } from './bans.service.js';
import { ModerationAdminService } from './moderation-admin.service.js';
import { ModerationSummary } from './moderation-summary.js';
import { ModerationService } from './moderation.service.js';
import { ReportsService } from './reports.service.js';

@ApiTags('moderation')
@Controller('moderation')
@SignedIn()
export class ModerationController {
  constructor(
    private readonly moderation: ModerationService,
    private readonly banning: BansService,
    private readonly admin: ModerationAdminService,
    private readonly summaries: ModerationSummary,
    private readonly reports: ReportsService,
  ) {}

  @Get('summary')
  @ApiOperation({ summary: 'How many comments wait in each queue (pending, reported, removed)' })
  @ApiOkResponse({ type: ModerationSummaryDto })
  @ApiErrorResponses(401, 403)
  summary(@CurrentViewer() viewer: Viewer): Promise<ModerationSummaryDto> {
    return this.summaries.forViewer(viewer);
  }

  @Get('queue')
  @ApiOperation({ summary: 'A moderation queue: pending (oldest first), reported (most reported first) or removed' })
  @ApiOkResponse({ type: QueuePageDto })
  @ApiErrorResponses(400, 401, 403)
  queue(@Query() query: QueueQueryDto, @CurrentViewer() viewer: Viewer): Promise<QueuePageDto> {
    return this.moderation.queue(query, viewer);
  }

  @Post('comments/:id/approve')
  @HttpCode(200)
  @RateLimited()
  @ApiOperation({ summary: 'Approve a pending or reported comment (closes its open reports)' })
  @ApiOkResponse({ type: CommentDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  approve(@Param('id') id: string, @Body() body: ReasonDto, @CurrentViewer() viewer: Viewer): Promise<CommentDto> {
    return this.moderation.act('approve', id, body.reason, viewer);
  }

  @Post('comments/:id/remove')
  @HttpCode(200)
  @RateLimited()
  @ApiOperation({ summary: 'Remove a comment: readers see a placeholder (closes its open reports)' })
  @ApiOkResponse({ type: CommentDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  remove(@Param('id') id: string, @Body() body: ReasonDto, @CurrentViewer() viewer: Viewer): Promise<CommentDto> {
    return this.moderation.act('remove', id, body.reason, viewer);
  }

  @Post('comments/:id/restore')
  @HttpCode(200)
  @RateLimited()
  @ApiOperation({ summary: 'Restore a removed comment' })
  @ApiOkResponse({ type: CommentDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  restore(@Param('id') id: string, @Body() body: ReasonDto, @CurrentViewer() viewer: Viewer): Promise<CommentDto> {
    return this.moderation.act('restore', id, body.reason, viewer);
  }

  @Post('comments/:id/feature')
  @HttpCode(200)
  @RateLimited()
  @ApiOperation({ summary: 'Feature a visible top-level comment (listed with ?featured=true; idempotent)' })
  @ApiOkResponse({ type: CommentDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  feature(@Param('id') id: string, @CurrentViewer() viewer: Viewer): Promise<CommentDto> {
    return this.moderation.feature(id, true, viewer);
  }

  @Delete('comments/:id/feature')
  @HttpCode(200)
  @RateLimited()
  @ApiOperation({ summary: 'Take the featured mark off a comment (idempotent)' })
  @ApiOkResponse({ type: CommentDto })
  @ApiErrorResponses(400, 401, 403, 404)
  unfeature(@Param('id') id: string, @CurrentViewer() viewer: Viewer): Promise<CommentDto> {
    return this.moderation.feature(id, false, viewer);
  }

  @Get('comments/:id/reports')
  @ApiOperation({ summary: 'A comment’s reports, open and closed, newest first, with how many are open' })
  @ApiOkResponse({ type: CommentReportsPageDto })
  @ApiErrorResponses(400, 401, 403, 404)
  commentReports(
    @Param('id') id: string,
    @Query() query: PageQueryDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<CommentReportsPageDto> {
    return this.reports.forComment(id, query.limit ?? 20, query.cursor, viewer);
  }

  @Get('comments/:id/history')
  @ApiOperation({ summary: 'What moderators did to a comment (the log’s entries for it), newest first' })
  @ApiOkResponse({ type: LogPageDto })
  @ApiErrorResponses(400, 401, 403, 404)
  commentHistory(
    @Param('id') id: string,
    @Query() query: PageQueryDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<LogPageDto> {
    return this.admin.commentHistory(id, query.limit ?? 20, query.cursor, viewer);
  }

  @Get('users/:id/record')
  @ApiOperation({
    summary: 'A user’s moderation record: removals of their comments and bans (counts, the ban in force, the entries)',
  })
  @ApiOkResponse({ type: AuthorRecordDto })
  @ApiErrorResponses(400, 401, 403, 404)
  authorRecord(
    @Param('id') id: string,
    @Query() query: PageQueryDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<AuthorRecordDto> {
    return this.admin.authorRecord(id, query.limit ?? 20, query.cursor, viewer);
  }

  @Post('users/:id/ban')
  @HttpCode(200)
  @RateLimited()
  @ApiOperation({ summary: 'Ban a user from writing, until a time or without end' })
  @ApiOkResponse({ type: BanResultDto })
  @ApiErrorResponses(400, 401, 403, 404)
  ban(@Param('id') id: string, @Body() body: BanDto, @CurrentViewer() viewer: Viewer): Promise<BanResultDto> {
    return this.banning.ban(id, body, viewer);
  }

  @Delete('users/:id/ban')
  @HttpCode(204)
  @RateLimited()
  @ApiOperation({ summary: 'Lift a ban' })
  @ApiNoContentResponse()
  @ApiErrorResponses(401, 403, 404)
  unban(@Param('id') id: string, @CurrentViewer() viewer: Viewer): Promise<void> {
    return this.banning.unban(id, viewer);
  }

  @Get('bans')
  @ApiOperation({
    summary: 'The users under a ban in force (expired and lifted bans are not listed), newest ban first',
  })
  @ApiOkResponse({ type: BansPageDto })
  @ApiErrorResponses(400, 401, 403)
  bans(@Query() query: PageQueryDto, @CurrentViewer() viewer: Viewer): Promise<BansPageDto> {
    return this.banning.bans(query.limit ?? 20, query.cursor, viewer);
  }

  @Get('banned-words')
  @ApiOperation({ summary: 'The banned-word list' })
  @ApiOkResponse({ type: BannedWordsListDto })
  @ApiErrorResponses(401, 403)
  async bannedWords(@CurrentViewer() viewer: Viewer): Promise<BannedWordsListDto> {
    return { words: await this.admin.bannedWordList(viewer) };
  }

  @Put('banned-words')
  @RateLimited()
  @ApiOperation({ summary: 'Replace the banned-word list (a comment containing one goes to pending)' })
  @ApiOkResponse({ type: BannedWordsListDto })
  @ApiErrorResponses(400, 401, 403)
  async replaceBannedWords(@Body() body: BannedWordsDto, @CurrentViewer() viewer: Viewer): Promise<BannedWordsListDto> {
    return { words: await this.admin.replaceBannedWords(body.words, viewer) };
  }

  @Get('log')
  @ApiOperation({ summary: 'Every moderator and admin action, newest first' })
  @ApiOkResponse({ type: LogPageDto })
  @ApiErrorResponses(400, 401, 403)
  logPage(@Query() query: PageQueryDto, @CurrentViewer() viewer: Viewer): Promise<LogPageDto> {
    return this.admin.logPage(query.limit ?? 20, query.cursor, viewer);
  }
}
