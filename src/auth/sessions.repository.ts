import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Tx } from '../database/unit-of-work.js';
import { changedCount, changedRows } from '../database/query-results.js';
import { banInForceSql } from '../users/ban-rule.js';
import { type UserRole } from '../users/user.entity.js';

export interface SessionUser {
  sessionId: string;
  expiresAt: Date;
  userId: string;
  username: string;
  displayName: string;
  role: UserRole;
  /** Set while a ban is in force. */
  banReason: string | null;
  bannedUntil: Date | null;
  isBanned: boolean;
}

/** Every query on sessions. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(userId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.dataSource.query('INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ($1, $2, $3)', [
      userId,
      tokenHash,
      expiresAt,
    ]);
  }

  /** The user of an unexpired session with this token hash. */
  async findActive(tokenHash: string): Promise<SessionUser | null> {
    const rows: SessionUser[] = await this.dataSource.query(
      `SELECT s.id AS "sessionId", s.expires_at AS "expiresAt",
              u.id AS "userId", u.username, u.display_name AS "displayName", u.role,
              u.ban_reason AS "banReason", u.banned_until AS "bannedUntil",
              ${banInForceSql('u')} AS "isBanned"
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  /** Revokes a session at once; its id when there was one. */
  async delete(tokenHash: string, tx: Tx = this.dataSource.manager): Promise<string | null> {
    const rows = changedRows<{ id: string }>(
      await tx.query('DELETE FROM sessions WHERE token_hash = $1 RETURNING id', [tokenHash]),
    );
    return rows[0]?.id ?? null;
  }

  /** Ends every session of a user but the one with `keepTokenHash` (when given); the ids of those it ended. */
  async deleteForUser(tx: Tx, userId: string, keepTokenHash: string | null = null): Promise<string[]> {
    const rows = changedRows<{ id: string }>(
      await tx.query(
        'DELETE FROM sessions WHERE user_id = $1 AND ($2::text IS NULL OR token_hash <> $2) RETURNING id',
        [userId, keepTokenHash],
      ),
    );
    return rows.map((row) => row.id);
  }

  async deleteExpired(): Promise<number> {
    return changedCount(await this.dataSource.query('DELETE FROM sessions WHERE expires_at <= now()'));
  }
}
