import { Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';
import { Semaphore } from '../common/semaphore.js';

/**
 * Hashes at once, at most. argon2 runs on libuv's thread pool (4 threads), which the PostgreSQL driver also needs: a
 * new connection's SCRAM handshake is WebCrypto work on the same pool. A burst of sign-ins holding every thread made
 * connecting wait past the pool's 5 s timeout (503s under load); with two hashes at a time, two threads stay free.
 * It also bounds memory: each hash takes 64 MiB, so 50 sign-ins at once would otherwise ask for 3.2 GiB.
 */
const CONCURRENT_HASHES = 2;

/** argon2id with the library's memory-hard defaults (64 MiB, 3 passes). */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** Verified against when the user does not exist, so that both failures take about the same time. */
  private decoy: string;
  private readonly slots = new Semaphore(CONCURRENT_HASHES);

  async onModuleInit(): Promise<void> {
    this.decoy = await this.hash('a password nobody has');
  }

  hash(password: string): Promise<string> {
    return this.slots.run(() => argon2.hash(password, { type: argon2.argon2id }));
  }

  /** False for a wrong password, and (after the same work) for no hash at all. */
  async verify(hash: string | null, password: string): Promise<boolean> {
    try {
      const ok = await this.slots.run(() => argon2.verify(hash ?? this.decoy, password));
      return ok && hash !== null;
    } catch {
      return false;
    }
  }
}
