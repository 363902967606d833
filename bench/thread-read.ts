import 'reflect-metadata';
import http from 'node:http';
import os from 'node:os';
import { type INestApplication } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { writeResults } from './support/results.js';
import { openScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';
import { type Figures, figures, ratio } from './support/stats.js';
import { COMMENT_COLUMNS } from '../src/comments/comments.repository.js';
import { generateLargeThread } from '../seeds/large-thread.js';
import { countQueries } from '../test/helpers/query-counter.js';
import { getPage, time } from './support/http-timing.js';

/**
 * `npm run bench:thread-read`: the latency of one thread page read through the whole app (HTTP, Nest, validation,
 * TypeORM, mapping, JSON) against the same SQL statements sent straight through `pg`, on a 10,000-comment thread.
 * A benchmark: it prints figures and exits 0 whatever they are; it exits 1 only when something fails.
 */

const COMMENTS = 10_000;
const SEED = 1;
const WARM_UP = 50;
const TIMED = 500;
const ROUNDS = 5;
const PER_ROUND = 100;
const PAGE_LIMIT = 50;
const DEPTH = 3;
/** The service's defaults for what the query leaves out: sort=best, replyLimit=10. */
const REPLY_LIMIT = 10;
const TARGET_RATIO = 1.3;
const TARGET_MEDIAN_MS = 20;

/**
 * The SQL of one thread page as the app sends it for an anonymous reader (ArticlesRepository.findReadKey, then
 * ThreadRepository and CommentsRepository), written out by hand but for the comment columns, which are the app's own.
 */
const ARTICLE_SQL = `SELECT a.id, a.event_seq AS "eventSeq", a.comment_count AS "commentCount",
       COALESCE((SELECT n.version FROM author_names_version n WHERE n.id = 1), 0)::text AS "namesVersion"
  FROM articles a WHERE a.slug = $1`;
const TOP_LEVEL_SQL = `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
  WHERE c.article_id = $1 AND c.parent_id IS NULL AND c.published AND TRUE AND TRUE AND TRUE
  ORDER BY c.best_score DESC, c.id DESC
  LIMIT $2`;
const REPLIES_SQL = `SELECT r.* FROM unnest($2::bigint[]) WITH ORDINALITY AS p(id, n)
  CROSS JOIN LATERAL (
    SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
     WHERE c.article_id = $1 AND c.parent_id = p.id AND c.published
     ORDER BY c.best_score DESC, c.id DESC
     LIMIT $3
  ) r
  ORDER BY p.n`;
const QUOTES_SQL = `SELECT comment_id AS "commentId", ordinal, source, block_id AS "blockId",
        quoted_comment_id AS "quotedCommentId", text, verified, start_offset AS "startOffset",
        end_offset AS "endOffset", anchor, current_text AS "currentText", revision
   FROM comment_quotes WHERE comment_id = ANY($1::bigint[])
  ORDER BY comment_id, ordinal`;

interface RawResult {
  statements: number;
  rows: number;
  /** What was read: every comment of the page, level after level, and their quotes. */
  read: { comments: unknown[]; quotes: unknown[] };
}

/** What the app does for the page, minus everything but the SQL: article, top level, one query per level, quotes. */
async function readPageRaw(pool: pg.Pool, slug: string): Promise<RawResult> {
  const article = await pool.query<{ id: string }>(ARTICLE_SQL, [slug]);
  const articleId = article.rows[0].id;
  const top = await pool.query<{ id: string }>(TOP_LEVEL_SQL, [articleId, PAGE_LIMIT + 1]);
  const comments = top.rows.slice(0, PAGE_LIMIT);
  const all = comments.map((r) => r.id);
  let level = all;
  let statements = 2;
  for (let d = 0; d < DEPTH && level.length > 0; d++) {
    const children = await pool.query<{ id: string }>(REPLIES_SQL, [articleId, level, REPLY_LIMIT]);
    statements += 1;
    comments.push(...children.rows);
    level = children.rows.map((r) => r.id);
    all.push(...level);
  }
  const quotes = await pool.query(QUOTES_SQL, [all]);
  return { statements: statements + 1, rows: all.length, read: { comments, quotes: quotes.rows } };
}

/**
 * The raw side behind a bare HTTP server: the same statements, their rows as they come (no nesting, no mapping)
 * serialised with JSON.stringify and sent whole. What any JSON-over-HTTP server of this page costs at least, beyond
 * the database: the serialisation of the half megabyte and its trip through a socket.
 */
async function startRawHttp(pool: pg.Pool, slug: string): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    readPageRaw(pool, slug).then(
      ({ read }) => {
        const body = Buffer.from(JSON.stringify(read));
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
        res.end(body);
      },
      (error: unknown) => {
        res.writeHead(500).end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function countNodes(items: { replies: unknown[] }[]): number {
  return items.reduce((sum, item) => sum + 1 + countNodes(item.replies as { replies: unknown[] }[]), 0);
}

async function main(): Promise<void> {
  let scratch: ScratchDatabase | null = null;
  let app: INestApplication | null = null;
  let pool: pg.Pool | null = null;
  let rawHttp: http.Server | null = null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const rawAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    scratch = await openScratchDatabase('bench_thread');
    const { databaseUrl } = scratch;

    // The answer cache off: every request makes the page (bench:cache measures the cache against this).
    const config = loadConfig({
      LOG_LEVEL: 'error',
      SEED_ON_START: 'false',
      RATE_LIMIT_FACTOR: '1000',
      ANSWER_CACHE_MB: '0',
    });
    app = await createApp(config, databaseUrl);
    const generated = await generateLargeThread(app, { comments: COMMENTS, seed: SEED, progress: false });
    console.log(
      `Generated ${generated.comments.toLocaleString('en-US')} comments in ${(generated.milliseconds / 1000).toFixed(1)} s (article ${generated.slug})`,
    );
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer() as http.Server).address() as { port: number };
    const url = `http://127.0.0.1:${port.port}/api/articles/${generated.slug}/comments?limit=${PAGE_LIMIT}&depth=${DEPTH}`;

    // The raw side gets a pool of the app's size, on the same database.
    const poolSize = (dataSourceOptions(databaseUrl).extra as { max: number }).max;
    pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
    const rawPool = pool;

    // What one page is: the same rows both ways, and how many statements each side sends.
    const firstBody = await getPage(agent, url);
    const page = JSON.parse(firstBody.toString('utf8')) as { items: { replies: unknown[] }[] };
    const appNodes = countNodes(page.items);
    const appStatements = await countQueries(app.get(DataSource), () => getPage(agent, url));
    const raw = await readPageRaw(rawPool, generated.slug);
    if (raw.rows !== appNodes)
      throw new Error(`The raw queries read ${raw.rows} comments, the app answered ${appNodes}`);

    rawHttp = await startRawHttp(rawPool, generated.slug);
    const rawUrl = `http://127.0.0.1:${(rawHttp.address() as { port: number }).port}/`;
    const rawBytes = (await getPage(rawAgent, rawUrl)).length;

    const appOnce = () => getPage(agent, url);
    const rawOnce = () => readPageRaw(rawPool, generated.slug);
    const rawHttpOnce = () => getPage(rawAgent, rawUrl);

    // In a row: each side warmed up, then timed alone.
    await time(WARM_UP, appOnce);
    const appInRow = await time(TIMED, appOnce);
    await time(WARM_UP, rawOnce);
    const rawInRow = await time(TIMED, rawOnce);
    await time(WARM_UP, rawHttpOnce);

    // Interleaved: alternate rounds (and which side goes first) so that noise on the machine hits both alike.
    const appMixed: number[] = [];
    const rawMixed: number[] = [];
    const rawHttpMixed: number[] = [];
    const sides = [
      { samples: appMixed, once: appOnce, cpuMs: 0 },
      { samples: rawMixed, once: rawOnce, cpuMs: 0 },
      { samples: rawHttpMixed, once: rawHttpOnce, cpuMs: 0 },
    ];
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const cpu = process.cpuUsage();
        side.samples.push(...(await time(PER_ROUND, side.once)));
        const used = process.cpuUsage(cpu);
        side.cpuMs += (used.user + used.system) / 1000;
      }
    }
    const [appCpu, rawCpu, rawHttpCpu] = sides.map((side) => side.cpuMs / side.samples.length);

    const postgres = (await rawPool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
    const results = summarize({
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, node: process.version, postgres },
      thread: {
        comments: generated.comments,
        seed: SEED,
        slug: generated.slug,
        maxDepth: generated.maxDepth,
        generatedMs: generated.milliseconds,
      },
      request: {
        path: new URL(url).pathname + new URL(url).search,
        topLevel: page.items.length,
        comments: appNodes,
        bytes: firstBody.length,
        rawHttpBytes: rawBytes,
        statements: { app: appStatements, raw: raw.statements },
      },
      samples: { appInRow, rawInRow, appMixed, rawMixed, rawHttpMixed },
      cpuMsPerRequest: { app: appCpu, raw: rawCpu, rawHttp: rawHttpCpu },
      loadAverage: os.loadavg()[0],
    });
    print(results);
    await writeResults('thread-read', results);
  } finally {
    agent.destroy();
    rawAgent.destroy();
    rawHttp?.close();
    await app?.close();
    await pool?.end();
    await scratch?.close();
  }
}

