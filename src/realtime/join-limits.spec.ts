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
  queries = 0;

  async hit(
    key: string,
    _windowMs: number,
    _limit: number,
    _blockMs: number,
    count = 1,
  ): Promise<{ hits: number; windowLeftMs: number; blockedLeftMs: number }> {
    this.queries++;
    // A round trip: joins that come meanwhile find the query under way.
    await new Promise((resolve) => setImmediate(resolve));
    const hits = (this.hits.get(key) ?? 0) + count;
    this.hits.set(key, hits);
    return { hits, windowLeftMs: 60_000, blockedLeftMs: 0 };
  }
}

/** The share of an address's budget one query counts (join-limits.ts). */
const SHARE = JOINS_PER_ADDRESS_PER_MINUTE / 16;

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
    const queries = counters.queries;
    assert.equal(await sut.allow(window, '10.0.0.1'), false);
    assert.equal(counters.queries, queries, 'no query for a refused one');
    assert.equal(counters.hits.get('live-join:10.0.0.1'), Math.ceil(JOINS_PER_CONNECTION_PER_MINUTE / SHARE) * SHARE);
  });

  it('counts an address’s joins in PostgreSQL a share of its budget at a time, one query at a time', async () => {
    const { sut, counters } = make();
    const joins = Array.from({ length: SHARE + 1 }, () => sut.allow(newJoinWindow(), '10.0.0.1'));
    assert.deepEqual(await Promise.all(joins), Array<boolean>(SHARE + 1).fill(true));
    assert.equal(counters.queries, 2, 'one query for the first share (the joins meanwhile waited for it), one more');
    assert.equal(counters.hits.get('live-join:10.0.0.1'), 2 * SHARE);
  });

  it('never grants an address more than its limit across processes, and refuses it without asking again', async () => {
    const counters = new FakeCounters();
    const config = loadConfig({ RATE_LIMIT_FACTOR: '1' });
    const processes = [0, 1, 2].map(() => new JoinLimits(counters as unknown as RateLimitRepository, config));
    let granted = 0;
    for (let i = 0; i < 2 * JOINS_PER_ADDRESS_PER_MINUTE; i++)
      if (await processes[i % 3].allow(newJoinWindow(), '10.0.0.1')) granted++;
    assert.ok(granted <= JOINS_PER_ADDRESS_PER_MINUTE, `${granted} granted`);
    assert.ok(granted >= JOINS_PER_ADDRESS_PER_MINUTE - 3 * SHARE, `${granted} granted`);
    const queries = counters.queries;
    for (const limits of processes) assert.equal(await limits.allow(newJoinWindow(), '10.0.0.1'), false);
    assert.equal(counters.queries, queries, 'each process knows the address is over its limit');
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
