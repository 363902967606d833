import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LiveFanoutState, LiveFanoutStatus } from '../common/live-fanout-status.js';
import { type HealthRepository } from './health.repository.js';
import { HealthService } from './health.service.js';

function setUp(options: { ping?: () => Promise<void>; applied?: boolean; fanout?: LiveFanoutState } = {}) {
  const calls = { ping: 0, migrations: 0 };
  const repository = {
    ping: () => {
      calls.ping++;
      return options.ping ? options.ping() : Promise.resolve();
    },
    migrationsApplied: () => {
      calls.migrations++;
      return Promise.resolve(options.applied ?? true);
    },
  } as unknown as HealthRepository;
  const status = new LiveFanoutStatus();
  const fanout = options.fanout ?? { mode: 'postgres', up: true, since: new Date('2026-01-01T00:00:00Z') };
  status.attach(() => fanout);
  return { sut: new HealthService(repository, status), calls };
}

describe('HealthService', () => {
  it('is ready when the database answers, the migrations are applied and live fan-out listens', async () => {
    const { sut, calls } = setUp();
    assert.deepEqual(await sut.readiness(), {
      status: 'ready',
      stopping: false,
      checks: {
        database: { status: 'up' },
        migrations: { status: 'up' },
        liveFanout: { status: 'up', mode: 'postgres', since: '2026-01-01T00:00:00.000Z' },
      },
    });
    await sut.readiness();
    assert.equal(calls.migrations, 1, 'applied migrations are not asked again');
    assert.equal(calls.ping, 2);
  });

  it('names the failing check with a status only, never the error', async () => {
    const { sut } = setUp({ ping: () => Promise.reject(new Error('connect ECONNREFUSED postgres://user:secret@db')) });
    const report = await sut.readiness();
    assert.equal(report.status, 'unavailable');
    assert.deepEqual(report.checks.database, { status: 'down' });
    assert.doesNotMatch(JSON.stringify(report), /ECONN|secret|postgres:/);
  });

  it('is unavailable while live fan-out is reconnecting, even with the database up', async () => {
    const since = new Date();
    const { sut } = setUp({ fanout: { mode: 'postgres', up: false, since } });
    const report = await sut.readiness();
    assert.equal(report.status, 'unavailable');
    assert.deepEqual(report.checks.liveFanout, { status: 'down', mode: 'postgres', since: since.toISOString() });
  });

  it('counts a database that does not answer in time as down', async () => {
    const { sut } = setUp({ ping: () => new Promise(() => undefined) });
    const started = Date.now();
    const report = await sut.readiness();
    assert.equal(report.checks.database?.status, 'down');
    assert.ok(Date.now() - started < 3_000);
  });

  it('answers unavailable at once when the process stops, without asking the database', async () => {
    const { sut, calls } = setUp();
    sut.onModuleDestroy();
    const report = await sut.readiness();
    assert.equal(report.status, 'unavailable');
    assert.equal(report.stopping, true);
    assert.equal(calls.ping + calls.migrations, 0);
  });
});
