import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CommentEntity } from '../comments/comment.entity.js';
import { MODERATION_REASON_MAX } from '../common/limits.js';
import { UserEntity } from '../users/user.entity.js';

/** What a notification tells its recipient, in the contract's words. */
export const NOTIFICATION_KINDS = ['reply', 'mention', 'quote', 'followed', 'approved', 'removed', 'restored'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * The kinds a new comment gives its readers, in order of precedence: one comment gives one recipient at most one of
 * them (the partial unique index below), the first that applies.
 */
export const COMMENT_KINDS = ['reply', 'mention', 'quote', 'followed'] as const satisfies readonly NotificationKind[];

/** One entry of a user's inbox. The comment is shown as the recipient may see it when the inbox is read. */
@Entity({ name: 'notifications' })
@Index('notifications_recipient_idx', ['recipientId', 'createdAt', 'id'])
@Index('notifications_unread_idx', ['recipientId'], { where: '"read_at" IS NULL' })
@Index('notifications_comment_recipient_key', ['commentId', 'recipientId'], {
  unique: true,
  where: `"kind" IN ('reply', 'mention', 'quote', 'followed')`,
})
@Index('notifications_moderation_log_key', ['moderationLogId'], {
  unique: true,
  where: '"moderation_log_id" IS NOT NULL',
})
@Check('notifications_kind_check', `"kind" IN (${NOTIFICATION_KINDS.map((k) => `'${k}'`).join(', ')})`)
export class NotificationEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: string;

  @Column({ name: 'recipient_id', type: 'bigint' })
  recipientId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'recipient_id' })
  recipient?: UserEntity;

  @Column({ type: 'varchar', length: 16 })
  kind: NotificationKind;

  /**
   * The moderator who decided, for approved/removed/restored. Null for the comment kinds, whose actor is their
   * comment's author, as their essay is their comment's (read through the comment, not stored per row).
   */
  @Column({ name: 'actor_id', type: 'bigint', nullable: true })
  actorId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'actor_id' })
  actor?: UserEntity | null;

  @Column({ name: 'comment_id', type: 'bigint', nullable: true })
  commentId: string | null;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'comment_id' })
  comment?: CommentEntity | null;

  /** For approved/removed/restored: the decision's moderation log entry (one notification per decision). */
  @Column({ name: 'moderation_log_id', type: 'bigint', nullable: true })
  moderationLogId: string | null;

  /** The moderator's reason, for approved/removed/restored; null otherwise. */
  @Column({ type: 'varchar', length: MODERATION_REASON_MAX, nullable: true })
  reason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'read_at', type: 'timestamptz', precision: 3, nullable: true })
  readAt: Date | null;

  /** When it went out by mail (alone, with others, or in a digest); null: not mailed (yet, or ever). */
  @Column({ name: 'mailed_at', type: 'timestamptz', precision: 3, nullable: true })
  mailedAt: Date | null;
}
