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
    const rows: { hits: number; windowLeftMs: number; blockedLeftMs: number }[] = await this.dataSource.query(
      `INSERT INTO rate_limit_hits AS r (key, hits, window_ends, blocked_until)
       VALUES ($1, $5, now() + make_interval(secs => $2 / 1000.0), NULL)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.blocked_until > now() THEN r.hits WHEN r.window_ends <= now() THEN $5 ELSE r.hits + $5 END,
         window_ends = CASE WHEN r.blocked_until > now() OR r.window_ends > now() THEN r.window_ends
                            ELSE now() + make_interval(secs => $2 / 1000.0) END,
         blocked_until = CASE
           WHEN r.blocked_until > now() THEN r.blocked_until
           WHEN (CASE WHEN r.window_ends <= now() THEN $5 ELSE r.hits + $5 END) > $3 THEN now() + make_interval(secs => $4 / 1000.0)
           ELSE NULL END
       RETURNING hits,
                 greatest(0, ceil(extract(epoch FROM window_ends - now()) * 1000))::float8 AS "windowLeftMs",
                 greatest(0, coalesce(ceil(extract(epoch FROM blocked_until - now()) * 1000), 0))::float8 AS "blockedLeftMs"`,
      [key, windowMs, limit, blockMs, count],
    );
    return rows[0];
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
