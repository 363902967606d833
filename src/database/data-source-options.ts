import { fileURLToPath } from 'node:url';
import { type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';

/**
 * Every entity is a `*.entity.js` file beside the domain that owns it; TypeORM finds them by this pattern, so the
 * database layer imports no domain. (The files are the compiled ones: the app, the CLI and the tests run from dist/.)
 */
export const ENTITY_FILES = fileURLToPath(new URL('../**/*.entity.js', import.meta.url));

/** The one DataSource configuration, shared by the app, the CLI and the tests. Never `synchronize`. */
export function dataSourceOptions(url: string, extra: { poolSize?: number; applicationName?: string } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [ENTITY_FILES],
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
