import { Injectable } from '@nestjs/common';
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
 * How often joins may come, since each one may answer a catch-up: per connection (counted in the connection, no
 * query) and per client address (counted in PostgreSQL with the HTTP rate limits' store, so one limit holds whichever
 * process the connections reach). The connection's limit is checked first, so a flooding connection costs no query.
 */
@Injectable()
export class JoinLimits {
  private readonly perConnection: number;
  private readonly perAddress: number;

  constructor(
    private readonly counters: RateLimitRepository,
    config: AppConfig,
  ) {
    const scaled = (n: number) => Math.max(1, Math.round(n * config.rateLimitFactor));
    this.perConnection = scaled(JOINS_PER_CONNECTION_PER_MINUTE);
    this.perAddress = scaled(JOINS_PER_ADDRESS_PER_MINUTE);
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
    const { hits, blockedLeftMs } = await this.counters.hit(`live-join:${address}`, MINUTE, this.perAddress, 0);
    return hits <= this.perAddress && blockedLeftMs === 0;
  }
}
