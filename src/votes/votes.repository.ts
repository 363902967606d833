import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type ViewerVotes } from '../comments/viewer-votes.js';
import { type Tx } from '../database/unit-of-work.js';

/** Every query on votes; it gives comments the viewer's own votes (ViewerVotes). */
@Injectable()
export class VotesRepository implements ViewerVotes {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Sets one reader's vote (0 removes it) and returns the value it replaces. The reader's row is locked (or created)
   * first, so two concurrent changes by one reader apply one after the other.
   */
  async setVote(tx: Tx, commentId: string, userId: string, value: -1 | 0 | 1): Promise<number> {
    const previous = await this.lockVote(tx, commentId, userId, value);
    if (value === 0) {
      if (previous !== 0)
        await tx.query('DELETE FROM votes WHERE comment_id = $1 AND user_id = $2', [commentId, userId]);
    } else if (previous !== value) {
      await tx.query('UPDATE votes SET value = $3, updated_at = now() WHERE comment_id = $1 AND user_id = $2', [
        commentId,
        userId,
        value,
      ]);
    }
    return previous;
  }

  /** The reader's votes on these comments (absent: 0). */
  async findMine(userId: string, commentIds: string[]): Promise<Map<string, number>> {
    if (commentIds.length === 0) return new Map();
    const rows: { commentId: string; value: number }[] = await this.dataSource.query(
      'SELECT comment_id AS "commentId", value FROM votes WHERE user_id = $1 AND comment_id = ANY($2::bigint[])',
      [userId, commentIds],
    );
    return new Map(rows.map((r) => [r.commentId, r.value]));
  }

  /**
   * Up to `limit` of the user's votes, locked, by essay and comment (the order account deletion moves their counters
   * in, one article row after the other; each vote it withdraws leaves the set).
   */
  lockByUser(tx: Tx, userId: string, limit: number): Promise<{ commentId: string; articleId: string }[]> {
    return tx.query(
      `SELECT v.comment_id AS "commentId", c.article_id AS "articleId"
         FROM votes v JOIN comments c ON c.id = v.comment_id
        WHERE v.user_id = $1
        ORDER BY c.article_id, v.comment_id
        LIMIT $2
        FOR UPDATE OF v`,
      [userId, limit],
    );
  }

  /** The user's votes, oldest first, at most `limit` (their data export). */
  findByUser(
    tx: Tx,
    userId: string,
    limit: number,
  ): Promise<{ commentId: string; value: number; createdAt: Date; updatedAt: Date }[]> {
    return tx.query(
      `SELECT comment_id AS "commentId", value, created_at AS "createdAt", updated_at AS "updatedAt"
         FROM votes WHERE user_id = $1 ORDER BY created_at, comment_id LIMIT $2`,
      [userId, limit],
    );
  }

  /** The current value, with the row locked; a new vote is inserted (locked too) and reported as 0. */
  private async lockVote(tx: Tx, commentId: string, userId: string, value: number): Promise<number> {
    for (;;) {
      const rows: { value: number }[] = await tx.query(
        'SELECT value FROM votes WHERE comment_id = $1 AND user_id = $2 FOR UPDATE',
        [commentId, userId],
      );
      if (rows.length > 0) return rows[0].value;
      if (value === 0) return 0;
      const inserted: unknown[] = await tx.query(
        'INSERT INTO votes (comment_id, user_id, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING value',
        [commentId, userId, value],
      );
      // Inserted: it had no vote. Otherwise a concurrent request by the same reader inserted first: lock that row.
      if (inserted.length > 0) return 0;
    }
  }
}
