import { Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';

/** argon2id with the library's memory-hard defaults (64 MiB, 3 passes). */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** Verified against when the user does not exist, so that both failures take about the same time. */
  private decoy: string;

  async onModuleInit(): Promise<void> {
    this.decoy = await this.hash('a password nobody has');
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  /** False for a wrong password, and (after the same work) for no hash at all. */
  async verify(hash: string | null, password: string): Promise<boolean> {
    try {
      const ok = await argon2.verify(hash ?? this.decoy, password);
      return ok && hash !== null;
    } catch {
      return false;
    }
  }
}
