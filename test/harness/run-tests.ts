import { spawn } from 'node:child_process';
import { access, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropDatabase, ensureDatabase, freezeAsTemplate } from '../../src/database/database-server.js';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { prepareDatabase } from '../../src/database/prepare-database.js';

/**
 * `npm test`: starts one throwaway embedded PostgreSQL (or uses DATABASE_URL's server), then runs every compiled unit
 * spec and e2e suite with node's test runner. The migrations run once, into a template database; each suite makes its
 * own database as a copy of it (test/helpers/test-app.ts), so suites run in parallel without seeing each other and
 * none pays for the migrations.
 *
 * The server build is incremental, so dist/ keeps the output of a test file that was deleted or renamed since: only
 * compiled files whose TypeScript source still exists are run. After the run it prints the slowest files.
 */
const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const repoRoot = path.resolve(distRoot, '..');
const SLOWEST_SHOWN = 10;

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const compiled = [
    ...(await findFiles(path.join(distRoot, 'src'), '.spec.js')),
    ...(await findFiles(path.join(distRoot, 'seeds'), '.spec.js')),
    ...(await findFiles(path.join(distRoot, 'test'), '.e2e.js')),
  ].filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)));
  const files = await keepWithSource(compiled);
  if (files.length === 0) {
    console.error('No test files found under dist/: run `npm run build` first.');
    return 1;
  }
  const externalServer = process.env.DATABASE_URL;
  const scratch = externalServer ? null : await mkdtemp(path.join(tmpdir(), 'forum-test-pg-'));
  const server = scratch
    ? await startEmbeddedPostgres({ dataDir: scratch, port: 0, persistent: false, log: () => undefined })
    : null;
  const serverUrl = server ? server.serverUrl : (externalServer as string);
  // Unique per run: two runs may share DATABASE_URL's server.
  const template = `t_template_${process.pid}`;
  try {
    await prepareDatabase(await ensureDatabase(serverUrl, template), () => undefined);
    await freezeAsTemplate(serverUrl, template);
    return await runNodeTests(files, serverUrl, template);
  } finally {
    if (!server) await dropDatabase(serverUrl, template);
    await server?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** dist/test/x.e2e.js comes from test/x.e2e.ts: a compiled file whose source is gone is left out (and said so). */
async function keepWithSource(compiled: string[]): Promise<string[]> {
  const kept: string[] = [];
  for (const file of compiled) {
    const source = sourceOf(file);
    if (await exists(source)) kept.push(file);
    else
      console.log(`Skipping ${path.relative(repoRoot, file)}: its source ${path.relative(repoRoot, source)} is gone.`);
  }
  return kept;
}

function sourceOf(compiledFile: string): string {
  return path.join(repoRoot, path.relative(distRoot, compiledFile)).replace(/\.js$/, '.ts');
}

function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function runNodeTests(files: string[], serverUrl: string, template: string): Promise<number> {
  const concurrency = process.env.TEST_CONCURRENCY ?? '2';
  const scratch = await mkdtemp(path.join(tmpdir(), 'forum-test-times-'));
  const timesFile = path.join(scratch, 'times.jsonl');
  const reporter = path.join(distRoot, 'test', 'harness', 'durations-reporter.js');
  try {
    const child = spawn(
      process.execPath,
      [
        '--test',
        `--test-concurrency=${concurrency}`,
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        `--test-reporter=${reporter}`,
        `--test-reporter-destination=${timesFile}`,
        ...files,
      ],
      {
        stdio: 'inherit',
        env: { ...process.env, TEST_PG_SERVER_URL: serverUrl, TEST_PG_TEMPLATE: template, DATABASE_URL: '' },
        cwd: repoRoot,
      },
    );
    const code = await new Promise<number>((resolve) =>
      child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))),
    );
    await printSlowest(timesFile);
    return code;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function printSlowest(timesFile: string): Promise<void> {
  const text = await readFile(timesFile, 'utf8').catch(() => '');
  const times = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { file: string; ms: number })
    .sort((a, b) => b.ms - a.ms)
    .slice(0, SLOWEST_SHOWN);
  if (times.length === 0) return;
  console.log(`\nSlowest test files (wall time):`);
  for (const { file, ms } of times) {
    console.log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${path.relative(repoRoot, file)}`);
  }
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
