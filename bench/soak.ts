import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AppChild } from './soak/app-child.js';
import { expectStatus, request } from './soak/http.js';
import { Arrivals } from './support/live-reader.js';
import { finalSeq, openReaders } from './soak/readers.js';
import { print, summarize } from './soak/report.js';
import {
  ARTICLE,
  now,
  readSettings,
  SAMPLE_EVERY_MS,
  SETTLE_TIMEOUT_MS,
  sleep,
  WATCHDOG_EXTRA_MS,
} from './soak/settings.js';
import { atExit, nameProgram, onStop, runToEnd, stopEverything } from './soak/stopping.js';
import { type Block, type Known, Load, Writer } from './soak/writers.js';
import { writeResults } from './support/results.js';
import { openScratchDatabase, postgresVersion } from './support/scratch-database.js';

/**
 * `npm run test:soak`: a long-running check, not a benchmark and not part of `npm test`. On loopback, the real app
 * (`node dist/src/main.js`, a child process so that its memory can be read from /proc) serves N readers who follow one
 * seeded article over Socket.IO and M writers who post comments (some replies, some quoting a block of the article),
 * edit a few of their own and vote on others', at a steady pace, for `--seconds`.
 *
 * It checks that nothing goes wrong: every HTTP answer is the expected 2xx, no socket disconnects, and every reader
 * ends holding every numbered event of the article exactly once (by `seq`, following the rule of
 * client/src/seq-follow.ts: drop what is at or below the seq held, join again with `since` on a jump), and every
 * comment answered 201 arrived once as `comment.created` at every reader. It reports throughput, the p99 of writes
 * and of delivery, and whether the app's RSS stayed flat. Exit code 1 on any error, loss or duplicate; 0 otherwise.
 *
 * Two processes besides PostgreSQL: this one (every reader and writer; the clients share one process so that the
 * app keeps the other core) and the app. Linux only (/proc).
 *
 * This file runs the soak; its parts live in bench/soak/: settings.ts (the options and fixed figures), stopping.ts
 * (what is stopped at the end or on a signal), app-child.ts (the app's process, its memory and CPU), http.ts (requests
 * and their statistics), readers.ts (the followers, by the web client's seq-follow rule), writers.ts (the load), and
 * report.ts (the figures, the verdict and the printed report).
 */

async function main(): Promise<number> {
  const settings = readSettings();
  const watchdog = setTimeout(
    () => {
      console.error(`soak: not done ${settings.seconds} s + ${WATCHDOG_EXTRA_MS / 1000} s after the start: giving up`);
      void stopEverything().finally(() => process.exit(1));
    },
    settings.seconds * 1000 + WATCHDOG_EXTRA_MS,
  );
  watchdog.unref();

  // PostgreSQL: a migrated database of our own on a throwaway cluster (or on DATABASE_URL's server), removed at the end.
  const scratch = await openScratchDatabase('soak');
  onStop('the database', () => scratch.close());
  const { databaseUrl, dataDir } = scratch;
  if (dataDir) atExit.push(() => rmSync(dataDir, { recursive: true, force: true }));

  // The app; if it dies during the run, the writers stop and the soak fails.
  let appExit: number | null | undefined;
  let load: Load | null = null;
  const app = await AppChild.start(databaseUrl, (code) => {
    appExit = code;
    console.error(`soak: the app exited with ${code} during the run`);
    load?.stop();
  });
  onStop('the app', () => app.stop());
  console.log(`The app (pid ${app.pid}) listens on ${app.url}`);

  // What writers work with: the article's blocks (quotable whole), the seeded comments, accounts.
  const setupAgent = new http.Agent({ keepAlive: true });
  onStop('the setup agent', () => Promise.resolve(setupAgent.destroy()));
  const article = await expectStatus(
    request(setupAgent, `${app.url}/api/articles/${ARTICLE}`, 'GET'),
    200,
    `GET /api/articles/${ARTICLE}`,
  );
  const blocks: Block[] = (article.blocks as Block[])
    .filter((b) => b.text.trim().length >= 20 && b.text.length <= 1_000)
    .map((b) => ({ id: b.id, text: b.text }));
  const thread = await expectStatus(
    request(setupAgent, `${app.url}/api/articles/${ARTICLE}/comments?sort=new&limit=100&depth=0`, 'GET'),
    200,
    'GET the thread',
  );
  const known: Known[] = (thread.items as { id: string; status: string }[])
    .filter((c) => c.status === 'visible')
    .map((c) => ({ id: c.id, author: -1 }));
  const writers: Writer[] = [];
  for (let i = 0; i < settings.writers; i++) {
    const answer = await expectStatus(
      request(setupAgent, `${app.url}/api/auth/register`, 'POST', {
        body: { username: `soak_${process.pid}_${i}`, password: 'a long enough password for the soak' },
        idempotencyKey: randomUUID(),
      }),
      201,
      'POST /api/auth/register',
    );
    writers.push(new Writer(i, answer.token as string));
  }
  onStop('the writers’ agents', () => Promise.resolve(writers.forEach((w) => w.agent.destroy())));

  const arrivals = new Arrivals(settings.readers);
  let connectMs = now();
  const readers = await openReaders(app.url, settings.readers, (reader, commentId) =>
    arrivals.arrived(reader, commentId, now()),
  );
  connectMs = now() - connectMs;
  console.log(
    `${settings.readers} readers joined ${ARTICLE} (seq ${readers[0].baseline}) in ${(connectMs / 1000).toFixed(1)} s; ` +
      `${settings.writers} writers, ${settings.seconds} s of load`,
  );

  // The load, with the app's memory sampled every 5 s (and at the start and the end).
  const memory: { atS: number; rssMb: number }[] = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const startedAt = now();
  const sample = async () => memory.push({ atS: (now() - startedAt) / 1000, rssMb: (await app.memory()).rssMb });
  const cpuBefore = { app: await app.cpuSeconds(), soak: process.cpuUsage() };
  await sample();
  const sampler = setInterval(() => void sample().catch(() => undefined), SAMPLE_EVERY_MS);
  loopDelay.enable();
  load = new Load(app.url, blocks, known);
  const running = load;
  await Promise.all(writers.map((w) => running.run(w, startedAt + settings.seconds * 1000)));
  const loadMs = now() - startedAt;
  clearInterval(sampler);
  await sample().catch(() => undefined);

  // Every write has been answered, so every event is committed: a follower joining now is told the final seq.
  const final = appExit === undefined ? await finalSeq(app.url) : { seq: -1, presence: -1 };
  const settleDeadline = now() + SETTLE_TIMEOUT_MS;
  while (now() < settleDeadline && !readers.every((r) => r.held === final.seq && r.settled)) await sleep(100);
  const deliveredMs = now() - startedAt;
  loopDelay.disable();
  const cpu = {
    appS: (await app.cpuSeconds()) - cpuBefore.app,
    soakS: ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(cpuBefore.soak)),
  };
  const appMemory = await app.memory();

  const results = summarize({
    settings,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      node: process.version,
      postgres: await postgresVersion(databaseUrl),
    },
    setup: { quotableBlocks: blocks.length, seededComments: known.filter((k) => k.author === -1).length, connectMs },
    appExit,
    load,
    readers,
    arrivals,
    final,
    loadMs,
    deliveredMs,
    memory,
    peakMb: appMemory.peakMb,
    cpu,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  });
  print(results);
  await writeResults('soak', results);
  return results.verdict.passed ? 0 : 1;
}

nameProgram('test:soak');
runToEnd(main);
