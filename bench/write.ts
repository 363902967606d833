import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import os from 'node:os';
import { type INestApplication } from '@nestjs/common';
import pg from 'pg';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp } from '../src/app.factory.js';
import { dropDatabase, ensureDatabase } from '../src/database/database-server.js';
import { Fixtures } from '../test/helpers/fixtures.js';
import { MARKDOWN_COMMENT, postComment } from './support/comment-post.js';
import { writeResults } from './support/results.js';
import { BENCH_ENVIRONMENT, benchAppConfig } from './support/bench-config.js';
import { openScratchDatabase, postgresVersion, type ScratchDatabase } from './support/scratch-database.js';
import { type Figures, figures, ratio } from './support/stats.js';

/**
 * `npm run bench:write`: posting a Markdown comment through the whole app (HTTP, authentication, rate limits,
 * validation, Markdown rendering and sanitising, the transaction, the answer) against a raw baseline that sends the
 * same SQL statements straight through `pg`, at 1 and at 8 writers, in interleaved rounds of one run.
 *
 * The baseline's statements are not written out by hand: each writer's first post is made through the app while every
 * statement sent on behalf of that request is recorded (an AsyncLocalStorage around the server's request handler marks
 * them; work the app does outside the request, such as its job worker and live fan-out, is not recorded). The baseline
 * then sends that writer's recorded statements, text and values, in order on one connection for every post, so it
 * does the request's database work (the same transaction, the same row locks, the same NOTIFY and queued job, which
 * the app's worker and listener then handle as they do for the app's own posts) and nothing else. Whatever the app
 * changes in its statements, the baseline follows.
 *
 * A benchmark: it prints figures and exits 0 whatever they are; it exits 1 only when something fails.
 */

const LEVELS = [1, 8];
const ROUNDS = 5;
const PER_ROUND: Record<number, number> = { 1: 100, 8: 240 };
const WARM_UP = 80;
/** The app's throughput against the raw statements', at least (issue 19). */
const TARGET_RATIO = 0.5;
/** The app's throughput against the code of issue 19's "today" (d46b393), given with --baseline-dir, at least. */
const TARGET_AGAINST_OLD = 2;

interface Recorded {
  text: string;
  values: unknown[] | undefined;
}

const requestScope = new AsyncLocalStorage<Recorded[]>();

/** Records every statement sent in a request's scope; the app keeps working as before. */
function recordStatements(): void {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const log = requestScope.getStore();
    if (log) {
      const [first, second] = args;
      const text = typeof first === 'string' ? first : (first as { text: string }).text;
      const values = Array.isArray(second) ? second : (first as { values?: unknown[] }).values;
      log.push({ text, values });
    }
    return original.apply(this, args);
  };
}

/** Runs each request of the app's server in a scope of its own, so its statements can be told from the rest. */
function scopeRequests(server: http.Server, logs: Map<string, Recorded[]>): void {
  const handlers = server.listeners('request') as ((req: http.IncomingMessage, res: http.ServerResponse) => void)[];
  server.removeAllListeners('request');
  for (const handler of handlers) {
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const tag = req.headers['x-bench-record'];
      const log = typeof tag === 'string' ? logs.get(tag) : undefined;
      if (log) requestScope.run(log, () => handler(req, res));
      else handler(req, res);
    });
  }
}

/** One writer's recorded post, sent again on one connection of the pool. */
async function postRaw(pool: pg.Pool, statements: Recorded[]): Promise<void> {
  const client = await pool.connect();
  try {
    for (const s of statements) await client.query(s.text, s.values);
  } finally {
    client.release();
  }
}

