import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Injectable, type INestApplicationContext, Module, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { eventually } from '../../test/helpers/entry-point.js';
import { untilJobsDone } from '../../test/helpers/jobs.js';
import { newTestDatabase } from '../../test/helpers/test-app.js';
import { DatabaseToolsModule } from '../database/database-tools.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { JobQueue } from './job-queue.js';
import { JobsModule } from './jobs.module.js';

/** A task whose first run cuts the worker's own database connections, as a database restart does. */
@Injectable()
class Jobs implements OnModuleInit {
  readonly runs: string[] = [];
  private readonly waiting: { name: string; times: number; resolve: () => void }[] = [];
  /** A job named `hold` ends only when this is resolved. */
  private releaseHeld?: () => void;
  private readonly held = new Promise<void>((resolve) => (this.releaseHeld = resolve));

  constructor(
    private readonly queue: JobQueue,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.queue.register('spec.cut', async (payload) => {
      const { name } = payload as { name: string };
      this.runs.push(name);
      if (name === 'cut' && this.timesRun(name) === 1) {
        // As a database restart does: the worker's connections (its LISTEN, the one that would mark this job done)
        // end under it, and no new one is let in for a moment, so the job's end cannot be written.
        // From the server's maintenance database: PostgreSQL refuses to close the current database to connections.
        const url = new URL((this.dataSource.options as { url: string }).url);
        const databaseName = decodeURIComponent(url.pathname.slice(1));
        const database = pg.escapeIdentifier(databaseName);
        url.pathname = '/postgres';
        const admin = new pg.Client({ connectionString: url.toString() });
        await admin.connect();
        await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = 'essay-forum-jobs' AND datname = $1`,
          [databaseName],
        );
        setTimeout(
          () =>
            void admin
              .query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`)
              .finally(() => admin.end())
              .catch(() => undefined),
          500,
        );
      }
      for (const waiter of this.waiting) if (this.timesRun(waiter.name) >= waiter.times) waiter.resolve();
      if (name === 'hold') await this.held;
    });
  }

  /** Lets the `hold` job end. */
  release(): void {
    this.releaseHeld?.();
  }

  timesRun(name: string): number {
    return this.runs.filter((run) => run === name).length;
  }

  /** Resolves once the job named so has run `times` times. */
  ran(name: string, times = 1): Promise<void> {
    if (this.timesRun(name) >= times) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ name, times, resolve }));
  }
}

@Module({ imports: [JobsModule], providers: [Jobs] })
class JobsSpecModule {}

/** What one app process holds of the queue: its own JobQueue and its own pools, on the given database. */
async function processOn(url: string): Promise<INestApplicationContext> {
  @Module({ imports: [DatabaseModule.forRoot(url), DatabaseToolsModule, JobsSpecModule] })
  class SpecModule {}
  return NestFactory.createApplicationContext(SpecModule, { logger: false });
}

