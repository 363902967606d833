import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { changedRows } from '../database/query-results.js';
import { type AccountTokenPurpose } from './account-token.entity.js';

/** Every query on the mailed single-use tokens (account_tokens). */
@Injectable()
export class AccountTokensRepository {
  /**
   * Stores a new token's hash, after deleting the user's earlier tokens of that purpose: only the latest link works
   * (a new address kills the links mailed to an earlier one; a second reset request kills the first link).
   */
  async replace(
    tx: EntityManager,
    token: {
      userId: string;
      purpose: AccountTokenPurpose;
      tokenHash: string;
      emailKey: string | null;
      expiresAt: Date;
    },
  ): Promise<void> {
    await this.deleteForUser(tx, token.userId, token.purpose);
    await tx.query(
      'INSERT INTO account_tokens (user_id, purpose, token_hash, email_key, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [token.userId, token.purpose, token.tokenHash, token.emailKey, token.expiresAt],
    );
  }

  /**
   * Uses a token: deletes it and answers whose it was, in one statement, so that of two concurrent uses one wins; null
   * for an unknown, used or expired token (an expired one is deleted all the same).
   */
  async consume(
    tx: EntityManager,
    purpose: AccountTokenPurpose,
    tokenHash: string,
  ): Promise<{ userId: string; emailKey: string | null } | null> {
    const rows = changedRows<{ userId: string; emailKey: string | null; live: boolean }>(
      await tx.query(
        `DELETE FROM account_tokens WHERE purpose = $1 AND token_hash = $2
          RETURNING user_id AS "userId", email_key AS "emailKey", expires_at > now() AS live`,
        [purpose, tokenHash],
      ),
    );
    const row = rows[0];
    return row?.live ? { userId: row.userId, emailKey: row.emailKey } : null;
  }

  async deleteForUser(tx: EntityManager, userId: string, purpose: AccountTokenPurpose): Promise<void> {
    await tx.query('DELETE FROM account_tokens WHERE user_id = $1 AND purpose = $2', [userId, purpose]);
  }
}
