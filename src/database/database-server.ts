import pg from 'pg';
import { type AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface DatabaseServer {
  /** URL of the application's database. */
  databaseUrl: string;
  /** Stops the embedded server, if this process started one. */
  close(): Promise<void>;
}

const EMBEDDED_DATABASE = 'forum';

/** The PostgreSQL the app uses: DATABASE_URL when set, otherwise an embedded server under DATA_DIR. */
export async function openDatabaseServer(
  config: AppConfig,
  log: (message: string) => void,
  notice: (message: string) => void = log,
): Promise<DatabaseServer> {
  if (config.databaseUrl) return { databaseUrl: config.databaseUrl, close: () => Promise.resolve() };
  const server = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPgPort,
    persistent: true,
    log,
    notice,
  });
  try {
    const databaseUrl = await ensureDatabase(server.serverUrl, EMBEDDED_DATABASE);
    return { databaseUrl, close: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Creates the database on the server when it does not exist; returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid database name ${name}`);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Creates database `name` as a copy of `template` (PostgreSQL copies its files: a migrated template gives a migrated
 * database in a fraction of the time the migrations take). The template must have no open connection while copied.
 */
export async function createDatabaseFromTemplate(serverUrl: string, name: string, template: string): Promise<string> {
  for (const each of [name, template]) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(each)) throw new Error(`Invalid database name ${each}`);
  }
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Readies a database to be copied by createDatabaseFromTemplate: no new connection is allowed to it (so no stray one
 * can make a copy fail), and any still open is closed. Its owner can still copy and drop it.
 */
export async function freezeAsTemplate(serverUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid database name ${name}`);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
  } finally {
    await client.end();
  }
}

/** Drops a database, closing its connections first. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid database name ${name}`);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
