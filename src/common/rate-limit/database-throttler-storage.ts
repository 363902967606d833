import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type ThrottlerStorage } from '@nestjs/throttler';
import { PeriodicTask } from '../periodic-task.js';
import { RateLimitRepository } from './rate-limit.repository.js';

const PRUNE_EVERY_MS = 300_000;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** One throttler's hit to count: {@link DatabaseThrottlerStorage.increment}'s arguments. */
export interface ThrottlerCount {
  key: string;
  ttl: number;
  limit: number;
  blockDuration: number;
  throttlerName: string;
}

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

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const [record] = await this.incrementInOrder([{ key, ttl, limit, blockDuration, throttlerName }]);
    return record as ThrottlerStorageRecord;
  }

  /**
   * {@link increment} for several throttlers in one statement, in order: those after the first that blocks are not
   * counted (null), as when the guard asks for each in turn and stops at a block (RateLimitGuard).
   */
  async incrementInOrder(requests: ThrottlerCount[]): Promise<(ThrottlerStorageRecord | null)[]> {
    const counted = await this.counters.hitInOrder(
      requests.map(({ key, ttl, limit, blockDuration, throttlerName }) => ({
        key: `${throttlerName}:${key}`,
        windowMs: ttl,
        limit,
        blockMs: blockDuration > 0 ? blockDuration : ttl,
      })),
    );
    return counted.map((count) =>
      count
        ? {
            totalHits: count.hits,
            timeToExpire: Math.ceil(count.windowLeftMs / 1000),
            isBlocked: count.blockedLeftMs > 0,
            timeToBlockExpire: Math.ceil(count.blockedLeftMs / 1000),
          }
        : null,
    );
  }
}
