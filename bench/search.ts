import 'reflect-metadata';
import http from 'node:http';
import os from 'node:os';
import { type INestApplication } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { generateLargeThread } from '../seeds/large-thread.js';
import { benchAppConfig } from './support/bench-config.js';
import { writeResults } from './support/results.js';
import { openScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';
import { type Figures, figures, ratio } from './support/stats.js';
import { getPage, time } from './support/http-timing.js';

/**
 * `npm run bench:search`: the latency of one search page (`GET /api/search`, 20 results, anonymous) through the whole
 * app against the same SQL statements sent straight through `pg`, on the 100,000-comment synthetic thread, for a
 * one-word query and a phrase. The raw side replays exactly the statements (text and parameters) the app sent for
 * the page, recorded once. A benchmark: it prints figures and exits 0 whatever they are; 1 only when something fails.
 */

const COMMENTS = Number(process.env.BENCH_SEARCH_COMMENTS ?? 100_000);
const SEED = 1;
const WARM_UP = 20;
const TIMED = 200;
const ROUNDS = 4;
const PER_ROUND = 50;
/** The page's default size; the app reads one row more. */
const PAGE = 20;
const TARGET_RATIO = 1.5;
const TARGET_MEDIAN_MS = 50;
/** Words of the generator's vocabulary (seeds/large-thread-shape.ts): a common one, and two that often meet. */
const QUERIES = [
  { label: 'one word', q: 'revolution' },
  { label: 'phrase', q: '"class war"' },
];

type Statement = [sql: string, params: unknown[] | undefined];

/** The statements the app sends while `fn` runs, in order (every query goes through a QueryRunner's `query`). */
async function recordStatements(dataSource: DataSource, fn: () => Promise<unknown>): Promise<Statement[]> {
  const runner = dataSource.createQueryRunner();
  const proto = Object.getPrototypeOf(runner) as { query: (...args: unknown[]) => Promise<unknown> };
  await runner.release();
  const original = proto.query;
  const recorded: Statement[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    recorded.push([args[0] as string, args[1] as unknown[] | undefined]);
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return recorded;
}

interface QueryFigures {
  label: string;
  q: string;
  matches: number;
  statements: number;
  bytes: number;
  inRow: { app: Figures; raw: Figures };
  interleaved: { app: Figures; raw: Figures };
  ratios: { inRow: { median: number; p99: number }; interleaved: { median: number; p99: number } };
}

async function measure(
  app: INestApplication,
  pool: pg.Pool,
  agent: http.Agent,
  base: string,
  query: { label: string; q: string },
): Promise<QueryFigures> {
  const url = `${base}/api/search?q=${encodeURIComponent(query.q)}`;
  const body = await getPage(agent, url);
  const items = (JSON.parse(body.toString('utf8')) as { items: unknown[] }).items;
  const statements = await recordStatements(app.get(DataSource), () => getPage(agent, url));
  const appOnce = () => getPage(agent, url);
  // The same statements one after the other on one pooled connection each, as the app sends them.
  const rawOnce = async () => {
    for (const [sql, params] of statements) await pool.query(sql, params);
  };
  const rawFirst = await pool.query(statements[0][0], statements[0][1]);
  if (Math.min(rawFirst.rows.length, PAGE) !== items.length)
    throw new Error(`The raw search read ${rawFirst.rows.length} rows, the app answered ${items.length} items`);
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM comment_search c WHERE c.search_vector @@ websearch_to_tsquery('english', $1) AND c.status = 'visible'`,
    [query.q],
  );

  await time(WARM_UP, appOnce);
  const appInRow = await time(TIMED, appOnce);
  await time(WARM_UP, rawOnce);
  const rawInRow = await time(TIMED, rawOnce);
  const appMixed: number[] = [];
  const rawMixed: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const [first, second] = round % 2 === 0 ? [appMixed, rawMixed] : [rawMixed, appMixed];
    const [runFirst, runSecond] = round % 2 === 0 ? [appOnce, rawOnce] : [rawOnce, appOnce];
    first.push(...(await time(PER_ROUND, runFirst)));
    second.push(...(await time(PER_ROUND, runSecond)));
  }
  const inRow = { app: figures(appInRow), raw: figures(rawInRow) };
  const interleaved = { app: figures(appMixed), raw: figures(rawMixed) };
  return {
    ...query,
    matches: rows[0].n,
    statements: statements.length,
    bytes: body.length,
    inRow,
    interleaved,
    ratios: {
      inRow: { median: ratio(inRow.app.median, inRow.raw.median), p99: ratio(inRow.app.p99, inRow.raw.p99) },
      interleaved: {
        median: ratio(interleaved.app.median, interleaved.raw.median),
        p99: ratio(interleaved.app.p99, interleaved.raw.p99),
      },
    },
  };
}

async function main(): Promise<void> {
  let scratch: ScratchDatabase | null = null;
  let app: INestApplication | null = null;
  let pool: pg.Pool | null = null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    scratch = await openScratchDatabase('bench_search');
    const { databaseUrl } = scratch;
    app = await createApp(benchAppConfig({ RATE_LIMIT_FACTOR: '1000' }), databaseUrl);
    const generated = await generateLargeThread(app, { comments: COMMENTS, seed: SEED, progress: false });
    console.log(
      `Generated ${generated.comments.toLocaleString('en-US')} comments in ${(generated.milliseconds / 1000).toFixed(1)} s (article ${generated.slug})`,
    );
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as http.Server).address() as { port: number };
    pool = new pg.Pool({
      connectionString: databaseUrl,
      max: (dataSourceOptions(databaseUrl).extra as { max: number }).max,
    });
    // Fresh statistics and visibility map, as autovacuum would leave a table that was not just filled.
    await pool.query('VACUUM ANALYZE comments, comment_search');
    const measured: QueryFigures[] = [];
    for (const query of QUERIES) measured.push(await measure(app, pool, agent, `http://127.0.0.1:${port}`, query));
    const postgres = (await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
    const results = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, node: process.version, postgres },
      thread: { comments: generated.comments, seed: SEED, slug: generated.slug },
      warmUp: WARM_UP,
      timed: TIMED,
      interleavedRounds: { rounds: ROUNDS, perRound: PER_ROUND },
      queries: measured,
      targets: { ratio: TARGET_RATIO, appMedianMs: TARGET_MEDIAN_MS },
      verdict: measured.map((m) => ({
        label: m.label,
        medianRatio: m.ratios.interleaved.median <= TARGET_RATIO,
        p99Ratio: m.ratios.interleaved.p99 <= TARGET_RATIO,
        appMedian: m.interleaved.app.median <= TARGET_MEDIAN_MS,
      })),
    };
    print(results.thread.comments, results.machine, measured);
    await writeResults('search', results);
  } finally {
    agent.destroy();
    await app?.close();
    await pool?.end();
    await scratch?.close();
  }
}

