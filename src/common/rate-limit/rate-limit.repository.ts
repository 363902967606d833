import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { changedCount } from '../../database/query-results.js';

export interface HitCount {
  hits: number;
  /** Milliseconds until the window ends (a new one then starts at 0). */
  windowLeftMs: number;
  /** Milliseconds until the block ends; 0 when not blocked. */
  blockedLeftMs: number;
}

/** A key to count a hit for, and its limit (see RateLimitRepository.hit). */
export interface Hit {
  key: string;
  windowMs: number;
  limit: number;
  blockMs: number;
  count?: number;
}

/** Every query on the rate-limit counters. */
@Injectable()
export class RateLimitRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Counts one hit for `key` (or `count` at once) in one statement, race-free across processes (the row's lock orders
   * them): a new window of `windowMs` when the last one ended; over `limit` in a window, the key is blocked for
   * `blockMs` and hits are not counted while it is.
   */
  async hit(key: string, windowMs: number, limit: number, blockMs: number, count = 1): Promise<HitCount> {
    const [counted] = await this.hitInOrder([{ key, windowMs, limit, blockMs, count }]);
    return counted as HitCount;
  }

  /**
   * Counts a hit for each key as {@link hit} does, in order and in one statement (one round trip for a request that
   * several limits apply to), stopping at the first key that is blocked: the keys after it are not counted (null),
   * as when each was counted only if the one before let the request through. Rows are locked in the keys' order.
   */
  async hitInOrder(hits: Hit[]): Promise<(HitCount | null)[]> {
    const values: unknown[] = [];
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const counters = hits.map(({ key, windowMs, limit, blockMs, count = 1 }, index) => {
      const [k, w, l, b, c] = [key, windowMs, limit, blockMs, count].map(param);
      const letThrough = index === 0 ? '' : `WHERE EXISTS (SELECT 1 FROM h${index - 1} WHERE "blockedLeftMs" = 0)`;
      return `h${index} AS (
        INSERT INTO rate_limit_hits AS r (key, hits, window_ends, blocked_until)
        SELECT ${k}::text, ${c}::int, now() + make_interval(secs => ${w} / 1000.0), NULL::timestamptz ${letThrough}
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN r.blocked_until > now() THEN r.hits WHEN r.window_ends <= now() THEN ${c} ELSE r.hits + ${c} END,
          window_ends = CASE WHEN r.blocked_until > now() OR r.window_ends > now() THEN r.window_ends
                             ELSE now() + make_interval(secs => ${w} / 1000.0) END,
          blocked_until = CASE
            WHEN r.blocked_until > now() THEN r.blocked_until
            WHEN (CASE WHEN r.window_ends <= now() THEN ${c} ELSE r.hits + ${c} END) > ${l} THEN now() + make_interval(secs => ${b} / 1000.0)
            ELSE NULL END
        RETURNING hits,
                  greatest(0, ceil(extract(epoch FROM window_ends - now()) * 1000))::float8 AS "windowLeftMs",
                  greatest(0, coalesce(ceil(extract(epoch FROM blocked_until - now()) * 1000), 0))::float8 AS "blockedLeftMs"
      )`;
    });
    const rows: (HitCount & { index: number })[] = await this.dataSource.query(
      `WITH ${counters.join(',\n')}
       ${hits.map((_, index) => `SELECT ${index} AS index, * FROM h${index}`).join(' UNION ALL ')}`,
      values,
    );
    return hits.map((_, index) => {
      const row = rows.find((r) => r.index === index);
      return row ? { hits: row.hits, windowLeftMs: row.windowLeftMs, blockedLeftMs: row.blockedLeftMs } : null;
    });
  }

  /** Forgets counters whose window and block have both ended; how many. */
  async prune(): Promise<number> {
    return changedCount(
      await this.dataSource.query(
        'DELETE FROM rate_limit_hits WHERE window_ends < now() AND (blocked_until IS NULL OR blocked_until < now())',
      ),
    );
  }
}
