import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type ThrottlerStorage } from '@nestjs/throttler';
import { PeriodicTask } from '../periodic-task.js';
import { RateLimitRepository } from './rate-limit.repository.js';

const PRUNE_EVERY_MS = 300_000;

/**
 * The throttler's counters in PostgreSQL rather than in each process's memory, so that a client meets the same limit
 * whichever process answers it. A fixed window per key; over the limit, the key is blocked for `blockDuration`.
 */
@Injectable()
export class DatabaseThrottlerStorage implements ThrottlerStorage, OnModuleInit, OnModuleDestroy {
  private readonly pruner = new PeriodicTask('rate-limit counter pruning', PRUNE_EVERY_MS, () => this.counters.prune());

  constructor(private readonly counters: RateLimitRepository) {}

  onModuleInit(): void {
    this.pruner.start();
  }

  onModuleDestroy(): void {
    this.pruner.stop();
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    const { hits, windowLeftMs, blockedLeftMs } = await this.counters.hit(
      `${throttlerName}:${key}`,
      ttl,
      limit,
      blockDuration > 0 ? blockDuration : ttl,
    );
    return {
      totalHits: hits,
      timeToExpire: Math.ceil(windowLeftMs / 1000),
      isBlocked: blockedLeftMs > 0,
      timeToBlockExpire: Math.ceil(blockedLeftMs / 1000),
    };
  }
}
