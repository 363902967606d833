import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { ArticleRefDto } from '../../articles/dto/article.dto.js';
import { CommentDto } from '../../comments/dto/comment.dto.js';
import { IsEntityId } from '../../common/ids.js';
import { MARK_READ_IDS_MAX } from '../../common/limits.js';
import { PageCursor, PageLimit } from '../../common/pagination/page-query.dto.js';
import { UserDto } from '../../users/dto/user.dto.js';
import { NOTIFICATION_KINDS, type NotificationKind } from '../notification.entity.js';

export class NotificationDto {
  @ApiProperty({ example: '12' })
  id: string;

  @ApiProperty({ enum: NOTIFICATION_KINDS })
  kind: NotificationKind;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt: string | null;

  @ApiProperty({
    type: UserDto,
    nullable: true,
    description: 'Who did it: the comment’s author, or the moderator who decided',
  })
  actor: UserDto | null;

  @ApiProperty({ type: ArticleRefDto, nullable: true })
  article: ArticleRefDto | null;

  @ApiProperty({
    type: CommentDto,
    nullable: true,
    description:
      'The comment as the recipient may see it now (a placeholder once it was deleted or removed, never its body); null once it is gone',
  })
  comment: CommentDto | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The moderator’s reason, for approved, removed and restored; null otherwise',
  })
  reason: string | null;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] })
  items: NotificationDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;

  @ApiProperty({ description: 'The recipient’s unread notifications, all pages together' })
  unreadCount: number;
}

export class NotificationsQueryDto {
  @PageLimit()
  limit?: number;

  @PageCursor()
  cursor?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only the unread ones' })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

export class MarkReadDto {
  @ApiPropertyOptional({
    type: [String],
    maxItems: MARK_READ_IDS_MAX,
    description: `Up to ${MARK_READ_IDS_MAX} of one’s notification ids; without ids, every notification is marked read`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MARK_READ_IDS_MAX)
  @IsEntityId('a notification', { each: true })
  ids?: string[];
}

export class UnreadCountDto {
  @ApiProperty()
  unreadCount: number;
}

export const FOLLOW_KINDS = ['article', 'comment'] as const;

export class FollowDto {
  @ApiProperty({
    enum: FOLLOW_KINDS,
    description: 'article: every new top-level comment; comment: every new comment under it',
  })
  kind: (typeof FOLLOW_KINDS)[number];

  @ApiProperty({ type: ArticleRefDto })
  article: ArticleRefDto;

  @ApiProperty({
    type: CommentDto,
    nullable: true,
    description: 'With kind comment: the comment as the viewer may see it now; null with kind article',
  })
  comment: CommentDto | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class FollowPageDto {
  @ApiProperty({ type: [FollowDto] })
  items: FollowDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
