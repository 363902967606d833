import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';
import { runMigrations } from './migrate.js';

/** Runs pending migrations before the app opens its pool. */
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
}