interface RunFacts {
  machine: { cpus: number; cpuModel: string | null; node: string; postgres: string };
  thread: { comments: number; seed: number; slug: string; maxDepth: number; generatedMs: number };
  request: {
    path: string;
    topLevel: number;
    comments: number;
    bytes: number;
    rawHttpBytes: number;
    statements: { app: number; raw: number };
  };
  samples: { appInRow: number[]; rawInRow: number[]; appMixed: number[]; rawMixed: number[]; rawHttpMixed: number[] };
  /** This process's CPU time (user and system) per request in the interleaved rounds: the client's share included. */
  cpuMsPerRequest: { app: number; raw: number; rawHttp: number };
  /** The machine's load average over the last minute, at the end of the run. */
  loadAverage: number;
}

/** The figures of both phases, their ratios, and whether the targets hold (judged on the interleaved phase). */
function summarize({ samples, ...facts }: RunFacts) {
  const inRow = { app: figures(samples.appInRow), raw: figures(samples.rawInRow) };
  const interleaved = {
    rounds: ROUNDS,
    perRound: PER_ROUND,
    app: figures(samples.appMixed),
    raw: figures(samples.rawMixed),
    rawHttp: figures(samples.rawHttpMixed),
  };
  const ratios = {
    inRow: { median: ratio(inRow.app.median, inRow.raw.median), p99: ratio(inRow.app.p99, inRow.raw.p99) },
    interleaved: {
      median: ratio(interleaved.app.median, interleaved.raw.median),
      p99: ratio(interleaved.app.p99, interleaved.raw.p99),
    },
    overRawHttp: {
      median: ratio(interleaved.app.median, interleaved.rawHttp.median),
      p99: ratio(interleaved.app.p99, interleaved.rawHttp.p99),
    },
  };
  return {
    date: new Date().toISOString(),
    ...facts,
    warmUp: WARM_UP,
    inRow,
    interleaved,
    ratios,
    targets: { ratio: TARGET_RATIO, appMedianMs: TARGET_MEDIAN_MS },
    verdict: {
      medianRatio: ratios.interleaved.median <= TARGET_RATIO,
      p99Ratio: ratios.interleaved.p99 <= TARGET_RATIO,
      appMedian: interleaved.app.median <= TARGET_MEDIAN_MS,
    },
  };
}

