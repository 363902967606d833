import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { changedCount } from '../database/query-results.js';
import { type Tx } from '../database/unit-of-work.js';

export interface StoredEvent {
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  at: Date;
}

/** Every query on the articles' event log (the numbered outbox of article events, replayed by catch-up). */
@Injectable()
export class ArticleEventLog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Numbers and stores an event in the caller's transaction. The UPDATE locks the article row until commit, so two
   * writers (in any process) take consecutive numbers and commit in that order: no gap, no duplicate.
   */
  async append(tx: Tx, articleId: string, type: string, payload: object): Promise<{ seq: number; at: Date }> {
    const updated: unknown = await tx.query(
      'UPDATE articles SET event_seq = event_seq + 1 WHERE id = $1 RETURNING event_seq',
      [articleId],
    );
    const seq = Number((updated as [{ event_seq: string }[], number])[0][0].event_seq);
    const rows: { at: Date }[] = await tx.query(
      'INSERT INTO article_events (article_id, seq, type, payload) VALUES ($1, $2, $3, $4) RETURNING created_at AS at',
      [articleId, seq, type, JSON.stringify(payload)],
    );
    return { seq, at: rows[0].at };
  }

  /** The latest number and the oldest one still kept (null when none is kept). */
  async bounds(articleId: string): Promise<{ latest: number; oldest: number | null }> {
    const rows: { latest: string; oldest: string | null }[] = await this.dataSource.query(
      `SELECT a.event_seq AS latest, (SELECT min(seq) FROM article_events e WHERE e.article_id = a.id) AS oldest
         FROM articles a WHERE a.id = $1`,
      [articleId],
    );
    return {
      latest: Number(rows[0]?.latest ?? 0),
      oldest: rows[0]?.oldest === null || rows[0]?.oldest === undefined ? null : Number(rows[0].oldest),
    };
  }

  /**
   * Events after `since`, in order: at most `limit` of them, and only while their payloads (as JSON text) add up to at
   * most `maxBytes`. The sum is taken in PostgreSQL, so payloads beyond the budget are never sent to the app; a caller
   * that gets fewer events than it expected knows the budget cut them.
   */
  async findAfter(articleId: string, since: number, limit: number, maxBytes: number): Promise<StoredEvent[]> {
    const rows: { seq: string; type: string; payload: Record<string, unknown>; at: Date }[] =
      await this.dataSource.query(
        `SELECT seq, type, payload, at FROM (
         SELECT seq, type, payload, created_at AS at, sum(octet_length(payload::text)) OVER (ORDER BY seq) AS running
           FROM (SELECT * FROM article_events WHERE article_id = $1 AND seq > $2 ORDER BY seq LIMIT $3) first
       ) counted
       WHERE running <= $4
       ORDER BY seq`,
        [articleId, since, limit, maxBytes],
      );
    return rows.map((r) => ({ seq: Number(r.seq), type: r.type, payload: r.payload, at: r.at }));
  }

  /** Keeps, per article, the last `keep` events and everything younger than `hours`. */
  async prune(keep: number, hours: number): Promise<number> {
    return changedCount(
      await this.dataSource.query(
        `DELETE FROM article_events e USING articles a
          WHERE e.article_id = a.id AND e.seq <= a.event_seq - $1 AND e.created_at < now() - make_interval(hours => $2)`,
        [keep, hours],
      ),
    );
  }
}
