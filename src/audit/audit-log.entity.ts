import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

export const MODERATION_ACTIONS = [
  'comment.approve',
  'comment.remove',
  'comment.restore',
  'user.ban',
  'user.unban',
  'user.role',
  'banned-words.update',
  'article.settings',
  'article.create',
  'article.revise',
  'comment.feature',
  'comment.unfeature',
] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];
/**
 * What a user did to their own account's security: recorded for the record (who, what, when), never with the address
 * or a token, and left out of the moderators' log, which lists what moderators and admins did.
 */
export const ACCOUNT_ACTIONS = [
  'account.password-change',
  'account.password-reset',
  'account.email-change',
  'account.delete',
] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];
export type AuditAction = ModerationAction | AccountAction;

/** Append-only record of every moderator and admin action (the moderation log): written by any domain, read by moderation. */
@Entity({ name: 'moderation_log' })
@Index('moderation_log_actor_idx', ['actorId', 'id'])
/** The latest ban of a user (the moderators' list of bans says when and by whom). */
@Index('moderation_log_user_ban_idx', ['userId', 'id'], { where: `"action" = 'user.ban'` })
/** The latest removal of a comment (its author and moderators see the reason on the comment). */
@Index('moderation_log_comment_remove_idx', ['commentId', 'id'], { where: `"action" = 'comment.remove'` })
/** One comment's history and one user's record (moderators read them beside a queued comment). */
@Index('moderation_log_comment_idx', ['commentId', 'id'], { where: '"comment_id" IS NOT NULL' })
@Index('moderation_log_user_idx', ['userId', 'id'], { where: '"user_id" IS NOT NULL' })
@Check(
  'moderation_log_action_check',
  `"action" IN ('comment.approve', 'comment.remove', 'comment.restore', 'user.ban', 'user.unban', 'user.role', 'banned-words.update', 'article.settings', 'article.create', 'account.password-change', 'account.password-reset', 'account.email-change', 'article.revise', 'comment.feature', 'comment.unfeature', 'account.delete')`,
)
export class ModerationLogEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: string;

  /** Who acted (a user, named by its table: the audit log sits below the domains and imports none of them). */
  @Column({ name: 'actor_id', type: 'bigint' })
  @ForeignKey('users', { onDelete: 'RESTRICT' })
  actorId: string;

  @Column({ type: 'varchar', length: 32 })
  action: AuditAction;

  @Column({ name: 'comment_id', type: 'bigint', nullable: true })
  commentId: string | null;

  @Column({ name: 'user_id', type: 'bigint', nullable: true })
  userId: string | null;

  @Column({ name: 'article_id', type: 'bigint', nullable: true })
  articleId: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** What changed (e.g. the new settings, the ban's end, the word list). */
  @Column({ type: 'json', nullable: true })
  details: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
