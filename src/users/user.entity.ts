import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { USER_ROLES, type UserRole } from '../common/limits.js';

export { USER_ROLES, type UserRole };

@Entity({ name: 'users' })
/** The moderators' list of bans reads only the (few) banned users. */
@Index('users_banned_idx', ['id'], { where: '"banned"' })
@Check('users_role_check', `"role" IN ('reader', 'moderator', 'admin')`)
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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
