import { spawn } from 'node:child_process';
import { access, copyFile, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dropDatabase, ensureDatabase, freezeAsTemplate } from '../../src/database/database-server.js';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { prepareDatabase } from '../../src/database/prepare-database.js';
import { ensureAppBundle } from './app-bundle.js';
import { treeCpuMs } from './cpu-time.js';

/**
 * `npm test`: starts one throwaway embedded PostgreSQL (or uses DATABASE_URL's server), then runs every compiled unit
 * spec (the server's, the seeds' and those of the web client's pure rules, compiled into dist/client) and e2e suite
 * with node's test runner. The migrations run once, into a template database; each suite makes its own database as
 * a copy of it (test/helpers/test-app.ts), so suites run in parallel without seeing each other and none pays for the
 * migrations.
 *
 * The server build is incremental, so dist/ keeps the output of a test file that was deleted or renamed since: only
 * compiled files whose TypeScript source still exists are run. After the run it prints the slowest files, the files
 * and tests that used the most CPU, and the CPU time of the whole run; TEST_CPU_RECORD=<file> keeps the CPU time of
 * every file and test there (lines of JSON), to compare two runs.
 *
 * Test files run in a few processes, not one each: a process per file spent about a second of CPU loading the app's
 * modules (Nest, TypeORM, Socket.IO, playwright) before its first test, half the CPU of a small e2e suite. The files
 * are dealt into groups, PROCESSES_PER_CORE per core, all running at once (TEST_CONCURRENCY overrides the number); a
 * group is one process that runs its files one after another, each inside a suite named after the file, so that its hooks and its failures stay its
 * own. The files are dealt longest first, each to the group with the least expected time, by the wall times of
 * earlier runs (kept in dist/; a clean build takes those of test/harness/expected-times.json, then an estimate by kind).
 *
 * When e2e suites run, the app is first bundled into one file (test/harness/app-bundle.ts), which the suites that
 * start it as a process run instead of dist/src/main.js (test/harness/app-launcher.ts): a start then costs a quarter
 * of the CPU.
 */
const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const repoRoot = path.resolve(distRoot, '..');
const SLOWEST_SHOWN = 10;
/**
 * Test processes per core: two, so that while one waits (on PostgreSQL, a browser, a timer of the app under test)
 * the other can use the core.
 */
const PROCESSES_PER_CORE = 2;
/** Wall time of each file in earlier runs, by path from the repository root. */
const TIMES_RECORD = path.join(distRoot, '.test-times.json');
/**
 * The same, from a full run, kept in the repository: for the files this clone has not run yet. A fresh clone (CI)
 * has no record of its own, and dealt by kind alone (every e2e file 10 s) the few suites that start real processes
 * and take a minute or two could land in one group, which then ran long after the others had finished. Refresh it by
 * copying dist/.test-times.json after a full `npm test`; a missing or stale entry only makes the deal less even.
 */
const EXPECTED_TIMES = path.join(repoRoot, 'test', 'harness', 'expected-times.json');

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const compiled = [
    ...(await findFiles(path.join(distRoot, 'src'), '.spec.js')),
    ...(await findFiles(path.join(distRoot, 'seeds'), '.spec.js')),
    ...(await findFiles(path.join(distRoot, 'client'), '.spec.js')),
    ...(await findFiles(path.join(distRoot, 'test'), '.e2e.js')),
  ].filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)));
  const times = { ...(await readTimesRecord(EXPECTED_TIMES)), ...(await readTimesRecord(TIMES_RECORD)) };
  const files = await keepWithSource(compiled);
  if (files.length === 0) {
    console.error('No test files found under dist/: run `npm run build` first.');
    return 1;
  }
  // Only e2e suites start the app as a process (test/helpers/app-process.ts), from this bundle. It is built while
  // PostgreSQL starts and the template is migrated, which mostly wait on a server, not on this process.
  const bundling = files.some((file) => file.endsWith('.e2e.js')) ? ensureAppBundle(console.log) : null;
  // Awaited below; a database that fails to start first must not leave its failure unhandled.
  bundling?.catch(() => undefined);
  const externalServer = process.env.DATABASE_URL;
  const scratch = externalServer ? null : await mkdtemp(path.join(tmpdir(), 'forum-test-pg-'));
  const server = scratch
    ? await startEmbeddedPostgres({
        dataDir: scratch,
        port: 0,
        persistent: false,
        throwaway: true,
        log: () => undefined,
      })
    : null;
  const serverUrl = server ? server.serverUrl : (externalServer as string);
  const template = await prepareTemplate(serverUrl);
  try {
    return await runNodeTests(files, serverUrl, template, times, await bundling);
  } finally {
    if (template && !server) await dropDatabase(serverUrl, template);
    await server?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
    console.log(
      `\nThe whole run used ${(treeCpuMs() / 1000).toFixed(1)} CPU-s (the harness, bundling, PostgreSQL, every test process).`,
    );
  }
}

