import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DomainError, ErrorCode } from '../errors/domain-error.js';
import { CursorCodec } from './cursor-codec.js';

describe('CursorCodec', () => {
  const sut = CursorCodec.withKey(randomBytes(32));

  it('reads back the position it encoded for the same scope', () => {
    const cursor = sut.encode('thread:best', [0.53, '1234']);
    assert.deepEqual(sut.decode('thread:best', cursor), [0.53, '1234']);
  });

  it('refuses a cursor issued for another scope', () => {
    const cursor = sut.encode('thread:new', ['2026-01-01T00:00:00.000Z', '1']);
    assertBadCursor(() => sut.decode('thread:top', cursor));
  });

  it('refuses an edited, truncated, foreign or garbage cursor', () => {
    const cursor = sut.encode('articles', ['2026-01-01T00:00:00.000Z', '7']);
    const [payload, signature] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify(['articles', '2026-01-01T00:00:00.000Z', '8'])).toString('base64url');
    for (const bad of [
      `${forged}.${signature}`,
      cursor.slice(0, -2),
      payload,
      'abc',
      '',
      '...',
      'x'.repeat(600),
      `${cursor}.x`,
    ]) {
      assertBadCursor(() => sut.decode('articles', bad));
    }
    const other = CursorCodec.withKey(randomBytes(32)).encode('articles', ['2026-01-01T00:00:00.000Z', '7']);
    assertBadCursor(() => sut.decode('articles', other));
  });
});

function assertBadCursor(fn: () => unknown): void {
  assert.throws(fn, (error: unknown) => error instanceof DomainError && error.code === ErrorCode.BadCursor);
}

describe('CursorCodec.positionOf', () => {
  const sut = CursorCodec.withKey(randomBytes(32));
  const parseId = ([id]: unknown[]): string | null => (typeof id === 'string' ? id : null);

  it('starts from the top without a cursor', () => {
    assert.equal(sut.positionOf('log', undefined, parseId), null);
    assert.equal(sut.positionOf('log', '', parseId), null);
  });

  it('gives what the parser reads from a cursor issued for the scope', () => {
    assert.equal(sut.positionOf('log', sut.encode('log', ['42']), parseId), '42');
  });

  it('answers a bad cursor when the parser refuses the stored shape or the scope differs', () => {
    assertBadCursor(() => sut.positionOf('log', sut.encode('log', [42]), parseId));
    assertBadCursor(() => sut.positionOf('log', sut.encode('other', ['42']), parseId));
  });
});
