import { createHash } from 'node:crypto';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type Tx } from '../../database/unit-of-work.js';
import { DomainError, ErrorCode } from '../errors/domain-error.js';
import { PeriodicTask } from '../periodic-task.js';
import { IdempotencyRepository } from './idempotency.repository.js';

/** Keys are kept this long (the contract asks for at least 24 hours). */
export const KEEP_KEYS_HOURS = 48;
const SWEEP_EVERY_MS = 3_600_000;

export interface IdempotentRequest {
  userId: string;
  key: string;
  /** Everything that makes the request what it is (route, target, body). */
  fingerprint: unknown;
}

/**
 * Idempotency-Key support inside the write's own transaction: the key is locked, a stored answer is replayed, and the
 * new answer is stored in the same commit as the write. So a retry, even a concurrent one, never writes twice, and a
 * write that rolled back stored nothing.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit, OnModuleDestroy {
  private readonly sweeper = new PeriodicTask('idempotency key pruning', SWEEP_EVERY_MS, () =>
    this.keys.deleteOlderThan(KEEP_KEYS_HOURS),
  );

  constructor(private readonly keys: IdempotencyRepository) {}

  onModuleInit(): void {
    this.sweeper.start();
  }

  onModuleDestroy(): void {
    this.sweeper.stop();
  }

  /** The stored answer of an earlier identical request, or null (and the key is held until the transaction ends). */
  async replay<T>(tx: Tx, request: IdempotentRequest): Promise<T | null> {
    await this.keys.lock(tx, request.userId, request.key);
    const stored = await this.keys.find(tx, request.userId, request.key);
    if (!stored) return null;
    if (stored.requestHash !== fingerprintHash(request.fingerprint)) {
      throw new DomainError(ErrorCode.Conflict, 'This Idempotency-Key was already used for a different request.');
    }
    return stored.body as T;
  }

  async remember(tx: Tx, request: IdempotentRequest, status: number, body: unknown): Promise<void> {
    await this.keys.save(tx, request.userId, request.key, {
      requestHash: fingerprintHash(request.fingerprint),
      status,
      body,
    });
  }

  /** Forgets the answers stored for a user's retries (account deletion: they hold the text of their comments). */
  async forgetUser(tx: Tx, userId: string): Promise<void> {
    await this.keys.deleteForUser(tx, userId);
  }
}

function fingerprintHash(fingerprint: unknown): string {
  return createHash('sha256').update(JSON.stringify(fingerprint)).digest('hex');
}