/**
 * Migrates the template database that suites copy (test/helpers/test-app.ts), and closes it to connections so that
 * it can be copied. Named per run: two runs may share DATABASE_URL's server. When the server cannot be reached (the
 * harness's own tests give an unreachable one, as their files need no database), null: suites migrate their own.
 */
async function prepareTemplate(serverUrl: string): Promise<string | null> {
  const template = `t_template_${process.pid}`;
  try {
    await prepareDatabase(await ensureDatabase(serverUrl, template), () => undefined);
    await freezeAsTemplate(serverUrl, template);
    return template;
  } catch (error) {
    console.log(`No template database (${String(error)}): each suite will run the migrations itself.`);
    return null;
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

async function runNodeTests(
  files: string[],
  serverUrl: string,
  template: string | null,
  times: Record<string, number>,
  appBundle: string | null,
): Promise<number> {
  const concurrency = Number(process.env.TEST_CONCURRENCY ?? PROCESSES_PER_CORE * availableParallelism());
  const scratch = await mkdtemp(path.join(tmpdir(), 'forum-test-run-'));
  const timesFile = path.join(scratch, 'times.jsonl');
  const reporter = path.join(distRoot, 'test', 'harness', 'durations-reporter.js');
  try {
    const cpuFile = path.join(scratch, 'cpu.jsonl');
    const groups = await writeGroups(dealIntoGroups(files, times, concurrency), scratch, cpuFile);
    const child = spawn(
      process.execPath,
      [
        '--test',
        `--test-concurrency=${concurrency}`,
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        `--test-reporter=${reporter}`,
        `--test-reporter-destination=${timesFile}`,
        ...groups,
      ],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          TEST_PG_SERVER_URL: serverUrl,
          TEST_PG_TEMPLATE: template ?? '',
          TEST_APP_BUNDLE: appBundle ?? '',
          DATABASE_URL: '',
        },
        cwd: repoRoot,
      },
    );
    const code = await new Promise<number>((resolve) =>
      child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))),
    );
    const measured = await readMeasured(timesFile);
    printSlowest(measured);
    printHungriest(await readCpu(cpuFile));
    if (process.env.TEST_CPU_RECORD) await copyFile(cpuFile, process.env.TEST_CPU_RECORD).catch(() => undefined);
    for (const { file, ms } of measured) times[path.relative(repoRoot, file)] = Math.round(ms);
    await writeTimesRecord(times);
    return code;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function readMeasured(timesFile: string): Promise<{ file: string; ms: number }[]> {
  const text = await readFile(timesFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { file: string; ms: number });
}

