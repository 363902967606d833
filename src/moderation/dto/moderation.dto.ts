import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsEntityId } from '../../common/ids.js';
import { IsInstant } from '../../common/validation.js';
import { PageCursor, PageLimit } from '../../common/pagination/page-query.dto.js';
import { CommentDto } from '../../comments/dto/comment.dto.js';
import { ArticleRefDto } from '../../articles/dto/article.dto.js';
import { UserDto } from '../../users/dto/user.dto.js';
import { MODERATION_ACTIONS, type ModerationAction } from '../../audit/audit-log.entity.js';
import { REPORT_REASONS, type ReportReason } from '../report.entity.js';
import { MODERATION_REASON_MAX } from '../../common/limits.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

import { QUEUES, type Queue } from '../../common/limits.js';

export { QUEUES, type Queue } from '../../common/limits.js';

export class QueueQueryDto {
  @ApiPropertyOptional({ enum: QUEUES, default: 'pending' })
  @IsOptional()
  @IsIn(QUEUES)
  status?: Queue;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId('an article')
  articleId?: string;

  @PageLimit()
  limit?: number;

  @PageCursor()
  cursor?: string;
}

export class ReasonDto {
  @ApiPropertyOptional({ maxLength: MODERATION_REASON_MAX })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(MODERATION_REASON_MAX)
  reason?: string;
}

export class BanDto {
  @ApiProperty({ minLength: 1, maxLength: MODERATION_REASON_MAX })
  @Transform(trim)
  @IsString()
  @Length(1, MODERATION_REASON_MAX)
  reason: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the ban ends; absent: no end' })
  @IsOptional()
  @IsInstant()
  until?: string;
}

export class BannedWordsDto {
  @ApiProperty({ type: [String], maxItems: 1000 })
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  words: string[];
}

export class QueueReportDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ enum: REPORT_REASONS })
  reason: ReportReason;

  @ApiProperty({ type: String, nullable: true })
  note: string | null;

  @ApiProperty({ enum: ['open', 'closed'] })
  status: 'open' | 'closed';

  @ApiProperty({ type: UserDto })
  reporter: UserDto;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class QueueItemDto extends CommentDto {
  @ApiProperty()
  articleSlug: string;

  @ApiProperty({ type: [QueueReportDto] })
  reports: QueueReportDto[];
}

export class QueuePageDto {
  @ApiProperty({ type: [QueueItemDto] })
  items: QueueItemDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class ModerationSummaryDto {
  @ApiProperty({ description: 'Comments waiting for approval' })
  pending: number;

  @ApiProperty({ description: 'Visible comments with open reports' })
  reported: number;

  @ApiProperty({ description: 'Removed comments' })
  removed: number;
}

export class BanResultDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  until: string | null;

  @ApiProperty()
  reason: string;
}

export class LogEntryDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ type: UserDto, description: 'Who acted' })
  actor: UserDto;

  @ApiProperty({ enum: MODERATION_ACTIONS })
  action: ModerationAction;

  @ApiProperty({ type: String, nullable: true })
  commentId: string | null;

  @ApiProperty({ type: String, nullable: true })
  userId: string | null;

  @ApiProperty({ type: String, nullable: true })
  articleId: string | null;

  @ApiProperty({ type: String, nullable: true })
  reason: string | null;

  @ApiProperty({ nullable: true, description: 'What changed', type: 'object', additionalProperties: true })
  details: unknown;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: UserDto, nullable: true, description: 'The user acted on (userId), when there is one' })
  user: UserDto | null;

  @ApiProperty({
    type: ArticleRefDto,
    nullable: true,
    description: 'The article acted on (articleId), when there is one',
  })
  article: ArticleRefDto | null;
}

export class LogPageDto {
  @ApiProperty({ type: [LogEntryDto] })
  items: LogEntryDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class BannedWordsListDto {
  @ApiProperty({ type: [String] })
  words: string[];
}

export class BannedUserDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the ban ends; null: no end' })
  until: string | null;

  @ApiProperty()
  reason: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the ban in force was set (from the moderation log; null when the log holds no entry for it)',
  })
  bannedAt: string | null;

  @ApiProperty({ type: UserDto, nullable: true, description: 'Who set the ban in force (from the moderation log)' })
  bannedBy: UserDto | null;
}

export class BansPageDto {
  @ApiProperty({ type: [BannedUserDto] })
  items: BannedUserDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class CommentReportsPageDto {
  @ApiProperty({ type: [QueueReportDto], description: 'Newest first, open and closed' })
  items: QueueReportDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;

  @ApiProperty({ description: 'How many of the comment’s reports are open (on every page)' })
  open: number;
}

export class RecordBanDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: a ban without end' })
  until: string | null;

  @ApiProperty({ type: String, nullable: true })
  reason: string | null;
}

export class AuthorRecordDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ description: 'How many times a moderator removed one of their comments, over all time' })
  removals: number;

  @ApiProperty({ description: 'How many bans they were given, over all time' })
  bans: number;

  @ApiProperty({ type: RecordBanDto, nullable: true, description: 'The ban in force now, if any' })
  ban: RecordBanDto | null;

  @ApiProperty({
    type: [LogEntryDto],
    description:
      'Newest first: bans, unbans and role changes made to them, removals and restorations of their comments',
  })
  items: LogEntryDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
