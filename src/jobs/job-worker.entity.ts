import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A job worker pool that is alive: the process running the worker writes its pool's id here and says it is still there
 * every {@link JOB_WORKER_HEARTBEAT_MS}. A job locked by a pool that stopped saying so (its process was killed) is
 * released for another pool, instead of waiting out graphile-worker's four-hour lock.
 */
@Entity({ name: 'job_workers' })
export class JobWorkerEntity {
  /**
   * graphile-worker's id of the worker pool (`pool-` and random hex): the id it locks jobs under (the column's name
   * predates that finding; the pool is what holds the jobs).
   */
  @PrimaryColumn({ name: 'worker_id', type: 'varchar', length: 64 })
  workerId: string;

  @Column({ name: 'seen_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  seenAt: Date;
}
