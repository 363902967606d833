import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EMAIL_NOTIFICATIONS, type EmailNotifications, USER_ROLES, type UserRole } from '../common/limits.js';

export { EMAIL_NOTIFICATIONS, type EmailNotifications, USER_ROLES, type UserRole };

@Entity({ name: 'users' })
/** The moderators' list of bans reads only the (few) banned users. */
@Index('users_banned_idx', ['id'], { where: '"banned"' })
@Check('users_role_check', `"role" IN ('reader', 'moderator', 'admin')`)
/**
 * A verified address belongs to one account: password reset finds the account by it. An unverified one may stand on
 * several (nobody holds an address hostage by typing it first); verifying it where another account verified it first
 * is a conflict.
 */
@Index('users_verified_email_key', ['emailKey'], { unique: true, where: '"email_verified"' })
@Check('users_email_notifications_check', `"email_notifications" IN ('off', 'instant', 'daily')`)
export class UserEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  username: string;

  /** lower(username): the unique key that makes usernames unique case-insensitively. */
  @Column({ name: 'username_key', type: 'varchar', length: 32, unique: true })
  usernameKey: string;

  @Column({ name: 'display_name', type: 'varchar', length: 64 })
  displayName: string;

  @Column({ type: 'varchar', length: 16, default: 'reader' })
  role: UserRole;

  /** null: the account cannot sign in (authors of imported comments). */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  /** Banned from writing while the ban is in force (`banned`, and `bannedUntil` null or ahead: see ban-rule.ts). */
  @Column({ type: 'boolean', default: false })
  banned: boolean;

  /** null with `banned`: a ban without end. */
  @Column({ name: 'banned_until', type: 'timestamptz', precision: 3, nullable: true })
  bannedUntil: Date | null;

  @Column({ name: 'ban_reason', type: 'text', nullable: true })
  banReason: string | null;

  /** The user's own e-mail address as they typed it; null: none. Shown to them alone. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  /** lower(email): what addresses are compared by. */
  @Column({ name: 'email_key', type: 'varchar', length: 254, nullable: true })
  emailKey: string | null;

  /** The address received our link and it was used; a new address starts unverified. */
  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified: boolean;

  @Column({ name: 'email_notifications', type: 'varchar', length: 8, default: 'instant' })
  emailNotifications: EmailNotifications;

  /** The IANA time zone the daily digest is timed by (checked when set); null: UTC. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64, nullable: true })
  timeZone: string | null;

  /**
   * When the user deleted their account (null: they did not). The row stays so that the username stays taken and the
   * placeholders of their comments keep an author; nothing else of theirs is left on it.
   */
  @Column({ name: 'deleted_at', type: 'timestamptz', precision: 3, nullable: true })
  deletedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
