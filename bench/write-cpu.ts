import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type INestApplication } from '@nestjs/common';
import { createApp } from '../src/app.factory.js';
import { dropDatabase, ensureDatabase } from '../src/database/database-server.js';
import { Fixtures } from '../test/helpers/fixtures.js';
import { BENCH_ENVIRONMENT, benchAppConfig } from './support/bench-config.js';
import { MARKDOWN_COMMENT, postComment } from './support/comment-post.js';
import { openScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';
import { figures } from './support/stats.js';

/**
 * `node dist/bench/write-cpu.js [--baseline-dir DIR] [--cpu-prof FILE]`: the app's own CPU time per posted comment
 * (issue 19's write path), which a loaded machine moves much less than it moves throughput. The app (and, with
 * --baseline-dir, another checkout's build beside it, as in bench:write) runs in this process; the posts come from a
 * child process, so that this process's CPU time (process.cpuUsage: user and system) is the app's alone: HTTP,
 * Nest, the service, the driver, and the job worker and live listener that every post sets to work. Rounds of each
 * side alternate; the figure is the median of a side's rounds. `--cpu-prof FILE` writes a V8 CPU profile of the
 * app's last round at 8 writers (open it in Chrome's DevTools, or read it as JSON).
 */

const ROUNDS = 4;
const POSTS: Record<number, number> = { 1: 150, 8: 400 };
const WARM_UP = 300;
const WRITERS = 8;

interface Side {
  name: string;
  app: INestApplication;
  port: number;
  slug: string;
  tokens: string[];
}

/** The child: posts as many comments as asked, with as many writers, and says when they are all answered. */
function runLoad(): void {
  const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS });
  process.on('message', (message: { port: number; slug: string; tokens: string[]; count: number }) => {
    const { port, slug, tokens, count } = message;
    let next = 0;
    void Promise.all(
      tokens.map(async (token) => {
        while (next < count) {
          next += 1;
          await postComment(agent, port, slug, token, { body: `${MARKDOWN_COMMENT} (${next})` });
        }
      }),
    ).then(
      () => process.send?.('done'),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

function option(name: string): string | null {
  const at = process.argv.indexOf(name);
  if (at === -1) return null;
  const value = process.argv[at + 1];
  if (!value) throw new Error(`${name} needs a value.`);
  return value;
}

async function startSide(
  name: string,
  create: () => Promise<INestApplication>,
  newEssay: (app: INestApplication) => Promise<{ slug: string }>,
): Promise<Side> {
  const app = await create();
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as http.Server).address() as { port: number }).port;
  const { slug } = await newEssay(app);
  const tokens: string[] = [];
  for (let i = 0; i < WRITERS; i++) {
    const answer = await fetch(`http://127.0.0.1:${port}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: `${name}writer${i}`, password: 'writer-password-1' }),
    });
    if (answer.status !== 201) throw new Error(`register answered ${answer.status}`);
    tokens.push(((await answer.json()) as { token: string }).token);
  }
  return { name, app, port, slug, tokens };
}

/** `count` posts by `writers` of the side's writers through the child: the app's CPU milliseconds per post, posts/s. */
async function measure(
  load: ChildProcess,
  side: Side,
  writers: number,
  count: number,
): Promise<{ cpuMs: number; perSecond: number }> {
  const done = new Promise<void>((resolve, reject) => {
    load.once('message', () => resolve());
    load.once('exit', (code) => reject(new Error(`the load process ended (${code})`)));
  });
  const before = process.cpuUsage();
  const started = performance.now();
  load.send({ port: side.port, slug: side.slug, tokens: side.tokens.slice(0, writers), count });
  await done;
  load.removeAllListeners('exit');
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(before);
  return { cpuMs: (used.user + used.system) / 1000 / count, perSecond: count / seconds };
}

async function main(): Promise<void> {
  const oldDir = option('--baseline-dir');
  const profileFile = option('--cpu-prof');
  let scratch: ScratchDatabase | null = null;
  let oldDatabase: string | null = null;
  const sides: Side[] = [];
  const load = fork(fileURLToPath(import.meta.url), ['load']);
  try {
    scratch = await openScratchDatabase('bench_write_cpu');
    const databaseUrl = scratch.databaseUrl;
    sides.push(
      await startSide(
        'app',
        () => createApp(benchAppConfig(), databaseUrl),
        (app) => new Fixtures(app).newArticle(),
      ),
    );
    if (oldDir) {
      // As bench:write does: the other checkout's own migrations, configuration, app and fixtures, from its build.
      const dir = path.resolve(oldDir);
      const from = <M>(file: string) => import(pathToFileURL(path.join(dir, 'dist', file)).href) as Promise<M>;
      const prepare = await from<typeof import('../src/database/prepare-database.js')>(
        'src/database/prepare-database.js',
      );
      const config = await from<typeof import('../src/config/app-config.js')>('src/config/app-config.js');
      const factory = await from<typeof import('../src/app.factory.js')>('src/app.factory.js');
      const fixtures = await from<typeof import('../test/helpers/fixtures.js')>('test/helpers/fixtures.js');
      oldDatabase = `bench_write_cpu_old_${process.pid}`;
      const oldUrl = await ensureDatabase(scratch.serverUrl, oldDatabase);
      await prepare.prepareDatabase(oldUrl, () => undefined);
      const oldConfig = config.loadConfig({ ...BENCH_ENVIRONMENT });
      sides.push(
        await startSide(
          'old',
          () => factory.createApp(oldConfig, oldUrl),
          (app) => new fixtures.Fixtures(app).newArticle(),
        ),
      );
    }
    for (const side of sides) await measure(load, side, WRITERS, WARM_UP);
    const perPost = new Map<string, number[]>();
    const rates = new Map<string, number[]>();
    let profile: unknown = null;
    for (let round = 0; round < ROUNDS; round++) {
      for (const writers of [1, 8]) {
        for (let k = 0; k < sides.length; k++) {
          const side = sides[(round + k) % sides.length];
          const profiling = profileFile !== null && side.name === 'app' && writers === 8 && round === ROUNDS - 1;
          const session = profiling ? new Session() : null;
          if (session) {
            session.connect();
            await session.post('Profiler.enable');
            await session.post('Profiler.start');
          }
          const measured = await measure(load, side, writers, POSTS[writers]);
          if (session) {
            profile = (await session.post('Profiler.stop')).profile;
            session.disconnect();
          }
          const key = `${side.name}-${writers}`;
          perPost.set(key, [...(perPost.get(key) ?? []), measured.cpuMs]);
          rates.set(key, [...(rates.get(key) ?? []), measured.perSecond]);
        }
      }
    }
    console.log(
      `\nApp CPU per post and posts/s (this process: the app, its job worker and listener; the posts come from a child ` +
        `process), median of ${ROUNDS} alternating rounds (${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)})`,
    );
    const median = (values: Map<string, number[]>, key: string) => figures(values.get(key) ?? []).median;
    for (const writers of [1, 8]) {
      const line = sides.map(
        ({ name }) =>
          `${name} ${median(perPost, `${name}-${writers}`).toFixed(2)} ms (${median(rates, `${name}-${writers}`).toFixed(1)} posts/s)`,
      );
      const app = median(perPost, `app-${writers}`);
      const ratio = oldDir
        ? `; old/app CPU ${(median(perPost, `old-${writers}`) / app).toFixed(2)}×, app/old posts/s ` +
          `${(median(rates, `app-${writers}`) / median(rates, `old-${writers}`)).toFixed(2)}×`
        : '';
      console.log(`  ${writers} writer${writers > 1 ? 's' : ''}: ${line.join(', ')}${ratio}`);
    }
    if (profileFile && profile) {
      await writeFile(profileFile, JSON.stringify(profile));
      console.log(`  CPU profile of the app's last round at 8 writers: ${profileFile}`);
    }
  } finally {
    load.kill();
    for (const side of sides.reverse()) await side.app.close();
    if (scratch && oldDatabase) await dropDatabase(scratch.serverUrl, oldDatabase).catch(() => undefined);
    await scratch?.close();
  }
}

if (process.argv[2] === 'load') runLoad();
else
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
