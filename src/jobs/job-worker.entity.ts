import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A job worker that is alive: each process's worker writes its id here and says it is still there every
 * {@link JOB_WORKER_HEARTBEAT_MS}. A job locked by a worker that stopped saying so (its process was killed) is released
 * for another worker, instead of waiting out graphile-worker's four-hour lock.
 */
@Entity({ name: 'job_workers' })
export class JobWorkerEntity {
  /** graphile-worker's id of the worker (`worker-` and random hex). */
  @PrimaryColumn({ name: 'worker_id', type: 'varchar', length: 64 })
  workerId: string;

  @Column({ name: 'seen_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  seenAt: Date;
}
