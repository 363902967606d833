import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';
import { ensureDatabase, openDatabaseServer } from './database-server.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { pendingSchemaChanges, runMigrations } from './migrate.js';

/**
 * `migrate`: runs pending migrations on the app's database (DATABASE_URL, or the embedded one under DATA_DIR).
 * `check-drift`: runs every migration on a new, empty database and fails when the entities want more SQL.
 */
async function main(command: string | undefined): Promise<number> {
  const log = (message: string) => console.log(message);
  switch (command) {
    case 'migrate': {
      const server = await openDatabaseServer(loadConfig(), () => undefined);
      try {
        const ds = await new DataSource(dataSourceOptions(server.databaseUrl, { poolSize: 2 })).initialize();
        const ran = await runMigrations(ds);
        await ds.destroy();
        log(ran.length ? `Ran ${ran.length} migration(s): ${ran.join(', ')}` : 'No pending migrations.');
        return 0;
      } finally {
        await server.close();
      }
    }
    case 'check-drift':
      return checkDrift(log);
    default:
      console.error('usage: cli.js migrate | check-drift');
      return 2;
  }
}

async function checkDrift(log: (message: string) => void): Promise<number> {
  const config = loadConfig();
  const scratch = config.databaseUrl ? null : await mkdtemp(path.join(tmpdir(), 'forum-drift-'));
  const server = scratch ? await startEmbeddedPostgres({ dataDir: scratch, port: 0, persistent: false, log: () => undefined }) : null;
  try {
    const baseUrl = server ? server.serverUrl : (config.databaseUrl as string);
    const url = await ensureDatabase(baseUrl, `drift_check_${process.pid}`);
    const ds = await new DataSource(dataSourceOptions(url, { poolSize: 2 })).initialize();
    try {
      await runMigrations(ds);
      const pending = await pendingSchemaChanges(ds);
      if (pending.length > 0) {
        console.error('Entities and migrations have drifted. The entities want:\n' + pending.map((q) => `  ${q};`).join('\n'));
        return 1;
      }
      log('Entities and migrations agree.');
      return 0;
    } finally {
      await ds.destroy();
      if (!server) {
        const admin = new DataSource({ type: 'postgres', url: baseUrl });
        await admin.initialize();
        await admin.query(`DROP DATABASE IF EXISTS drift_check_${process.pid}`);
        await admin.destroy();
      }
    }
  } finally {
    await server?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