function print(comments: number, machine: { cpus: number; node: string; postgres: string }, measured: QueryFigures[]) {
  const ms = (x: number) => `${x.toFixed(2)} ms`.padStart(10);
  const x = (v: number) => `${v.toFixed(2)}×`.padStart(10);
  const row = (label: string, f: Figures) => `${label.padEnd(30)}${ms(f.median)}${ms(f.p99)}${ms(f.mean)}`;
  const holds = (ok: boolean) => (ok ? 'holds' : 'MISSED');
  console.log(
    `\nSearch: GET /api/search, 20 results, anonymous, on a ${comments.toLocaleString('en-US')}-comment thread; ${machine.cpus} CPUs, Node ${machine.node}, PostgreSQL ${machine.postgres}`,
  );
  for (const m of measured) {
    console.log(`
${m.label}: q=${m.q} (${m.matches.toLocaleString('en-US')} visible comments match; ${m.statements} statements; ${(m.bytes / 1024).toFixed(0)} KiB)
${''.padEnd(30)}${'median'.padStart(10)}${'p99'.padStart(10)}${'mean'.padStart(10)}
${row('app, in a row', m.inRow.app)}
${row('raw SQL, in a row', m.inRow.raw)}
${row('app, interleaved', m.interleaved.app)}
${row('raw SQL, interleaved', m.interleaved.raw)}
${'app / raw, in a row'.padEnd(30)}${x(m.ratios.inRow.median)}${x(m.ratios.inRow.p99)}
${'app / raw, interleaved'.padEnd(30)}${x(m.ratios.interleaved.median)}${x(m.ratios.interleaved.p99)}
  median app/raw ≤ ${TARGET_RATIO}×: ${holds(m.ratios.interleaved.median <= TARGET_RATIO)}; p99 app/raw ≤ ${TARGET_RATIO}×: ${holds(m.ratios.interleaved.p99 <= TARGET_RATIO)}; app median ≤ ${TARGET_MEDIAN_MS} ms: ${holds(m.interleaved.app.median <= TARGET_MEDIAN_MS)}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench:search failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
