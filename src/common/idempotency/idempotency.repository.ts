import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { changedCount } from '../../database/query-results.js';
import { type Tx } from '../../database/unit-of-work.js';

export interface StoredAnswer {
  requestHash: string;
  status: number;
  body: unknown;
}

/** Every query on idempotency keys. */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Serialises requests with one user's key until the transaction ends: a concurrent retry waits for the first. */
  async lock(tx: Tx, userId: string, key: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`idem:${userId}:${key}`]);
  }

  async find(tx: Tx, userId: string, key: string): Promise<StoredAnswer | null> {
    const rows: StoredAnswer[] = await tx.query(
      `SELECT request_hash AS "requestHash", response_status AS status, response_body AS body
         FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND response_status IS NOT NULL`,
      [userId, key],
    );
    return rows[0] ?? null;
  }

  async save(tx: Tx, userId: string, key: string, answer: StoredAnswer): Promise<void> {
    await tx.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, response_status, response_body) VALUES ($1, $2, $3, $4, $5)`,
      [userId, key, answer.requestHash, answer.status, JSON.stringify(answer.body)],
    );
  }

  /** Every key of one user, with the answers stored for them. */
  async deleteForUser(tx: Tx, userId: string): Promise<void> {
    await tx.query('DELETE FROM idempotency_keys WHERE user_id = $1', [userId]);
  }

  /** Keys are kept for at least `hours`. */
  async deleteOlderThan(hours: number): Promise<number> {
    return changedCount(
      await this.dataSource.query(
        `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
        [hours],
      ),
    );
  }
}