/** `count` posts by `writers` writers at once (writer i posts its own way); each latency and the posts per second. */
async function round(
  writers: number,
  count: number,
  postOnce: (writer: number, n: number) => Promise<void>,
): Promise<{ latencies: number[]; perSecond: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      while (next < count) {
        next += 1;
        const sent = performance.now();
        await postOnce(writer, next);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  return { latencies, perSecond: count / ((performance.now() - started) / 1000) };
}

function median(values: number[]): number {
  return figures(values).median;
}

/**
 * `--baseline-dir DIR`: another checkout of the app, built (`npm run build:server`), whose posting is measured in the
 * same rounds (the `old` side): on a database of its own on the same server, migrated by its own code.
 */
function baselineDir(): string | null {
  const at = process.argv.indexOf('--baseline-dir');
  if (at === -1) return null;
  const dir = process.argv[at + 1];
  if (!dir) throw new Error('--baseline-dir needs a directory: a checkout built with npm run build:server.');
  return path.resolve(dir);
}

/**
 * Round trips to the app made while the essay's row is locked: from the statement that numbers the event (its answer
 * is one) to the one that commits. 0 when that statement is sent with COMMIT; null when the post numbered nothing.
 */
function roundTripsUnderLock(statements: Recorded[]): number | null {
  const locking = statements.findIndex((s) => /UPDATE articles SET event_seq/.test(s.text));
  if (locking === -1) return null;
  const committing = statements.findIndex((s, index) => index >= locking && /\bCOMMIT\s*$/.test(s.text));
  return committing - locking;
}

/** An app on a loopback port, with its essay and one signed-in writer per writer slot. */
interface Target {
  app: INestApplication;
  port: number;
  slug: string;
  tokens: string[];
}

async function startTarget(
  create: () => Promise<INestApplication>,
  newEssay: (app: INestApplication) => Promise<{ slug: string }>,
  writers: number,
  prefix: string,
  logs: Map<string, Recorded[]>,
): Promise<Target> {
  const app = await create();
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as http.Server;
  const port = (server.address() as { port: number }).port;
  scopeRequests(server, logs);
  const { slug } = await newEssay(app);
  const tokens: string[] = [];
  for (let i = 0; i < writers; i++) {
    const answer = await fetch(`http://127.0.0.1:${port}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: `${prefix}writer${i}`, password: 'writer-password-1' }),
    });
    if (answer.status !== 201) throw new Error(`register answered ${answer.status}`);
    tokens.push(((await answer.json()) as { token: string }).token);
  }
  return { app, port, slug, tokens };
}

/** Each writer's post once through `target`, every statement sent for it recorded. */
async function recordPosts(agent: http.Agent, target: Target, logs: Map<string, Recorded[]>, prefix: string) {
  const recorded: Recorded[][] = [];
  for (let i = 0; i < target.tokens.length; i++) {
    logs.set(`${prefix}${i}`, []);
    await postComment(
      agent,
      target.port,
      target.slug,
      target.tokens[i],
      { body: `${MARKDOWN_COMMENT} (recorded)` },
      { 'X-Bench-Record': `${prefix}${i}` },
    );
    recorded.push(logs.get(`${prefix}${i}`)!);
  }
  return recorded;
}

function printStatements(title: string, statements: Recorded[]): void {
  console.log(`\n  ${title}:`);
  for (const s of statements) console.log(`    ${s.text.replace(/\s+/g, ' ').slice(0, 110)}`);
}

async function main(): Promise<void> {
  const oldDir = baselineDir();
  let scratch: ScratchDatabase | null = null;
  let oldDatabase: string | null = null;
  const targets: Target[] = [];
  let pool: pg.Pool | null = null;
  const writers = Math.max(...LEVELS);
  const agent = new http.Agent({ keepAlive: true, maxSockets: writers });
  try {
    recordStatements();
    scratch = await openScratchDatabase('bench_write');
    const logs = new Map<string, Recorded[]>();
    const current = await startTarget(
      () => createApp(benchAppConfig(), scratch!.databaseUrl),
      (app) => new Fixtures(app).newArticle(),
      writers,
      '',
      logs,
    );
    targets.push(current);
    let old: Target | null = null;
    if (oldDir) {
      // The other checkout's own code, from its build: its migrations, its configuration, its fixtures.
      const load = <M>(file: string) => import(pathToFileURL(path.join(oldDir, 'dist', file)).href) as Promise<M>;
      const oldPrepare = await load<typeof import('../src/database/prepare-database.js')>(
        'src/database/prepare-database.js',
      );
      const oldConfig = await load<typeof import('../src/config/app-config.js')>('src/config/app-config.js');
      const oldFactory = await load<typeof import('../src/app.factory.js')>('src/app.factory.js');
      const oldFixtures = await load<typeof import('../test/helpers/fixtures.js')>('test/helpers/fixtures.js');
      const oldUrl = await ensureDatabase(scratch.serverUrl, `bench_write_old_${process.pid}`);
      oldDatabase = `bench_write_old_${process.pid}`;
      await oldPrepare.prepareDatabase(oldUrl, () => undefined);
      const config = oldConfig.loadConfig({ ...BENCH_ENVIRONMENT });
      old = await startTarget(
        () => oldFactory.createApp(config, oldUrl),
        (app) => new oldFixtures.Fixtures(app).newArticle(),
        writers,
        'old',
        logs,
      );
      targets.push(old);
    }
    // The baseline's pool: as large as the app's, so neither side waits for connections the other has.
    pool = new pg.Pool({ connectionString: scratch.databaseUrl, max: writers });

    const postThrough = (target: Target) => (writer: number, n: number) =>
      postComment(agent, target.port, target.slug, target.tokens[writer], { body: `${MARKDOWN_COMMENT} (${n})` });
    const appPost = postThrough(current);
    // Warm up every path (JIT, pools, the job worker), then record each writer's post once.
    await round(writers, WARM_UP, appPost);
    const recorded = await recordPosts(agent, current, logs, 'writer');
    const statements = recorded[0].length;
    const rawPost = (writer: number) => postRaw(pool!, recorded[writer]);
    await round(writers, WARM_UP, rawPost);
    let oldRecorded: Recorded[][] | null = null;
    if (old) {
      await round(writers, WARM_UP, postThrough(old));
      oldRecorded = await recordPosts(agent, old, logs, 'oldwriter');
    }

    type Side = { latencies: number[]; throughputs: number[] };
    const sides = new Map<string, Side>();
    const side = (name: string) => sides.get(name) ?? sides.set(name, { latencies: [], throughputs: [] }).get(name)!;
    const order: ['app' | 'raw' | 'old', (writer: number, n: number) => Promise<void>][] = [
      ['app', appPost],
      ['raw', rawPost],
      ...(old ? [['old', postThrough(old)] as ['old', (writer: number, n: number) => Promise<void>]] : []),
    ];
    for (let r = 0; r < ROUNDS; r++) {
      for (const level of LEVELS) {
        // Rotate which side goes first, so none always runs on a warmer (or more loaded) machine.
        for (let k = 0; k < order.length; k++) {
          const [name, postOnce] = order[(r + k) % order.length];
          const result = await round(level, PER_ROUND[level], postOnce);
          const s = side(`${name}-${level}`);
          s.latencies.push(...result.latencies);
          s.throughputs.push(result.perSecond);
        }
      }
    }

    console.log(
      `\nPosting a Markdown comment (${Buffer.byteLength(MARKDOWN_COMMENT)} bytes), ${ROUNDS} interleaved rounds per side and level ` +
        `(${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}, Node ${process.version}, PostgreSQL ` +
        `${await postgresVersion(scratch.databaseUrl)}); the raw baseline sends the app's ${statements} statements of a post`,
    );
    const underLock = roundTripsUnderLock(recorded[0]);
    console.log(`  round trips to the app while the essay row is locked: app ${underLock ?? 'none'}`);
    const results: Record<string, unknown> = {
      statements,
      roundTripsUnderLock: underLock,
      rounds: ROUNDS,
      perRound: PER_ROUND,
      target: TARGET_RATIO,
    };
    if (oldRecorded) {
      const oldUnderLock = roundTripsUnderLock(oldRecorded[0]);
      console.log(`  old (${oldDir}): ${oldRecorded[0].length} statements, ${oldUnderLock} round trips under the lock`);
      results.baseline = {
        dir: oldDir,
        statements: oldRecorded[0].length,
        roundTripsUnderLock: oldUnderLock,
        target: TARGET_AGAINST_OLD,
      };
    }
    for (const level of LEVELS) {
      const app_: Figures = figures(side(`app-${level}`).latencies);
      const raw: Figures = figures(side(`raw-${level}`).latencies);
      const appRate = median(side(`app-${level}`).throughputs);
      const rawRate = median(side(`raw-${level}`).throughputs);
      const throughputRatio = ratio(appRate, rawRate);
      console.log(`  ${level} writer${level > 1 ? 's' : ''} at once:`);
      console.log(`    app: ${appRate.toFixed(1)} posts/s, median ${app_.median} ms, p99 ${app_.p99} ms`);
      console.log(`    raw: ${rawRate.toFixed(1)} posts/s, median ${raw.median} ms, p99 ${raw.p99} ms`);
      console.log(
        `    app/raw throughput ${throughputRatio}× (target ≥ ${TARGET_RATIO}×: ` +
          `${throughputRatio >= TARGET_RATIO ? 'met' : 'missed'}); latency median ${ratio(app_.median, raw.median)}×`,
      );
      const level_: Record<string, unknown> = {
        app: { ...app_, perSecond: appRate },
        raw: { ...raw, perSecond: rawRate },
        throughputRatio,
      };
      if (old) {
        const oldFigures: Figures = figures(side(`old-${level}`).latencies);
        const oldRate = median(side(`old-${level}`).throughputs);
        const againstOld = ratio(appRate, oldRate);
        console.log(`    old: ${oldRate.toFixed(1)} posts/s, median ${oldFigures.median} ms, p99 ${oldFigures.p99} ms`);
        console.log(
          `    app/old throughput ${againstOld}× (target ≥ ${TARGET_AGAINST_OLD}×: ` +
            `${againstOld >= TARGET_AGAINST_OLD ? 'met' : 'missed'}); latency median ` +
            `${ratio(app_.median, oldFigures.median)}×`,
        );
        level_.old = { ...oldFigures, perSecond: oldRate };
        level_.againstOld = againstOld;
      }
      results[`writers${level}`] = level_;
    }
    printStatements('The statements of one post, as the baseline sends them', recorded[0]);
    if (oldRecorded) printStatements('The old app’s statements of one post', oldRecorded[0]);
    await writeResults('write', results);
  } finally {
    agent.destroy();
    await pool?.end();
    for (const target of targets.reverse()) await target.app.close();
    if (scratch && oldDatabase) await dropDatabase(scratch.serverUrl, oldDatabase).catch(() => undefined);
    await scratch?.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
