import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { changedRows } from '../database/query-results.js';
import { banInForceSql } from './ban-rule.js';
import { type UserFields } from './dto/user.dto.js';
import { type EmailNotifications, UserEntity, type UserRole } from './user.entity.js';

/** Every query on users' own table. */

/** The name a deleted account's placeholders show. */
export const DELETED_DISPLAY_NAME = '[deleted]';

/** A user that notification mail may reach, with what the mail needs. */
export interface MailableUser {
  id: string;
  username: string;
  displayName: string;
  email: string;
  emailKey: string;
}

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inside a transaction, pass it (never take a second connection while holding one). */
  findById(id: string, tx: EntityManager = this.dataSource.manager): Promise<UserEntity | null> {
    return tx.getRepository(UserEntity).findOneBy({ id });
  }

  /** By username, case-insensitively. */
  findByUsername(username: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ usernameKey: username.toLowerCase() });
  }

  /** Of these lower-case names, those of existing users: lower-case name -> the username as registered. */
  async findUsernames(names: string[]): Promise<Map<string, string>> {
    if (names.length === 0) return new Map();
    const rows: { username: string }[] = await this.dataSource.query(
      `SELECT username FROM users WHERE username_key = ANY($1::text[])`,
      [names],
    );
    return new Map(rows.map((r) => [r.username.toLowerCase(), r.username]));
  }

  /**
   * Accounts whose username starts with `prefix` (case-insensitively), for `@` autocomplete: only those who can sign
   * in (not the authors of imported comments) and are not under a ban in force, never `exceptId` (the one asking);
   * alphabetical, so the name typed in full comes first. `prefix` holds only username characters (the DTO checks):
   * `_` is escaped, LIKE's one wildcard among them.
   */
  findMentionable(prefix: string, limit: number, exceptId: string): Promise<UserFields[]> {
    return this.dataSource.query(
      `SELECT id, username, display_name AS "displayName", role FROM users
        WHERE username_key LIKE $1 ESCAPE '\\' AND password_hash IS NOT NULL AND NOT ${banInForceSql()} AND id <> $3
        ORDER BY username_key
        LIMIT $2`,
      [`${prefix.toLowerCase().replace(/_/g, '\\_')}%`, limit, exceptId],
    );
  }

  /**
   * Creates an account; null when the username is taken (case-insensitively). The unique index decides, so two
   * concurrent sign-ups with one name cannot both win.
   */
  async createAccount(account: {
    username: string;
    displayName: string;
    passwordHash: string;
    role: UserRole;
  }): Promise<UserEntity | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO users (username, username_key, display_name, role, password_hash)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username_key) DO NOTHING RETURNING id`,
      [account.username, account.username.toLowerCase(), account.displayName, account.role, account.passwordHash],
    );
    return rows.length > 0 ? this.findById(rows[0].id) : null;
  }

  async setBan(tx: EntityManager, id: string, until: Date | null, reason: string): Promise<void> {
    await tx.query('UPDATE users SET banned = true, banned_until = $2, ban_reason = $3 WHERE id = $1', [
      id,
      until,
      reason,
    ]);
  }

  /** Lifts a ban; true when one was in force. */
  async clearBan(tx: EntityManager, id: string): Promise<boolean> {
    const rows: { active: boolean }[] = await tx.query(
      `SELECT ${banInForceSql()} AS active FROM users WHERE id = $1 FOR UPDATE`,
      [id],
    );
    await tx.query('UPDATE users SET banned = false, banned_until = NULL, ban_reason = NULL WHERE id = $1', [id]);
    return rows[0]?.active ?? false;
  }

  /** Bans not cleared yet that end on a date (all of them, or those ending within `withinMs`): when each ends. */
  async findTimedBans(withinMs?: number): Promise<{ id: string; until: Date }[]> {
    return this.dataSource.query(
      `SELECT id, banned_until AS "until" FROM users
        WHERE banned AND banned_until IS NOT NULL AND ($1::float8 IS NULL OR banned_until <= now() + make_interval(secs => $1 / 1000.0))`,
      [withinMs ?? null],
    );
  }

  /**
   * Clears a ban whose end date has passed; its role when this call cleared it (so, of several processes, one),
   * null when there was none to clear (lifted, renewed, or not ended yet).
   */
  async endExpiredBan(id: string, tx: EntityManager = this.dataSource.manager): Promise<{ role: UserRole } | null> {
    const rows = changedRows<{ role: UserRole }>(
      await tx.query(
        `UPDATE users SET banned = false, banned_until = NULL, ban_reason = NULL
          WHERE id = $1 AND banned AND banned_until IS NOT NULL AND banned_until <= now() RETURNING role`,
        [id],
      ),
    );
    return rows[0] ?? null;
  }

  /** When the user's ban in force ends; null without a ban that ends. */
  async findBanEnd(id: string): Promise<Date | null> {
    const rows: { until: Date }[] = await this.dataSource.query(
      'SELECT banned_until AS "until" FROM users WHERE id = $1 AND banned AND banned_until IS NOT NULL',
      [id],
    );
    return rows[0]?.until ?? null;
  }

  async setRole(id: string, role: UserRole, tx: EntityManager = this.dataSource.manager): Promise<UserEntity | null> {
    await tx.getRepository(UserEntity).update({ id }, { role });
    return this.findById(id, tx);
  }

  /**
   * The account that stands for the author of an imported comment (it cannot sign in). Created on first use; the
   * unique username key makes concurrent imports agree on one row.
   */
  async ensureImportedUser(manager: EntityManager, username: string, displayName: string): Promise<UserEntity> {
    const usernameKey = username.toLowerCase();
    await manager.query(
      `INSERT INTO users (username, username_key, display_name, role, password_hash)
       VALUES ($1, $2, $3, 'reader', NULL) ON CONFLICT (username_key) DO NOTHING`,
      [username, usernameKey, displayName],
    );
    return manager.getRepository(UserEntity).findOneByOrFail({ usernameKey });
  }

  /** The user's row, locked until the transaction ends (account changes: one at a time per user). */
  findForUpdate(tx: EntityManager, id: string): Promise<UserEntity | null> {
    return tx.getRepository(UserEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Which of these users get notification mail with this setting: a verified address and `emailNotifications` set so.
   * With their address, for the mail itself.
   */
  findMailable(
    ids: string[],
    setting: EmailNotifications,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<MailableUser[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return tx.query(
      `SELECT id, username, display_name AS "displayName", email, email_key AS "emailKey" FROM users
        WHERE id = ANY($1::bigint[]) AND email_verified AND email IS NOT NULL AND email_notifications = $2
        ORDER BY id`,
      [ids, setting],
    );
  }

  /** The account whose verified address this is (lower-cased); unverified addresses find nobody. */
  findByVerifiedEmail(emailKey: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ emailKey, emailVerified: true });
  }

  /** A new address (or none), unverified. */
  async setEmail(tx: EntityManager, id: string, email: string | null): Promise<void> {
    await tx.query(
      'UPDATE users SET email = $2::varchar, email_key = lower($2::varchar), email_verified = false WHERE id = $1',
      [id, email],
    );
  }

  /** Whether another account has verified this address (lower-cased). */
  async emailVerifiedElsewhere(tx: EntityManager, id: string, emailKey: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      'SELECT 1 FROM users WHERE email_key = $2 AND email_verified AND id <> $1 LIMIT 1',
      [id, emailKey],
    );
    return rows.length > 0;
  }

  /**
   * Marks the address verified if it is still the user's (`emailKey`): `stale` when it is not any more, `taken` when
   * another account verified it first. Verifications of one address take turns (an advisory lock on it until the
   * transaction ends), so the unique index never has to refuse one.
   */
  async markEmailVerified(tx: EntityManager, id: string, emailKey: string): Promise<'verified' | 'stale' | 'taken'> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`verified-email:${emailKey}`]);
    if (await this.emailVerifiedElsewhere(tx, id, emailKey)) return 'taken';
    const updated = changedRows(
      await tx.query('UPDATE users SET email_verified = true WHERE id = $1 AND email_key = $2 RETURNING id', [
        id,
        emailKey,
      ]),
    );
    return updated.length > 0 ? 'verified' : 'stale';
  }

  async setEmailNotifications(tx: EntityManager, id: string, setting: EmailNotifications): Promise<void> {
    await tx.query('UPDATE users SET email_notifications = $2 WHERE id = $1', [id, setting]);
  }

  async setTimeZone(tx: EntityManager, id: string, timeZone: string | null): Promise<void> {
    await tx.query('UPDATE users SET time_zone = $2 WHERE id = $1', [id, timeZone]);
  }

  /** The time zones (null: none set) of the readers who get a daily digest: the hourly run checks which are due. */
  async findDigestTimeZones(): Promise<(string | null)[]> {
    const rows: { timeZone: string | null }[] = await this.dataSource.query(
      `SELECT DISTINCT time_zone AS "timeZone" FROM users
        WHERE email_notifications = 'daily' AND email_verified AND email IS NOT NULL`,
    );
    return rows.map((row) => row.timeZone);
  }

  async setDisplayName(tx: EntityManager, id: string, displayName: string): Promise<void> {
    await tx.query('UPDATE users SET display_name = $2 WHERE id = $1', [id, displayName]);
  }

  async setPasswordHash(tx: EntityManager, id: string, passwordHash: string): Promise<void> {
    await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
  }

  /**
   * Whether an admin other than `id` remains. Callers that may remove an admin take turns (an advisory lock until the
   * transaction ends), so two admins leaving at once cannot both count the other.
   */
  async otherAdminRemains(tx: EntityManager, id: string): Promise<boolean> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('admins-leaving'))`);
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM users WHERE role = 'admin' AND deleted_at IS NULL AND id <> $1 LIMIT 1`,
      [id],
    );
    return rows.length > 0;
  }

  /**
   * Empties a deleting user's row: no password (nobody signs in as them), no address (no reset, no mail), a neutral
   * name on the placeholders of their comments, no ban or setting left. The username stays taken.
   */
  async markDeleted(tx: EntityManager, id: string): Promise<void> {
    await tx.query(
      `UPDATE users SET deleted_at = now(), password_hash = NULL, email = NULL, email_key = NULL, email_verified = false,
              display_name = $2, email_notifications = 'off', time_zone = NULL, banned = false, banned_until = NULL,
              ban_reason = NULL
        WHERE id = $1`,
      [id, DELETED_DISPLAY_NAME],
    );
  }
}