function print(r: ReturnType<typeof summarize>): void {
  const verdict = r.verdict;
  const ms = (x: number) => `${x.toFixed(2)} ms`.padStart(10);
  const x = (v: number) => `${v.toFixed(2)}×`.padStart(10);
  const row = (label: string, f: Figures) =>
    `${label.padEnd(30)}${ms(f.median)}${ms(f.p99)}${ms(f.mean)}${String(f.samples).padStart(9)}`;
  const holds = (ok: boolean) => (ok ? 'holds' : 'MISSED');
  console.log(`
Thread read: GET ${r.request.path}
  ${r.thread.comments.toLocaleString('en-US')}-comment thread; the page: ${r.request.topLevel} top-level comments, ${r.request.comments} comments in all, ${(r.request.bytes / 1024).toFixed(0)} KiB of JSON
  statements per page: app ${r.request.statements.app}, raw ${r.request.statements.raw}; ${r.machine.cpus} CPUs, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}

${''.padEnd(30)}${'median'.padStart(10)}${'p99'.padStart(10)}${'mean'.padStart(10)}${'samples'.padStart(9)}
${row('app, in a row', r.inRow.app)}
${row('raw SQL, in a row', r.inRow.raw)}
${row(`app, interleaved`, r.interleaved.app)}
${row(`raw SQL, interleaved`, r.interleaved.raw)}
${row(`raw SQL + JSON + HTTP, interl.`, r.interleaved.rawHttp)}

${''.padEnd(30)}${'median'.padStart(10)}${'p99'.padStart(10)}
${'app / raw, in a row'.padEnd(30)}${x(r.ratios.inRow.median)}${x(r.ratios.inRow.p99)}
${'app / raw, interleaved'.padEnd(30)}${x(r.ratios.interleaved.median)}${x(r.ratios.interleaved.p99)}
${'app / raw + HTTP, interleaved'.padEnd(30)}${x(r.ratios.overRawHttp.median)}${x(r.ratios.overRawHttp.p99)}
  (raw + HTTP: the raw rows as JSON, ${(r.request.rawHttpBytes / 1024).toFixed(0)} KiB, through a bare http server; for information, not a target)
  CPU of this process per request, interleaved (the client's share included): app ${r.cpuMsPerRequest.app.toFixed(2)} ms, raw ${r.cpuMsPerRequest.raw.toFixed(2)} ms, raw + HTTP ${r.cpuMsPerRequest.rawHttp.toFixed(2)} ms; load average ${r.loadAverage.toFixed(1)}

Targets (interleaved figures):
  median app/raw ≤ ${TARGET_RATIO}×: ${holds(verdict.medianRatio)} (${r.ratios.interleaved.median.toFixed(2)}×)
  p99 app/raw ≤ ${TARGET_RATIO}×:    ${holds(verdict.p99Ratio)} (${r.ratios.interleaved.p99.toFixed(2)}×)
  app median ≤ ${TARGET_MEDIAN_MS} ms:     ${holds(verdict.appMedian)} (${r.interleaved.app.median.toFixed(2)} ms)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench:thread-read failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
