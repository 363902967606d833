import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Injectable, type INestApplicationContext, Module, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
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
        const database: { name: string }[] = await this.dataSource.query('SELECT current_database() AS name');
        const name = `"${database[0].name}"`;
        await this.dataSource.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await this.dataSource.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = 'essay-forum-jobs' AND datname = current_database()`,
        );
        setTimeout(() => void this.dataSource.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`), 500);
      }
      for (const waiter of this.waiting) if (this.timesRun(waiter.name) >= waiter.times) waiter.resolve();
    });
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

describe('JobQueue (on the real database)', () => {
  let context: INestApplicationContext;
  let drop: () => Promise<void>;

  before(async () => {
    const database = await newTestDatabase();
    drop = () => database.drop();
    @Module({ imports: [DatabaseModule.forRoot(database.url), DatabaseToolsModule, JobsSpecModule] })
    class SpecModule {}
    context = await NestFactory.createApplicationContext(SpecModule, { logger: false });
  });

  after(async () => {
    await context?.close();
    await drop?.();
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
});