describe('JobQueue (on the real database)', () => {
  let context: INestApplicationContext;
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    const database = await newTestDatabase();
    cleanups.push(() => database.drop());
    context = await processOn(database.url);
    cleanups.push(() => context.close());
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it(
    'replaces a worker whose connections were cut as a job ended: the job is released and runs again, and later ones run',
    { timeout: 30_000 },
    async () => {
      const uow = context.get(UnitOfWork);
      const queue = context.get(JobQueue);
      const jobs = context.get(Jobs);
      await uow.run((tx) => queue.enqueue(tx, 'spec.cut', { name: 'cut' }));
      // Its end could not be written: the worker stops, another starts and runs the job again (at least once is the
      // queue's promise, which the handlers keep by being idempotent).
      await jobs.ran('cut', 2);
      await uow.run((tx) => queue.enqueue(tx, 'spec.cut', { name: 'after' }));
      await jobs.ran('after');
      await untilJobsDone(context.get(DataSource), 10_000);
      assert.deepEqual(jobs.runs, ['cut', 'cut', 'after']);
    },
  );

  it('releases the jobs of a worker that stopped answering, not those of a worker that is alive', async () => {
    const queue = context.get(JobQueue);
    const jobs = context.get(Jobs);
    const dataSource = context.get(DataSource);
    const registered: { workerId: string }[] = await dataSource.query(
      `SELECT worker_id AS "workerId" FROM job_workers`,
    );
    assert.ok(registered.length > 0, 'the running worker says it is alive');
    // Two jobs locked two minutes ago, as by a worker in a process that was killed and by one that is alive. Added
    // for later and locked in one transaction, so that this process's worker cannot take them first.
    await dataSource.query(`INSERT INTO job_workers (worker_id, seen_at) VALUES ('worker-alive', now())`);
    await dataSource.transaction(async (manager) => {
      for (const [name, worker] of [
        ['orphan', 'worker-killed'],
        ['held', 'worker-alive'],
      ]) {
        await manager.query(
          `SELECT graphile_worker.add_job('spec.cut', $1::json, run_at => now() + interval '1 hour', job_key => $2)`,
          [JSON.stringify({ name }), name],
        );
        await manager.query(
          `UPDATE graphile_worker._private_jobs SET locked_by = $2, locked_at = now() - interval '2 minutes',
                  run_at = now() - interval '2 minutes'
            WHERE key = $1`,
          [name, worker],
        );
      }
    });

    assert.deepEqual(await queue.beat(60), ['worker-killed']);
    await jobs.ran('orphan');
    const held: { lockedBy: string }[] = await dataSource.query(
      `SELECT locked_by AS "lockedBy" FROM graphile_worker.jobs WHERE key = 'held'`,
    );
    assert.deepEqual(held, [{ lockedBy: 'worker-alive' }], 'a job of a worker seen within the minute stays with it');
    assert.equal(jobs.timesRun('held'), 0);
  });

  it('keeps a job in hand with its pool, alive, however long it runs', async () => {
    const queue = context.get(JobQueue);
    const jobs = context.get(Jobs);
    const dataSource = context.get(DataSource);
    await context.get(UnitOfWork).run((tx) => queue.enqueue(tx, 'spec.cut', { name: 'hold' }));
    await jobs.ran('hold');
    try {
      // Locked for more than a minute by this process's pool, which says it is alive: not taken for dead.
      await dataSource.query(
        `UPDATE graphile_worker._private_jobs SET locked_at = now() - interval '2 minutes'
          WHERE locked_at IS NOT NULL AND payload->>'name' = 'hold'`,
      );
      assert.deepEqual(await queue.beat(60), []);
      const locked: { lockedBy: string }[] = await dataSource.query(
        `SELECT j.locked_by AS "lockedBy" FROM graphile_worker._private_jobs j JOIN job_workers w ON w.worker_id = j.locked_by
          WHERE j.payload->>'name' = 'hold'`,
      );
      assert.equal(locked.length, 1, 'the job is locked under the id the heartbeat registers');
    } finally {
      jobs.release();
    }
    const done = await eventually(async () => {
      const left: unknown[] = await dataSource.query(
        `SELECT 1 FROM graphile_worker._private_jobs WHERE payload->>'name' = 'hold'`,
      );
      return left.length === 0;
    }, 10_000);
    assert.ok(done, 'the job ended and was marked done');
    assert.equal(jobs.timesRun('hold'), 1, 'it ran once');
  });

  it('runs the worker in one process at a time; another takes over when it stops', { timeout: 30_000 }, async () => {
    const database = await newTestDatabase();
    cleanups.push(() => database.drop());
    const first = await processOn(database.url);
    let firstOpen = true;
    cleanups.push(async () => {
      if (firstOpen) await first.close();
    });
    const second = await processOn(database.url);
    cleanups.push(() => second.close());
    assert.equal(first.get(JobQueue).isRunner, true, 'the first process runs the worker');
    assert.equal(second.get(JobQueue).isRunner, false, 'the second one waits');
    // Jobs queued by the second process run in the first, and only there.
    for (const name of ['one', 'two', 'three'])
      await second.get(UnitOfWork).run((tx) => second.get(JobQueue).enqueue(tx, 'spec.cut', { name }));
    await untilJobsDone(second.get(DataSource), 10_000);
    assert.deepEqual(second.get(Jobs).runs, []);
    assert.deepEqual(first.get(Jobs).runs, ['one', 'two', 'three']);

    firstOpen = false;
    await first.close();
    const tookOver = await eventually(() => Promise.resolve(second.get(JobQueue).isRunner), 10_000);
    assert.ok(tookOver, 'the second process took the lock once the first stopped');
    await second.get(UnitOfWork).run((tx) => second.get(JobQueue).enqueue(tx, 'spec.cut', { name: 'handed over' }));
    await second.get(Jobs).ran('handed over');
  });
});
