import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { changedCount } from '../database/query-results.js';
import { type Statement, type Tx } from '../database/unit-of-work.js';

/**
 * The PostgreSQL channel on which each article event is announced, by NOTIFY in the transaction that logs it: every
 * process hears the events of all articles in commit order, which the article row's lock makes `seq` order.
 */
export const ARTICLE_EVENTS_CHANNEL = 'forum_article_events';
/**
 * NOTIFY carries less than 8000 bytes: an event whose announcement would be longer is announced by its article and
 * number only, and read from the log by whoever needs it.
 */
export const MAX_ANNOUNCED_BYTES = 7_900;

/** What the channel carries: the whole event, or (for a large one) its article and number. */
export interface AnnouncedEvent {
  articleId: string;
  seq: number;
  type?: string;
  at?: string;
  payload?: Record<string, unknown>;
}

/**
 * More columns of the article row for the statement that numbers an event to change, written by the domain that owns
 * them: given `bind`, which adds a parameter and answers its placeholder, the SET list to add (`comment_count =
 * comment_count + $6`, say). Changed there, they cost no round trip of their own while the row is locked.
 */
export type ArticleRowChange = (bind: (value: unknown) => string) => string;

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
   * Numbers, stores and announces an event in the caller's transaction, in one statement. The UPDATE locks the article
   * row until commit, so two writers (in any process) take consecutive numbers and commit in that order: no gap, no
   * duplicate. The announcement (NOTIFY on ARTICLE_EVENTS_CHANNEL) goes out at commit, in commit order, and never on
   * rollback. One statement rather than three because every writer of the article waits for that lock: each round trip
   * to the app while holding it is time that all of them wait (measured: with ten writers on one essay, most of a
   * comment's answer time was spent waiting for it). For the same reason `alsoChange` moves the caller's own columns of
   * the row (a comment's counters) in this statement. A caller that needs nothing of the transaction after it sends
   * {@link appendStatement} with COMMIT instead (UnitOfWork.closeWith), holding the lock for no round trip at all.
   */
  async append(
    tx: Tx,
    articleId: string,
    type: string,
    payload: object,
    alsoChange?: ArticleRowChange,
  ): Promise<{ seq: number; at: Date }> {
    const { text, values } = this.appendStatement(articleId, type, payload, alsoChange);
    return numberedOf(await tx.query(text, values));
  }

  /**
   * {@link append}'s statement, to be sent by the caller's unit of work; {@link numberedOf} reads its rows. An article
   * that does not exist fails it (no number for the event's row), so that it never commits without its event.
   */
  appendStatement(articleId: string, type: string, payload: object, alsoChange?: ArticleRowChange): Statement {
    const values: unknown[] = [articleId, type, JSON.stringify(payload), ARTICLE_EVENTS_CHANNEL, MAX_ANNOUNCED_BYTES];
    const bind = (value: unknown) => `$${values.push(value)}`;
    const more = alsoChange ? `, ${alsoChange(bind)}` : '';
    const text = `WITH numbered AS (
         UPDATE articles SET event_seq = event_seq + 1${more} WHERE id = $1 RETURNING event_seq
       ), logged AS (
         INSERT INTO article_events (article_id, seq, type, payload)
         VALUES ($1, (SELECT event_seq FROM numbered), $2::text, $3::json)
         RETURNING article_id, seq, type, payload, created_at
       ), announced AS (
         SELECT seq, created_at,
                json_build_object('articleId', article_id::text, 'seq', seq, 'type', type, 'at', created_at,
                                  'payload', payload)::text AS whole,
                json_build_object('articleId', article_id::text, 'seq', seq)::text AS reference
           FROM logged
       )
       SELECT seq, created_at AS at,
              pg_notify($4, CASE WHEN octet_length(whole) <= $5 THEN whole ELSE reference END)
         FROM announced`;
    return { text, values };
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

  /** The events numbered `after + 1` to `upTo`, in order (fewer when some were pruned). */
  async findRange(articleId: string, after: number, upTo: number): Promise<StoredEvent[]> {
    const rows: { seq: string; type: string; payload: Record<string, unknown>; at: Date }[] =
      await this.dataSource.query(
        `SELECT seq, type, payload, created_at AS at FROM article_events
          WHERE article_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`,
        [articleId, after, upTo],
      );
    return rows.map((r) => ({ seq: Number(r.seq), type: r.type, payload: r.payload, at: r.at }));
  }

  /** The latest number of each article (those that exist). */
  async latestOf(articleIds: string[]): Promise<Map<string, number>> {
    const rows: { id: string; latest: string }[] = await this.dataSource.query(
      'SELECT id::text AS id, event_seq AS latest FROM articles WHERE id = ANY($1::bigint[])',
      [articleIds],
    );
    return new Map(rows.map((r) => [r.id, Number(r.latest)]));
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

/** The number and time {@link ArticleEventLog.appendStatement} gave its event, from its rows. */
export function numberedOf(rows: Record<string, unknown>[]): { seq: number; at: Date } {
  const [row] = rows as { seq: string; at: Date | string }[];
  return { seq: Number(row.seq), at: new Date(row.at) };
}