function printSlowest(measured: { file: string; ms: number }[]): void {
  const slowest = [...measured].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST_SHOWN);
  if (slowest.length === 0) return;
  console.log(`\nSlowest test files (wall time):`);
  for (const { file, ms } of slowest) {
    console.log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${path.relative(repoRoot, file)}`);
  }
}

interface CpuLine {
  file: string;
  /** A test's own name; none on the line of the whole file. */
  test?: string;
  cpuMs: number;
}

async function readCpu(cpuFile: string): Promise<CpuLine[]> {
  const text = await readFile(cpuFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CpuLine);
}

/**
 * The files, and the tests, that used the most CPU (the suite is CPU-bound on a small machine: this is where its time
 * goes). A file's time less its tests' is its hooks' (an app started, a browser launched, fixtures made once).
 */
function printHungriest(measured: CpuLine[]): void {
  const files = measured.filter((line) => line.test === undefined);
  const tests = measured.filter((line) => line.test !== undefined);
  if (files.length === 0) return;
  const total = files.reduce((sum, { cpuMs }) => sum + cpuMs, 0);
  console.log(
    `\nMost CPU-hungry test files (${(total / 1000).toFixed(1)} CPU-s in test processes and their children):`,
  );
  for (const { file, cpuMs } of [...files].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, SLOWEST_SHOWN)) {
    console.log(`  ${(cpuMs / 1000).toFixed(1).padStart(7)} s  ${file}`);
  }
  if (tests.length === 0) return;
  console.log(`\nMost CPU-hungry tests:`);
  for (const { file, test, cpuMs } of [...tests].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, SLOWEST_SHOWN)) {
    console.log(`  ${(cpuMs / 1000).toFixed(1).padStart(7)} s  ${file}: ${test}`);
  }
}

async function readTimesRecord(file: string): Promise<Record<string, number>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter(([, ms]) => typeof ms === 'number'));
  } catch {
    return {};
  }
}

/** Written whole and renamed into place: a run reading it never sees half a file. */
async function writeTimesRecord(times: Record<string, number>): Promise<void> {
  const partial = `${TIMES_RECORD}.${process.pid}`;
  try {
    await writeFile(partial, `${JSON.stringify(times, null, 1)}\n`);
    await rename(partial, TIMES_RECORD);
  } catch {
    await rm(partial, { force: true });
  }
}

/** The expected wall time of a file: the recorded one, or a guess by kind for a file not run before. */
function expectedMs(file: string, times: Record<string, number>): number {
  const guess = file.includes(`${path.sep}browser${path.sep}`)
    ? 20_000
    : file.endsWith('.e2e.js')
      ? 10_000
      : file.endsWith('.medium.spec.js')
        ? 5_000
        : 1_000;
  return times[path.relative(repoRoot, file)] ?? guess;
}

/**
 * Deals the files into at most `count` groups of about equal expected time: longest first, each to the group with
 * the least time so far. Each group's files stay longest first; the groups come longest first too.
 */
function dealIntoGroups(files: string[], times: Record<string, number>, count: number): string[][] {
  const sorted = [...files].sort((a, b) => expectedMs(b, times) - expectedMs(a, times) || a.localeCompare(b));
  const groups = Array.from({ length: Math.max(1, Math.min(count, sorted.length)) }, () => ({
    ms: 0,
    files: [] as string[],
  }));
  for (const file of sorted) {
    const lightest = groups.reduce((least, group) => (group.ms < least.ms ? group : least));
    lightest.files.push(file);
    lightest.ms += expectedMs(file, times);
  }
  return groups.sort((a, b) => b.ms - a.ms).map((group) => group.files);
}

/**
 * One entry file per group, in `dir`, which runs the group's files in one process (test/harness/test-group.ts) and
 * has it write their CPU times to `cpuFile`.
 */
async function writeGroups(groups: string[][], dir: string, cpuFile: string): Promise<string[]> {
  const runner = pathToFileURL(path.join(distRoot, 'test', 'harness', 'test-group.js')).href;
  const entries: string[] = [];
  for (const [index, group] of groups.entries()) {
    const files = group.map((file) => [path.relative(repoRoot, file), pathToFileURL(file).href]);
    const entry = path.join(dir, `group-${index + 1}.mjs`);
    await writeFile(
      entry,
      [
        `import { runGroup } from ${JSON.stringify(runner)};`,
        `runGroup(${JSON.stringify(files)}, ${JSON.stringify(cpuFile)});`,
        '',
      ].join('\n'),
    );
    entries.push(entry);
  }
  return entries;
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
