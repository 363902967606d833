import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DomainError, ErrorCode } from '../errors/domain-error.js';
import { SecretsRepository } from '../secrets.repository.js';

const SIGNATURE_BYTES = 12;
const MAX_CURSOR_LENGTH = 512;

/**
 * Opaque, signed page cursors. A cursor is `base64url(json).base64url(hmac)`: the server reads back only what it
 * issued, and answers 400 to anything else (edited, truncated, from another list or another sort).
 */
@Injectable()
export class CursorCodec implements OnModuleInit {
  private key: Buffer;

  constructor(private readonly secrets: SecretsRepository) {}

  async onModuleInit(): Promise<void> {
    this.key = await this.secrets.getOrCreate('cursor-key');
  }

  /** For tests and tools that build a codec without Nest. */
  static withKey(key: Buffer): CursorCodec {
    const codec = new CursorCodec(undefined as unknown as SecretsRepository);
    codec.key = key;
    return codec;
  }

  encode(scope: string, position: unknown[]): string {
    const payload = Buffer.from(JSON.stringify([scope, ...position]), 'utf8').toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /**
   * The position a list resumes after: null without a cursor, else what `parse` reads from the cursor's stored
   * position; a 400 DomainError when the cursor was not issued for `scope` or `parse` refuses its shape (null).
   */
  positionOf<T>(scope: string, cursor: string | undefined, parse: (position: unknown[]) => T | null): T | null {
    if (!cursor) return null;
    const position = parse(this.decode(scope, cursor));
    if (position === null) throw badCursor();
    return position;
  }

  /** The position stored in a cursor issued for `scope`; a 400 DomainError for anything else. */
  decode(scope: string, cursor: string): unknown[] {
    const invalid = badCursor();
    if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) throw invalid;
    const [payload, signature, extra] = cursor.split('.');
    if (!payload || !signature || extra !== undefined) throw invalid;
    const expected = Buffer.from(this.sign(payload), 'base64url');
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid;
    }
    if (!Array.isArray(parsed) || parsed[0] !== scope) throw invalid;
    return parsed.slice(1);
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, SIGNATURE_BYTES).toString('base64url');
  }
}

function badCursor(): DomainError {
  return new DomainError(ErrorCode.BadCursor, 'The cursor is not one this server issued for this list.');
}
