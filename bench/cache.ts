import 'reflect-metadata';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import { type INestApplication } from '@nestjs/common';
import { createApp } from '../src/app.factory.js';
import { generateLargeThread } from '../seeds/large-thread.js';
import { benchAppConfig } from './support/bench-config.js';
import { writeResults } from './support/results.js';
import { openScratchDatabase, postgresVersion, type ScratchDatabase } from './support/scratch-database.js';
import { ratio } from './support/stats.js';

/**
 * `npm run bench:cache`: the first page of a 10,000-comment thread read by anonymous readers, from the answer cache
 * against the same app with the cache off (ANSWER_CACHE_MB=0), both on one database in one process, measured in
 * interleaved rounds; revalidations (304); and what the page weighs on the wire in each coding. A benchmark: it prints
 * figures and exits 0 whatever they are; 1 only when something fails (an answer that is not 200/304, the two apps
 * disagreeing on the page).
 */

const COMMENTS = 10_000;
const SEED = 1;
const PAGE = '?limit=50&depth=3';
/** What a browser sends. */
const BROWSER_ENCODINGS = 'gzip, deflate, br, zstd';
/** Readers at once: each a keep-alive connection asking again as soon as it has its answer. */
const CONCURRENCY = 8;
const ROUNDS = 5;
const ROUND_MS = 1_000;
const WARM_UP_MS = 500;
const TARGET_SPEED_UP = 5;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  wire: Buffer;
}

function get(agent: http.Agent, url: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const answer = { status: response.statusCode ?? 0, headers: response.headers, wire: Buffer.concat(chunks) };
        if (answer.status !== 200 && answer.status !== 304)
          reject(new Error(`GET ${url} answered ${answer.status}: ${answer.wire.toString('utf8').slice(0, 300)}`));
        else resolve(answer);
      });
    });
    request.on('error', reject);
  });
}

function decoded(answer: Answer): string {
  const coding = answer.headers['content-encoding'];
  const bytes =
    coding === 'br'
      ? zlib.brotliDecompressSync(answer.wire)
      : coding === 'gzip'
        ? zlib.gunzipSync(answer.wire)
        : answer.wire;
  return bytes.toString('utf8');
}

interface Side {
  name: string;
  url: string;
  headers: Record<string, string>;
  status: number;
}

interface RoundFigures {
  requests: number;
  seconds: number;
  /** CPU of this whole process (both apps and the readers) over the round. */
  cpuMs: number;
  latencies: number[];
}

/** CONCURRENCY readers asking `side` again and again for `ms`: how many answers came, and in how long each. */
async function hammer(agent: http.Agent, side: Side, ms: number): Promise<RoundFigures> {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const sent = performance.now();
        const answer = await get(agent, side.url, side.headers);
        if (answer.status !== side.status) throw new Error(`${side.name}: ${answer.status}, not ${side.status}`);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    requests: latencies.length,
    seconds: (performance.now() - started) / 1000,
    cpuMs: (used.user + used.system) / 1000,
    latencies,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as http.Server).address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

