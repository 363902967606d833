import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RateLimitRepository } from '../common/rate-limit/rate-limit.repository.js';
import { loadConfig } from '../config/app-config.js';
import {
  JOINS_PER_ADDRESS_PER_MINUTE,
  JOINS_PER_CONNECTION_PER_MINUTE,
  JoinLimits,
  newJoinWindow,
} from './join-limits.js';

/** The PostgreSQL counter, as a map: one window per key that never ends within a test. */
class FakeCounters {
  readonly hits = new Map<string, number>();

  hit(key: string): Promise<{ hits: number; windowLeftMs: number; blockedLeftMs: number }> {
    const hits = (this.hits.get(key) ?? 0) + 1;
    this.hits.set(key, hits);
    return Promise.resolve({ hits, windowLeftMs: 60_000, blockedLeftMs: 0 });
  }
}

describe('JoinLimits', () => {
  const make = (factor = '1') => {
    const counters = new FakeCounters();
    const sut = new JoinLimits(counters as unknown as RateLimitRepository, loadConfig({ RATE_LIMIT_FACTOR: factor }));
    return { sut, counters };
  };

  it('refuses a connection over its limit without counting it for the address', async () => {
    const { sut, counters } = make();
    const window = newJoinWindow();
    for (let i = 0; i < JOINS_PER_CONNECTION_PER_MINUTE; i++) assert.equal(await sut.allow(window, '10.0.0.1'), true);
    assert.equal(await sut.allow(window, '10.0.0.1'), false);
    assert.equal(
      counters.hits.get('live-join:10.0.0.1'),
      JOINS_PER_CONNECTION_PER_MINUTE,
      'no query for a refused one',
    );
  });

  it('starts a connection’s count again after a minute', async () => {
    const { sut } = make();
    const window = newJoinWindow();
    for (let i = 0; i < JOINS_PER_CONNECTION_PER_MINUTE; i++) await sut.allow(window, '10.0.0.1');
    assert.equal(await sut.allow(window, '10.0.0.1'), false);
    window.startedAt -= 60_000;
    assert.equal(await sut.allow(window, '10.0.0.1'), true);
  });

  it('refuses an address over its limit across connections; another address is not affected', async () => {
    const { sut } = make();
    let allowed = 0;
    for (let c = 0; allowed < JOINS_PER_ADDRESS_PER_MINUTE; c++) {
      const window = newJoinWindow();
      for (let i = 0; i < JOINS_PER_CONNECTION_PER_MINUTE && allowed < JOINS_PER_ADDRESS_PER_MINUTE; i++) {
        assert.equal(await sut.allow(window, '10.0.0.1'), true);
        allowed++;
      }
    }
    assert.equal(await sut.allow(newJoinWindow(), '10.0.0.1'), false);
    assert.equal(await sut.allow(newJoinWindow(), '10.0.0.2'), true);
  });

  it('scales both limits with RATE_LIMIT_FACTOR', async () => {
    const { sut } = make('2');
    const window = newJoinWindow();
    for (let i = 0; i < 2 * JOINS_PER_CONNECTION_PER_MINUTE; i++)
      assert.equal(await sut.allow(window, '10.0.0.1'), true);
    assert.equal(await sut.allow(window, '10.0.0.1'), false);
  });
});
