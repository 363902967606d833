import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';

/**
 * Every entity is a `*.entity.js` file beside the domain that owns it; TypeORM loads them from these files, so the
 * database layer imports no domain. The app, the CLI and the tests run from dist/, and the build is incremental: a
 * compiled entity whose TypeScript source was moved or deleted is left out, as long as the sources are there to say.
 */
export function entityFiles(): string[] {
  const compiledRoot = fileURLToPath(new URL('..', import.meta.url));
  const sourceRoot = path.resolve(compiledRoot, '..', '..', 'src');
  const haveSources = existsSync(sourceRoot) && path.resolve(compiledRoot) !== sourceRoot;
  return readdirSync(compiledRoot, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.entity.js'))
    .filter((file) => !haveSources || existsSync(path.join(sourceRoot, file.replace(/\.js$/, '.ts'))))
    .sort()
    .map((file) => path.join(compiledRoot, file));
}

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
    entities: entityFiles(),
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
