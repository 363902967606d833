import { type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { ENTITIES } from './entities.js';

/** The one DataSource configuration, shared by the app, the CLI and the tests. Never `synchronize`. */
export function dataSourceOptions(url: string, extra: { poolSize?: number; applicationName?: string } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    extra: {
      max: extra.poolSize ?? 20,
      application_name: extra.applicationName ?? 'essay-forum',
      // A database that went away answers 503 within seconds (the pool reconnects by itself), not a hang.
      connectionTimeoutMillis: 5_000,
    },
  };
}
