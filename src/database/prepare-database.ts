import { Logger as WorkerLogger, runMigrations as installJobQueue } from 'graphile-worker';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';
import { runMigrations } from './migrate.js';

/**
 * Runs pending migrations before the app opens its pool, then installs or upgrades the job queue's schema
 * (`graphile_worker`, which graphile-worker owns and migrates itself, safely when several processes start at once).
 * Both here, so that a start, the CLI's `migrate` and the test harness's template database all have both.
 */
export async function prepareDatabase(databaseUrl: string, log: (message: string) => void): Promise<void> {
  const dataSource = await new DataSource(
    dataSourceOptions(databaseUrl, { poolSize: 2, applicationName: 'essay-forum-migrate' }),
  ).initialize();
  try {
    const ran = await runMigrations(dataSource);
    if (ran.length > 0) log(`Ran ${ran.length} migration(s): ${ran.join(', ')}`);
  } finally {
    await dataSource.destroy();
  }
  await installJobQueueSchema(databaseUrl);
}

/** graphile-worker's schema, installed or brought up to date (it does nothing when it is current). */
export async function installJobQueueSchema(databaseUrl: string): Promise<void> {
  await installJobQueue({
    connectionString: databaseUrl,
    maxPoolSize: 1,
    // Its news (the schema it installed) is not ours to print; a failure throws and stops the start.
    logger: new WorkerLogger(() => () => undefined),
  });
}