async function main(): Promise<void> {
  let scratch: ScratchDatabase | null = null;
  const apps: INestApplication[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    scratch = await openScratchDatabase('bench_cache');
    const { databaseUrl } = scratch;
    const uncachedApp = await createApp(benchAppConfig({ ANSWER_CACHE_MB: '0' }), databaseUrl);
    apps.push(uncachedApp);
    const cachedApp = await createApp(benchAppConfig(), databaseUrl);
    apps.push(cachedApp);
    const generated = await generateLargeThread(uncachedApp, { comments: COMMENTS, seed: SEED, progress: false });
    console.log(
      `Generated ${generated.comments.toLocaleString('en-US')} comments in ${(generated.milliseconds / 1000).toFixed(1)} s (article ${generated.slug})`,
    );
    const path = `/api/articles/${generated.slug}/comments${PAGE}`;
    const uncachedUrl = `${await listen(uncachedApp)}${path}`;
    const cachedUrl = `${await listen(cachedApp)}${path}`;

    // The page on the wire in each coding, and the two apps agreeing on it.
    const wire: Record<string, number> = {};
    let etag = '';
    for (const [label, accept] of [
      ['identity', 'identity'],
      ['gzip', 'gzip'],
      ['br', 'br'],
    ] as const) {
      const fromCache = await get(agent, cachedUrl, { 'Accept-Encoding': accept });
      const made = await get(agent, uncachedUrl, { 'Accept-Encoding': accept });
      if (decoded(fromCache) !== decoded(made)) throw new Error(`the two apps answered different pages (${label})`);
      if (fromCache.headers['content-encoding'] !== (label === 'identity' ? undefined : label))
        throw new Error(`asked for ${label}, got ${String(fromCache.headers['content-encoding'])}`);
      wire[label] = fromCache.wire.length;
      etag = String(fromCache.headers.etag);
    }
    const comments = (decoded(await get(agent, cachedUrl, {})).match(/"body":/g) ?? []).length;

    const sides: Side[] = [
      {
        name: 'uncached, browser encodings',
        url: uncachedUrl,
        headers: { 'Accept-Encoding': BROWSER_ENCODINGS },
        status: 200,
      },
      {
        name: 'cached, browser encodings',
        url: cachedUrl,
        headers: { 'Accept-Encoding': BROWSER_ENCODINGS },
        status: 200,
      },
      { name: 'uncached, identity', url: uncachedUrl, headers: {}, status: 200 },
      { name: 'cached, identity', url: cachedUrl, headers: {}, status: 200 },
      { name: 'revalidation (304)', url: cachedUrl, headers: { 'If-None-Match': etag }, status: 304 },
    ];
    for (const side of sides) await hammer(agent, side, WARM_UP_MS);
    const rounds = new Map<string, RoundFigures[]>(sides.map((side) => [side.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order, so that noise on the machine falls on every side alike.
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) rounds.get(side.name)?.push(await hammer(agent, side, ROUND_MS));
    }

    const bySide = sides.map((side) => {
      const figures = rounds.get(side.name) ?? [];
      const requests = figures.reduce((sum, r) => sum + r.requests, 0);
      return {
        name: side.name,
        requests,
        perSecond: Math.round(requests / figures.reduce((sum, r) => sum + r.seconds, 0)),
        medianMs: Math.round(median(figures.flatMap((r) => r.latencies)) * 1000) / 1000,
        cpuMsPerRequest: Math.round((figures.reduce((sum, r) => sum + r.cpuMs, 0) / requests) * 1000) / 1000,
      };
    });
    const rate = (name: string) => bySide.find((s) => s.name === name)?.perSecond ?? 0;
    const speedUp = {
      browser: ratio(rate('cached, browser encodings'), rate('uncached, browser encodings')),
      identity: ratio(rate('cached, identity'), rate('uncached, identity')),
      revalidation: ratio(rate('revalidation (304)'), rate('uncached, browser encodings')),
    };
    const results = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
        node: process.version,
        postgres: await postgresVersion(databaseUrl),
      },
      thread: { comments: generated.comments, seed: SEED, slug: generated.slug },
      page: { path, comments, wire },
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      roundMs: ROUND_MS,
      sides: bySide,
      speedUp,
      target: { speedUp: TARGET_SPEED_UP },
      verdict: { speedUp: speedUp.browser >= TARGET_SPEED_UP },
    };
    print(results);
    await writeResults('cache', results);
  } finally {
    agent.destroy();
    for (const app of apps) await app.close();
    await scratch?.close();
  }
}

function print(r: {
  machine: { cpus: number; loadAverage: number[]; node: string; postgres: string };
  thread: { comments: number };
  page: { path: string; comments: number; wire: Record<string, number> };
  sides: { name: string; requests: number; perSecond: number; medianMs: number; cpuMsPerRequest: number }[];
  speedUp: { browser: number; identity: number; revalidation: number };
  verdict: { speedUp: boolean };
}): void {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const row = (s: (typeof r.sides)[number]) =>
    `${s.name.padEnd(30)}${String(s.perSecond).padStart(9)}${s.medianMs.toFixed(2).padStart(11)}${s.cpuMsPerRequest.toFixed(2).padStart(12)}${String(s.requests).padStart(10)}`;
  console.log(`
Answer cache: GET ${r.page.path}
  ${r.thread.comments.toLocaleString('en-US')}-comment thread; the page holds ${r.page.comments} comments
  ${CONCURRENCY} readers at once, ${ROUNDS} interleaved rounds of ${ROUND_MS / 1000} s per side; ${r.machine.cpus} CPUs (load ${r.machine.loadAverage.join(' ')}), Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}

On the wire: ${kb(r.page.wire.identity)} as it is, ${kb(r.page.wire.gzip)} gzip, ${kb(r.page.wire.br)} Brotli (${ratio(r.page.wire.identity, r.page.wire.br)}× smaller)

${''.padEnd(30)}${'answers/s'.padStart(9)}${'median ms'.padStart(11)}${'CPU ms/ans'.padStart(12)}${'answers'.padStart(10)}
${r.sides.map(row).join('\n')}

cached / uncached throughput: ${r.speedUp.browser}× with a browser's encodings, ${r.speedUp.identity}× without; revalidations ${r.speedUp.revalidation}× the uncached page
Target: cached ≥ ${TARGET_SPEED_UP}× uncached (browser encodings): ${r.verdict.speedUp ? 'holds' : 'MISSED'}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench:cache failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
