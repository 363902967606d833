import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ACCOUNT_TOKEN_PURPOSES = ['verify-email', 'password-reset'] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/**
 * A single-use link mailed to a user (verify an address, reset a password): only the token's SHA-256 is stored, so a
 * copy of the database opens no account. Used tokens are deleted; expired ones are worthless and deleted with their
 * user's next token of the same purpose.
 */
@Entity({ name: 'account_tokens' })
@Index('account_tokens_user_idx', ['userId', 'purpose'])
@Check('account_tokens_purpose_check', `"purpose" IN ('verify-email', 'password-reset')`)
export class AccountTokenEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: string;

  @Column({ name: 'user_id', type: 'bigint' })
  @ForeignKey('users', { onDelete: 'CASCADE' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  purpose: AccountTokenPurpose;

  /** Hex SHA-256 of the token. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash: string;

  /** For `verify-email`: the address (lower-cased) it verifies; a link to an earlier address then verifies nothing. */
  @Column({ name: 'email_key', type: 'varchar', length: 254, nullable: true })
  emailKey: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
