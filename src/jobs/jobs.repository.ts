import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { type Statement, type Tx } from '../database/unit-of-work.js';

/** The session-level advisory lock of the one process that runs the job worker (beside migrate.ts's 7_204_113). */
const JOB_RUNNER_LOCK = 7_204_115;

export interface NewJob {
  task: string;
  payload: unknown;
  runAt: Date | null;
  jobKey: string | null;
  jobKeyMode: JobKeyMode | null;
  maxAttempts: number | null;
}

/**
 * graphile-worker's modes for a job key: `replace` (the default: a job with the same key, not yet running, is replaced,
 * payload and time too: a debounce), `preserve_run_at` (replaced, but keeps its time: a throttle), `unsafe_dedupe`
 * (the existing job is kept as it is).
 */
export type JobKeyMode = 'replace' | 'preserve_run_at' | 'unsafe_dedupe';

/**
 * The job queue's queries of our own: adding a job (in the caller's transaction), the runner's lock, the registry of
 * live worker pools, and releasing the jobs of a pool that stopped or died.
 */
@Injectable()
export class JobsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Adds a job through graphile-worker's own SQL function, in the caller's transaction: the job exists if and only if
   * the write that caused it commits, and its insert trigger's NOTIFY reaches the workers at that commit.
   */
  async add(tx: Tx, job: NewJob): Promise<void> {
    const { text, values } = this.addStatement(job);
    await tx.query(text, values);
  }

  /** {@link add}'s statement, for a caller that sends it itself (UnitOfWork.closeWith, in the round trip that commits). */
  addStatement(job: NewJob): Statement {
    return {
      text: `SELECT graphile_worker.add_job($1, $2::json, run_at => $3, max_attempts => $4, job_key => $5, job_key_mode => coalesce($6, 'replace'))`,
      values: [job.task, JSON.stringify(job.payload), job.runAt, job.maxAttempts, job.jobKey, job.jobKeyMode],
    };
  }

  /**
   * Takes the runner's lock on `session`, a connection of its own, unless another session holds it: true when taken.
   * It is held until `session` ends, which PostgreSQL notices at once when the process holding it dies.
   */
  async tryTakeRunnerLock(session: pg.ClientBase): Promise<boolean> {
    const result = await session.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1) AS taken', [
      JOB_RUNNER_LOCK,
    ]);
    return result.rows[0]?.taken === true;
  }

  /**
   * Releases the jobs these worker pools (that stopped) held, so that another pool runs them now. graphile-worker
   * locks a job under its pool's id (`pool-…`), whichever of the pool's workers runs it.
   */
  async unlockWorkers(poolIds: string[]): Promise<void> {
    if (poolIds.length === 0) return;
    await this.dataSource.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [poolIds]);
  }

  /** These worker pools are alive now (registered, or seen again). */
  async heartbeat(poolIds: string[]): Promise<void> {
    if (poolIds.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO job_workers (worker_id, seen_at) SELECT unnest($1::text[]), now()
       ON CONFLICT (worker_id) DO UPDATE SET seen_at = excluded.seen_at`,
      [poolIds],
    );
  }

  /** These worker pools stopped (a clean stop): out of the registry. */
  async forgetWorkers(poolIds: string[]): Promise<void> {
    if (poolIds.length === 0) return;
    await this.dataSource.query('DELETE FROM job_workers WHERE worker_id = ANY($1::text[])', [poolIds]);
  }

  /**
   * Releases the jobs held by worker pools that are not alive: locked more than `staleSeconds` ago by a pool not seen
   * in the registry for that long (its process was killed, or it predates the registry). graphile-worker's view of
   * the jobs and its own `force_unlock_workers`; registry rows older than a day are dropped on the way. Returns the
   * pools whose jobs were released.
   */
  async releaseLostWorkers(staleSeconds: number): Promise<string[]> {
    await this.dataSource.query(`DELETE FROM job_workers WHERE seen_at < now() - interval '1 day'`);
    const rows: { workerId: string }[] = await this.dataSource.query(
      `SELECT DISTINCT j.locked_by AS "workerId" FROM graphile_worker.jobs j
        WHERE j.locked_by IS NOT NULL AND j.locked_at < now() - make_interval(secs => $1)
          AND NOT EXISTS (
            SELECT 1 FROM job_workers w WHERE w.worker_id = j.locked_by AND w.seen_at >= now() - make_interval(secs => $1)
          )`,
      [staleSeconds],
    );
    const lost = rows.map((row) => row.workerId);
    await this.unlockWorkers(lost);
    return lost;
  }
}
