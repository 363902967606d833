import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { AppConfig, DEFAULT_PASSWORD_HASHING } from '../config/app-config.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { Semaphore, SemaphoreFullError } from '../common/semaphore.js';

/**
 * Hashes at once, at most. argon2 runs on libuv's thread pool (4 threads), which the PostgreSQL driver also needs: a
 * new connection's SCRAM handshake is WebCrypto work on the same pool. A burst of sign-ins holding every thread made
 * connecting wait past the pool's 5 s timeout (503s under load); with two hashes at a time, two threads stay free.
 * It also bounds memory: each hash takes 64 MiB, so 50 sign-ins at once would otherwise ask for 3.2 GiB.
 */
const CONCURRENT_HASHES = 2;
/**
 * Hashes that may wait for a slot. Beyond them a sign-in (or registration) answers 503 with Retry-After at once: an
 * unbounded queue let 40 concurrent sign-ins keep a real one waiting 5 s, and each waiter holds its request open.
 * Sixteen waiting behind two running is under a second of queue on a quiet machine.
 */
export const MAX_WAITING_HASHES = 16;
/** Seconds a refused sign-in is told to wait. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Verified against when the user does not exist, so that both failures take about the same time: an argon2id hash,
 * with the same parameters as hash() (64 MiB, 3 passes, 4 lanes), of a random password that was thrown away. It was
 * computed once rather than at every start, where it cost ~400 ms of each boot (of the server and of every test app);
 * nothing can match it, and verify() answers false for a missing hash whatever argon2 says.
 */
export const DECOY_HASH =
  '$argon2id$v=19$m=65536,p=4,t=3$NXoBwZJx51xFqEuhceZJUA$t2ZoqFV0KSGqLILEuHSiH0pZG4D25W59kAgw8HlAPt8';

/**
 * argon2id with the library's memory-hard defaults (64 MiB, 3 passes, 4 lanes), or the cost AppConfig gives (the test
 * harnesses lower it).
 */
@Injectable()
export class PasswordHasher {
  private readonly slots = new Semaphore(CONCURRENT_HASHES, MAX_WAITING_HASHES);
  private readonly options: { type: typeof argon2.argon2id; memoryCost: number; timeCost: number; parallelism: 4 };
  /** The decoy for this cost: the precomputed one at the default cost, else made at the first verify that needs it. */
  private decoy: Promise<string> | null;

  constructor(config: AppConfig) {
    const { memoryKiB, passes } = config.passwordHashing;
    this.options = { type: argon2.argon2id, memoryCost: memoryKiB, timeCost: passes, parallelism: 4 };
    const isDefault = memoryKiB === DEFAULT_PASSWORD_HASHING.memoryKiB && passes === DEFAULT_PASSWORD_HASHING.passes;
    this.decoy = isDefault ? Promise.resolve(DECOY_HASH) : null;
  }

  hash(password: string): Promise<string> {
    return this.inTurn(() => argon2.hash(password, this.options));
  }

  /** False for a wrong password, and (after the same work) for no hash at all. */
  async verify(hash: string | null, password: string): Promise<boolean> {
    const against = hash ?? (await this.decoyHash());
    const ok = await this.inTurn(() => argon2.verify(against, password).catch(() => false));
    return ok && hash !== null;
  }

  private decoyHash(): Promise<string> {
    this.decoy ??= argon2.hash(randomBytes(32).toString('base64url'), this.options);
    return this.decoy;
  }

  /** Runs argon2 work when a slot is free; a 503 at once when the queue is full. */
  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.slots.run(work);
    } catch (error) {
      if (error instanceof SemaphoreFullError) {
        throw new DomainError(
          ErrorCode.ServiceUnavailable,
          'Too many sign-ins at once; try again in a moment.',
          RETRY_AFTER_SECONDS,
        );
      }
      throw error;
    }
  }
}
