import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';
import { ensureDatabase, openDatabaseServer } from './database-server.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { installJobQueueSchema } from './prepare-database.js';
import { migrationSource, pendingSchemaChanges, runMigrations, schemaChanges } from './migrate.js';

/** The repository's migrations/ folder (this file runs as dist/src/database/cli.js). */
const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'migrations');

/**
 * `migrate`: runs pending migrations on the app's database (DATABASE_URL, or the embedded one under DATA_DIR).
 * `check-drift`: runs every migration on a new, empty database and fails when the entities want more SQL.
 * `generate <Name>`: runs every migration on a new, empty database and writes the SQL the entities still want as a
 * new migration in migrations/, to review and add to migrations/index.ts. (A new database, not the app's: the
 * migration is the difference between the migrations and the entities, whatever state a local database is in.)
 */
async function main(command: string | undefined, args: string[]): Promise<number> {
  const log = (message: string) => console.log(message);
  switch (command) {
    case 'migrate': {
      const server = await openDatabaseServer(loadConfig(), () => undefined);
      try {
        const ds = await new DataSource(dataSourceOptions(server.databaseUrl, { poolSize: 2 })).initialize();
        const ran = await runMigrations(ds);
        await ds.destroy();
        await installJobQueueSchema(server.databaseUrl);
        log(ran.length ? `Ran ${ran.length} migration(s): ${ran.join(', ')}` : 'No pending migrations.');
        return 0;
      } finally {
        await server.close();
      }
    }
    case 'check-drift':
      return withMigratedScratchDatabase(async (ds) => {
        const pending = await pendingSchemaChanges(ds);
        if (pending.length > 0) {
          console.error(
            'Entities and migrations have drifted. The entities want:\n' + pending.map((q) => `  ${q};`).join('\n'),
          );
          return 1;
        }
        log('Entities and migrations agree.');
        return 0;
      });
    case 'generate':
      return generate(args[0], log);
    default:
      console.error('usage: cli.js migrate | check-drift | generate <Name>');
      return 2;
  }
}

async function generate(name: string | undefined, log: (message: string) => void): Promise<number> {
  if (!name || !/^[A-Z][A-Za-z0-9]{0,99}$/.test(name)) {
    console.error('usage: npm run migration:generate -- <Name>, the name in PascalCase (such as AddCommentPins)');
    return 2;
  }
  return withMigratedScratchDatabase(async (ds) => {
    const changes = await schemaChanges(ds);
    if (changes.up.length === 0) {
      log('Entities and migrations agree: no migration to generate.');
      return 0;
    }
    const timestamp = Date.now();
    const kebab = name.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '-').toLowerCase();
    const file = path.join(MIGRATIONS_DIR, `${timestamp}-${kebab}.ts`);
    await writeFile(file, migrationSource(`${name}${timestamp}`, changes), { flag: 'wx' });
    log(`Wrote ${path.relative(process.cwd(), file)} (${changes.up.length} statement(s)).`);
    log(`Review it, then add ${name}${timestamp} to migrations/index.ts.`);
    return 0;
  });
}

/** A new, empty database with every migration run, on DATABASE_URL's server or a throwaway embedded one. */
async function withMigratedScratchDatabase(work: (ds: DataSource) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const scratch = config.databaseUrl ? null : await mkdtemp(path.join(tmpdir(), 'forum-drift-'));
  const server = scratch
    ? await startEmbeddedPostgres({ dataDir: scratch, port: 0, persistent: false, log: () => undefined })
    : null;
  try {
    const baseUrl = server ? server.serverUrl : (config.databaseUrl as string);
    const url = await ensureDatabase(baseUrl, `drift_check_${process.pid}`);
    const ds = await new DataSource(dataSourceOptions(url, { poolSize: 2 })).initialize();
    try {
      await runMigrations(ds);
      // With the job queue's schema beside ours, as every real database has it: it must not look like drift.
      await installJobQueueSchema(url);
      return await work(ds);
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

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
