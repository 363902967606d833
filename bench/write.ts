import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import os from 'node:os';
import { type INestApplication } from '@nestjs/common';
import pg from 'pg';
import { createApp } from '../src/app.factory.js';
import { Fixtures } from '../test/helpers/fixtures.js';
import { writeResults } from './support/results.js';
import { benchAppConfig } from './support/bench-config.js';
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
const BODY = [
  'The essay treats the archive as **neutral**, but its own evidence shows that _somebody_ chose what to keep.',
  '',
  '> If the collection was curated by the institution whose history it records, silence is not evidence.',
  '',
  'Two things follow:',
  '',
  '1. the gaps are a record of decisions, see [the appendix](https://example.org/appendix#gaps);',
  '2. the `finding aid` is itself an argument.',
].join('\n');

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

function post(agent: http.Agent, port: number, slug: string, token: string, body: string, record?: string) {
  const payload = JSON.stringify({ body });
  return new Promise<void>((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/articles/${slug}/comments`,
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(payload),
          Authorization: `Bearer ${token}`,
          ...(record ? { 'X-Bench-Record': record } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode === 201) resolve();
          else
            reject(
              new Error(`POST answered ${response.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 200)}`),
            );
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
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

async function main(): Promise<void> {
  let scratch: ScratchDatabase | null = null;
  let app: INestApplication | null = null;
  let pool: pg.Pool | null = null;
  const writers = Math.max(...LEVELS);
  const agent = new http.Agent({ keepAlive: true, maxSockets: writers });
  try {
    recordStatements();
    scratch = await openScratchDatabase('bench_write');
    app = await createApp(benchAppConfig(), scratch.databaseUrl);
    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer() as http.Server;
    const port = (server.address() as { port: number }).port;
    const logs = new Map<string, Recorded[]>();
    scopeRequests(server, logs);
    const essay = await new Fixtures(app).newArticle();
    // The baseline's pool: as large as the app's, so neither side waits for connections the other has.
    pool = new pg.Pool({ connectionString: scratch.databaseUrl, max: writers });

    const tokens: string[] = [];
    for (let i = 0; i < writers; i++) {
      const answer = await fetch(`http://127.0.0.1:${port}/api/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: `writer${i}`, password: 'writer-password-1' }),
      });
      if (answer.status !== 201) throw new Error(`register answered ${answer.status}`);
      tokens.push(((await answer.json()) as { token: string }).token);
    }
    const appPost = (writer: number, n: number) => post(agent, port, essay.slug, tokens[writer], `${BODY} (${n})`);
    // Warm up every path (JIT, pools, the job worker), then record each writer's post once.
    await round(writers, WARM_UP, appPost);
    const recorded: Recorded[][] = [];
    for (let i = 0; i < writers; i++) {
      logs.set(`writer${i}`, []);
      await post(agent, port, essay.slug, tokens[i], `${BODY} (recorded)`, `writer${i}`);
      recorded.push(logs.get(`writer${i}`)!);
    }
    const statements = recorded[0].length;
    const rawPost = (writer: number) => postRaw(pool!, recorded[writer]);
    await round(writers, WARM_UP, rawPost);

    type Side = { latencies: number[]; throughputs: number[] };
    const sides = new Map<string, Side>();
    const side = (name: string) => sides.get(name) ?? sides.set(name, { latencies: [], throughputs: [] }).get(name)!;
    for (let r = 0; r < ROUNDS; r++) {
      for (const level of LEVELS) {
        // Alternate which side goes first, so neither always runs on a warmer (or more loaded) machine.
        const order: ['app' | 'raw', (writer: number, n: number) => Promise<void>][] = [
          ['app', appPost],
          ['raw', rawPost],
        ];
        if (r % 2 === 1) order.reverse();
        for (const [name, postOnce] of order) {
          const result = await round(level, PER_ROUND[level], postOnce);
          const s = side(`${name}-${level}`);
          s.latencies.push(...result.latencies);
          s.throughputs.push(result.perSecond);
        }
      }
    }

    console.log(
      `\nPosting a Markdown comment (${Buffer.byteLength(BODY)} bytes), ${ROUNDS} interleaved rounds per side and level ` +
        `(${os.cpus().length} cores, Node ${process.version}, PostgreSQL ${await postgresVersion(scratch.databaseUrl)}); ` +
        `the raw baseline sends the app's ${statements} statements of a post`,
    );
    const results: Record<string, unknown> = { statements, rounds: ROUNDS, perRound: PER_ROUND, target: TARGET_RATIO };
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
      results[`writers${level}`] = {
        app: { ...app_, perSecond: appRate },
        raw: { ...raw, perSecond: rawRate },
        throughputRatio,
      };
    }
    console.log('\n  The statements of one post, as the baseline sends them:');
    for (const s of recorded[0]) console.log(`    ${s.text.replace(/\s+/g, ' ').slice(0, 110)}`);
    await writeResults('write', results);
  } finally {
    agent.destroy();
    await pool?.end();
    await app?.close();
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
