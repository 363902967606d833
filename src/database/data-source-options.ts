import { type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { entities } from './entities.js';

/** The app's pool when DATABASE_POOL_SIZE is not set. */
export const DEFAULT_POOL_SIZE = 20;

/** The one DataSource configuration, shared by the app, the CLI and the tests. Never `synchronize`. */
export function dataSourceOptions(
  url: string,
  extra: { poolSize?: number; applicationName?: string } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: entities(),
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    extra: {
      max: extra.poolSize ?? DEFAULT_POOL_SIZE,
      application_name: extra.applicationName ?? 'essay-forum',
      // A database that went away answers 503 within seconds (the pool reconnects by itself), not a hang.
      connectionTimeoutMillis: 5_000,
    },
  };
}
