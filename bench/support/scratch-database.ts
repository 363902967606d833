import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/app-config.js';
import { dropDatabase, ensureDatabase } from '../../src/database/database-server.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/database/embedded-postgres.js';
import { prepareDatabase } from '../../src/database/prepare-database.js';

export interface ScratchDatabase {
  /** A migrated, empty database of this run's own. */
  databaseUrl: string;
  /** Its server (to create more databases on it). */
  serverUrl: string;
  /** The throwaway cluster's folder; null on DATABASE_URL's server. */
  dataDir: string | null;
  /** Drops the database, stops the throwaway cluster and removes its folder. */
  close(): Promise<void>;
}

/**
 * A benchmark's database: on DATABASE_URL's server when it is set, else on a throwaway embedded PostgreSQL on a free
 * port. Either way a fresh database named `<name>_<pid>_<random>`, migrated, that close() removes.
 */
export async function openScratchDatabase(name: string): Promise<ScratchDatabase> {
  const externalServer = loadConfig().databaseUrl;
  const databaseName = `${name}_${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
  const dataDir = externalServer ? null : await mkdtemp(path.join(os.tmpdir(), `forum-${name}-pg-`));
  let server: RunningPostgres | null = null;
  let serverUrl = externalServer;
  let created = false;
  const close = async () => {
    if (serverUrl && created) await dropDatabase(serverUrl, databaseName).catch(() => undefined);
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    if (dataDir) {
      server = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false, log: () => undefined });
      serverUrl = server.serverUrl;
    }
    const databaseUrl = await ensureDatabase(serverUrl as string, databaseName);
    created = true;
    await prepareDatabase(databaseUrl, () => undefined);
    return { databaseUrl, serverUrl: serverUrl as string, dataDir, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The server's version, for a bench's report. */
export async function postgresVersion(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
  } finally {
    await client.end();
  }
}
