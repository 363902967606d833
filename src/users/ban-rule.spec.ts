import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { banInForceSql, isBanInForce } from './ban-rule.js';

describe('a ban in force', () => {
  const now = new Date('2026-06-01T12:00:00.000Z');
  const at = (offsetMs: number): Date => new Date(now.getTime() + offsetMs);

  it('holds for a ban without an end date', () => {
    assert.equal(isBanInForce({ banned: true, bannedUntil: null }, now), true);
  });

  it('holds for a ban that ends later', () => {
    assert.equal(isBanInForce({ banned: true, bannedUntil: at(1) }, now), true);
  });

  it('no longer holds once the end date is reached, even before the sweep clears it', () => {
    assert.equal(isBanInForce({ banned: true, bannedUntil: now }, now), false);
    assert.equal(isBanInForce({ banned: true, bannedUntil: at(-60_000) }, now), false);
  });

  it('never holds for a user who is not banned', () => {
    assert.equal(isBanInForce({ banned: false, bannedUntil: null }, now), false);
    assert.equal(isBanInForce({ banned: false, bannedUntil: at(60_000) }, now), false);
  });

  it('reads the same columns in SQL, with or without a table alias', () => {
    assert.equal(banInForceSql(), '(banned AND (banned_until IS NULL OR banned_until > now()))');
    assert.equal(banInForceSql('u'), '(u.banned AND (u.banned_until IS NULL OR u.banned_until > now()))');
  });
});
