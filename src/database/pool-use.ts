import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** How many connections the app's pool holds, how many of them are idle, and how many queries wait for one. */
export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
}

/** The counters node-postgres keeps on its Pool (pg's own names). */
interface PgPoolCounters {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** The pool's use, for the metrics; a provider of the module that asks (it needs only the app's DataSource). */
@Injectable()
export class DatabasePoolUse {
  constructor(private readonly dataSource: DataSource) {}

  read(): PoolUse | null {
    return readPoolUse(this.dataSource);
  }
}

/**
 * Reads the pool's use from the pg Pool behind a DataSource (TypeORM's PostgreSQL driver keeps it as `master`). Null
 * while the DataSource is not connected, or if a TypeORM release keeps its pool elsewhere: the metric is then absent
 * rather than wrong.
 */
export function readPoolUse(dataSource: DataSource): PoolUse | null {
  if (!dataSource.isInitialized) return null;
  const pool = (dataSource.driver as { master?: Partial<PgPoolCounters> }).master;
  if (
    typeof pool?.totalCount !== 'number' ||
    typeof pool.idleCount !== 'number' ||
    typeof pool.waitingCount !== 'number'
  )
    return null;
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}
