import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { RateLimitRepository } from '../common/rate-limit/rate-limit.repository.js';
import { AppConfig } from '../config/app-config.js';

const MINUTE = 60_000;

/** Joins one connection may make per minute (times RATE_LIMIT_FACTOR): a page joins once, and again per reconnect. */
export const JOINS_PER_CONNECTION_PER_MINUTE = 30;
/**
 * Joins one client address may make per minute across all its connections, in every process (times RATE_LIMIT_FACTOR):
 * as many as the HTTP writes of one address, room for many readers behind one NAT opening pages.
 */
export const JOINS_PER_ADDRESS_PER_MINUTE = 240;

/** A connection's own count of joins in its current one-minute window. */
export interface JoinWindow {
  startedAt: number;
  joins: number;
}

export const newJoinWindow = (): JoinWindow => ({ startedAt: Date.now(), joins: 0 });

/**
 * An address's joins that this process has counted in PostgreSQL ahead of time, in the counter's current window:
 * `left` of them may still be granted here until `until` (the window's end). None left and `over`: the address used
 * its whole budget of the window, and its joins are refused here until the window ends, without asking again.
 */
interface Allowance {
  left: number;
  until: number;
  over: boolean;
}

/** Addresses whose allowance one process keeps: beyond, the least recently used are forgotten (and asked again). */
const REMEMBERED_ADDRESSES = 10_000;
/**
 * How much of an address's budget a process counts at once: a sixteenth. One query then covers that many joins of the
 * address (a thousand readers behind one NAT opening an essay), and a process holds at most that many counted but
 * not yet used, so the limit across processes is never exceeded and is reached at most that much early.
 */
const ALLOWANCE_SHARE = 16;

/**
 * How often joins may come, since each one may answer a catch-up: per connection (counted in the connection, no
 * query) and per client address (counted in PostgreSQL with the HTTP rate limits' store, so one limit holds whichever
 * process the connections reach). The connection's limit is checked first, so a flooding connection costs no query.
 * The address's joins are counted in PostgreSQL a share at a time (one query per ALLOWANCE_SHARE-th of the budget, one
 * at a time per address) and granted from that share: one process alone refuses exactly the join over the limit.
 */
@Injectable()
export class JoinLimits {
  private readonly perConnection: number;
  private readonly perAddress: number;
  private readonly share: number;
  private readonly allowances = new LRUCache<string, Allowance>({ max: REMEMBERED_ADDRESSES });
  /** The query counting the next share of an address, while it runs: joins meanwhile wait for it. */
  private readonly counting = new Map<string, Promise<void>>();

  constructor(
    private readonly counters: RateLimitRepository,
    config: AppConfig,
  ) {
    const scaled = (n: number) => Math.max(1, Math.round(n * config.rateLimitFactor));
    this.perConnection = scaled(JOINS_PER_CONNECTION_PER_MINUTE);
    this.perAddress = scaled(JOINS_PER_ADDRESS_PER_MINUTE);
    this.share = Math.max(1, Math.floor(this.perAddress / ALLOWANCE_SHARE));
  }

  /** Counts one join; false when the connection or its address is over its limit. */
  async allow(window: JoinWindow, address: string): Promise<boolean> {
    const now = Date.now();
    if (now - window.startedAt >= MINUTE) {
      window.startedAt = now;
      window.joins = 0;
    }
    window.joins++;
    if (window.joins > this.perConnection) return false;
    for (;;) {
      const allowance = this.allowances.get(address);
      if (allowance && Date.now() < allowance.until) {
        if (allowance.left > 0) {
          allowance.left--;
          return true;
        }
        if (allowance.over) return false;
      }
      let counting = this.counting.get(address);
      if (!counting) {
        counting = this.countShare(address).finally(() => this.counting.delete(address));
        this.counting.set(address, counting);
      }
      await counting;
    }
  }

  /** Counts the address's next share in PostgreSQL and keeps what of it is within the limit. */
  private async countShare(address: string): Promise<void> {
    const { hits, windowLeftMs } = await this.counters.hit(
      `live-join:${address}`,
      MINUTE,
      this.perAddress,
      0,
      this.share,
    );
    const granted = Math.max(0, Math.min(this.share, this.perAddress - (hits - this.share)));
    this.allowances.set(address, {
      left: granted,
      until: Date.now() + windowLeftMs,
      over: granted < this.share,
    });
  }
}
