import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';

/**
 * `npm test`: starts one throwaway embedded PostgreSQL (or uses DATABASE_URL's server), then runs every compiled unit
 * spec and e2e suite with node's test runner. Each suite makes its own database on that server and runs the
 * migrations once, so suites run in parallel without seeing each other.
 */
const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const files = [
    ...(await findFiles(path.join(distRoot, 'src'), '.spec.js')),
    ...(await findFiles(path.join(distRoot, 'seeds'), '.spec.js')),
    ...(await findFiles(path.join(distRoot, 'test'), '.e2e.js')),
  ].filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)));
  if (files.length === 0) {
    console.error('No test files found under dist/: run `npm run build` first.');
    return 1;
  }
  const externalServer = process.env.DATABASE_URL;
  const scratch = externalServer ? null : await mkdtemp(path.join(tmpdir(), 'forum-test-pg-'));
  const server = scratch ? await startEmbeddedPostgres({ dataDir: scratch, port: 0, persistent: false, log: () => undefined }) : null;
  try {
    const serverUrl = server ? server.serverUrl : (externalServer as string);
    return await runNodeTests(files, serverUrl);
  } finally {
    await server?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

function runNodeTests(files: string[], serverUrl: string): Promise<number> {
  const concurrency = process.env.TEST_CONCURRENCY ?? '2';
  const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
    stdio: 'inherit',
    env: { ...process.env, TEST_PG_SERVER_URL: serverUrl, DATABASE_URL: '' },
    cwd: path.resolve(distRoot, '..'),
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function findFiles(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await findFiles(full, suffix)));
    else if (entry.name.endsWith(suffix)) found.push(full);
  }
  return found.sort();
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
