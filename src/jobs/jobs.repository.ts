import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Tx } from '../database/unit-of-work.js';

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

/** The job queue's queries of our own: adding a job (in the caller's transaction), and releasing a stopped worker's. */
@Injectable()
export class JobsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Adds a job through graphile-worker's own SQL function, in the caller's transaction: the job exists if and only if
   * the write that caused it commits, and its insert trigger's NOTIFY reaches the workers at that commit.
   */
  async add(tx: Tx, job: NewJob): Promise<void> {
    await tx.query(
      `SELECT graphile_worker.add_job($1, $2::json, run_at => $3, max_attempts => $4, job_key => $5, job_key_mode => coalesce($6, 'replace'))`,
      [job.task, JSON.stringify(job.payload), job.runAt, job.maxAttempts, job.jobKey, job.jobKeyMode],
    );
  }

  /** Releases the jobs these workers (of a worker that stopped) held, so that another worker runs them now. */
  async unlockWorkers(workerIds: string[]): Promise<void> {
    if (workerIds.length === 0) return;
    await this.dataSource.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [workerIds]);
  }
}
