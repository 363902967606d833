import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { AccountDto } from '../../auth/dto/account.dto.js';
import { PASSWORD_MAX, REPORT_REASONS, type ReportReason } from '../../common/limits.js';
import { COMMENT_STATUSES, type CommentStatus, STANCES, type Stance } from '../../comments/comment.entity.js';
import { FollowDto, NotificationDto } from '../../notifications/dto/notification.dto.js';
import { UserDto } from '../../users/dto/user.dto.js';

/**
 * The most entries one list of an export holds (comments, votes, ...): an answer of bounded size, which the most
 * prolific reader of a forum is far from reaching; `complete` says when one did.
 */
export const EXPORT_MAX_ITEMS = 20_000;

export class DeleteAccountDto {
  @ApiProperty({ description: 'Your password: deleting the account asks for it, as signing in does.' })
  @IsString()
  @MaxLength(PASSWORD_MAX)
  password: string;
}

export class ExportedArticleRefDto {
  @ApiProperty()
  id: string;

  @ApiProperty()
  slug: string;

  @ApiProperty()
  title: string;
}

export class ExportedVersionDto {
  @ApiProperty({ description: 'The Markdown the version had' })
  body: string;

  @ApiProperty({ format: 'date-time', description: 'When this version was written' })
  createdAt: string;

  @ApiProperty({ description: 'Readers could read this version' })
  public: boolean;
}

export class ExportedCommentDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ type: ExportedArticleRefDto })
  article: ExportedArticleRefDto;

  @ApiProperty({ type: String, nullable: true })
  parentId: string | null;

  @ApiProperty({ description: 'The Markdown as it stands now' })
  body: string;

  @ApiProperty({ enum: COMMENT_STATUSES })
  status: CommentStatus;

  @ApiProperty({ enum: STANCES, nullable: true })
  stance: Stance | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  editedAt: string | null;

  @ApiProperty()
  upvotes: number;

  @ApiProperty()
  downvotes: number;

  @ApiProperty({ type: [ExportedVersionDto], description: 'Every earlier version, oldest first' })
  versions: ExportedVersionDto[];
}

export class ExportedVoteDto {
  @ApiProperty()
  commentId: string;

  @ApiProperty({ enum: [-1, 1] })
  value: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', description: 'When the vote last changed' })
  updatedAt: string;
}

export class ExportedReportDto {
  @ApiProperty()
  commentId: string;

  @ApiProperty({ enum: REPORT_REASONS })
  reason: ReportReason;

  @ApiProperty({ type: String, nullable: true })
  note: string | null;

  @ApiProperty({ enum: ['open', 'closed'] })
  status: 'open' | 'closed';

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class AccountExportDto {
  @ApiProperty({ format: 'date-time', description: 'When the export was read (one consistent snapshot)' })
  exportedAt: string;

  @ApiProperty({
    description: `False when a list reached the export's limit of ${EXPORT_MAX_ITEMS} entries and holds only the first ones`,
  })
  complete: boolean;

  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ type: AccountDto })
  account: AccountDto;

  @ApiProperty({ type: [ExportedCommentDto], description: 'Every comment of yours, oldest first, with its versions' })
  comments: ExportedCommentDto[];

  @ApiProperty({ type: [ExportedVoteDto] })
  votes: ExportedVoteDto[];

  @ApiProperty({ type: [ExportedReportDto], description: 'The reports you filed' })
  reports: ExportedReportDto[];

  @ApiProperty({ type: [NotificationDto], description: 'Your notifications as your inbox shows them, newest first' })
  notifications: NotificationDto[];

  @ApiProperty({ type: [FollowDto], description: 'What you follow, as GET /api/follows lists it' })
  follows: FollowDto[];
}
