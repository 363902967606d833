import { Injectable } from '@nestjs/common';
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

/** The one query of the job queue that runs in our own transactions: adding a job. */
@Injectable()
export class JobsRepository {
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
}
