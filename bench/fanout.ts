import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Server } from 'socket.io';
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import { figures, ratio } from './support/stats.js';
import { writeResults } from './support/results.js';

/**
 * `npm run bench:fanout`: one comment to 1,000 live followers. The app (POST, transaction, event log, Socket.IO
 * through the PostgreSQL adapter) against a raw baseline (one plain `pg` INSERT and a bare socket.io server), measured
 * in the same run: (a) from the POST until the last follower has the `comment.created`, (b) from one emit until the
 * last follower has it, (c) the app server's RSS with the followers connected.
 *
 * Three processes besides PostgreSQL: this one (the orchestrator, and the 2 × 1,000 socket.io-client followers), the
 * app server (`fanout.js app`: createApp, as main.js does) and the raw server (`fanout.js raw`), each a child of its
 * own so that both servers are measured alike and the app's RSS is its own. Timestamps are
 * `process.hrtime.bigint()`: CLOCK_MONOTONIC on Linux, one clock for every process of the machine, so an emit time
 * taken in a server and a receive time taken here can be subtracted. Linux only (that clock, and /proc for the RSS).
 * Every role runs this file, so the app's modules are imported where a role needs them (`await import`), not at the
 * top: the raw server's RSS must not carry Nest and TypeORM, nor the app server's socket.io-client.
 *
 * A benchmark: it prints figures and exits 0 whatever they are; it exits 1 only when something fails (a request that
 * does not answer 201, a follower that misses an event, a child that dies).
 */

const FOLLOWERS = 1_000;
const CONNECT_BATCH = 50;
const WARM_UP = 20;
const ROUNDS = 4;
const PER_ROUND = 50;
const IN_FLIGHT = 4;
const DELIVERY_TIMEOUT_MS = 20_000;
const TARGET_THROUGHPUT_RATIO = 0.5;
const TARGET_LATENCY_P99_RATIO = 2;
const TARGET_EMIT_P99_RATIO = 1.5;
const TARGET_RSS_MB = 250;
/** Connecting and joining the followers, app against raw (issue 19). */
const TARGET_CONNECT_RATIO = 1.5;
/** How long the app's background database work is sampled before the followers connect. */
const IDLE_SAMPLE_MS = 3_000;
/** The raw server's one room, and the event name of the synthetic emits of (b) on both servers. */
const RAW_ROOM = 'article:raw';
const SYNTHETIC_EVENT = 'bench.fanout';
/** About 600 characters: a reply of ordinary length on a forum for long essays. */
const FILLER =
  'I read the second section differently. The author treats the archive as if it were neutral, a shelf from which ' +
  'anyone could take what they need, but the essay itself shows that somebody chose what to keep and what to throw ' +
  'away, and those choices shaped every argument that came after. If the collection was curated by the same ' +
  'institution whose history it records, then the absence of dissenting letters is not evidence that there was no ' +
  'dissent. It is evidence of the curation. I would like to see the essay take that seriously before it draws the ' +
  'conclusion in its last paragraph, which otherwise rests on silence.';

/** USER_HZ: the unit of the CPU times in /proc/<pid>/stat (100 on every Linux architecture Node runs on). */
const CLOCK_TICKS_PER_SECOND = 100;

const SELF = fileURLToPath(import.meta.url);
type Side = 'app' | 'raw';

/** A `comment.created` payload as followers receive it (and as the synthetic emits copy it). */
interface EventPayload {
  seq: number | null;
  articleId: string;
  at: string;
  comment: Record<string, unknown> & { id: string; body: string; html: string };
}

type ToChild = { kind: 'template'; payload: EventPayload } | { kind: 'emit'; marker: string } | { kind: 'stop' };
type FromChild =
  | { kind: 'ready'; port: number; article: { id: string; slug: string } | null }
  /** `at`: just before the emit call; `returned`: when it returned. */
  | { kind: 'emitted'; marker: string; at: number; returned: number };

/** Milliseconds on CLOCK_MONOTONIC (comparable between processes on Linux). */
function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each event's body starts with a marker (`fanout-app-17`) and a space: that is how followers match it. */
function bodyFor(marker: string): string {
  return `${marker} ${FILLER}`;
}

function markerOf(payload: EventPayload): string {
  const body = payload.comment?.body;
  return typeof body === 'string' ? body.slice(0, body.indexOf(' ')) : '';
}

/** The template with another body: the same bytes on the wire, give or take the marker. */
function withBody(template: EventPayload, marker: string): EventPayload {
  const body = bodyFor(marker);
  return {
    ...template,
    seq: null,
    at: new Date().toISOString(),
    comment: { ...template.comment, body, html: `<p>${body}</p>\n` },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The children: the app server and the raw server. Each reports `ready` with its port, then answers `emit`.
// ---------------------------------------------------------------------------------------------------------------

function send(message: FromChild): void {
  if (!process.send) throw new Error('not started as a child process');
  process.send(message);
}

/** Lives as long as the orchestrator: a child whose parent is gone exits. */
function onMessages(handle: (message: ToChild) => Promise<void> | void): void {
  process.on('disconnect', () => process.exit(1));
  process.on('message', (message: ToChild) => {
    Promise.resolve(handle(message)).catch((error: unknown) => {
      console.error(`bench:fanout ${process.argv[2]} server failed:`, error);
      process.exit(1);
    });
  });
}

/** The real app, built as main.js builds it, with one article for the followers. */
async function runAppServer(databaseUrl: string): Promise<void> {
  const { createApp } = await import('../src/app.factory.js');
  const { loadConfig } = await import('../src/config/app-config.js');
  const { LiveRouter } = await import('../src/realtime/live-router.js');
  const { articleRoom } = await import('../src/realtime/rooms.js');
  const { Fixtures } = await import('../test/helpers/fixtures.js');
  // 1,000 followers from one loopback address: the per-address cap on live connections is lifted.
  const config = loadConfig({
    LOG_LEVEL: 'error',
    SEED_ON_START: 'false',
    RATE_LIMIT_FACTOR: '100000',
    LIVE_CONNECTIONS_PER_ADDRESS: '100000',
  });
  const app = await createApp(config, databaseUrl);
  await app.listen(0, '127.0.0.1');
  const article = await new Fixtures(app).newArticle();
  const live = app.get(LiveRouter);
  let template: EventPayload | null = null;
  onMessages(async (message) => {
    if (message.kind === 'template') template = message.payload;
    if (message.kind === 'emit') {
      if (!template) throw new Error('emit before template');
      const payload = withBody(template, message.marker);
      const at = now();
      live.emit(articleRoom(article.id), SYNTHETIC_EVENT, { ...payload });
      send({ kind: 'emitted', marker: message.marker, at, returned: now() });
    }
    if (message.kind === 'stop') {
      await app.close();
      process.exit(0);
    }
  });
  const { port } = (app.getHttpServer() as http.Server).address() as AddressInfo;
  send({ kind: 'ready', port, article: { id: article.id, slug: article.slug } });
}

/**
 * The floor: `POST /comments` does one plain INSERT (body, html and the comment as JSON, as the app's comment row and
 * event log hold them) and emits to one room of a bare socket.io server: no Nest, no transaction, no adapter.
 */
async function runRawServer(databaseUrl: string, poolSize: number): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_fanout_raw (
    id bigserial PRIMARY KEY, article_id bigint NOT NULL, author_id bigint NOT NULL,
    body text NOT NULL, html text NOT NULL, payload json NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  let template: EventPayload | null = null;
  let seq = 0;

  const insertAndEmit = async (body: string): Promise<EventPayload> => {
    if (!template) throw new Error('comment before template');
    const comment = { ...template.comment, body, html: `<p>${body}</p>\n` };
    const { rows } = await pool.query<{ id: string; created_at: Date }>(
      'INSERT INTO bench_fanout_raw (article_id, author_id, body, html, payload) VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at',
      [1, 1, body, comment.html, JSON.stringify({ comment })],
    );
    const at = rows[0].created_at.toISOString();
    const payload: EventPayload = {
      seq: ++seq,
      articleId: 'raw',
      at,
      comment: { ...comment, id: rows[0].id, createdAt: at },
    };
    io.to(RAW_ROOM).emit('comment.created', payload);
    return payload;
  };

  const httpServer = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body?: unknown };
      if (request.method !== 'POST' || request.url !== '/comments' || typeof input.body !== 'string') {
        answer(400, { error: 'POST /comments { body }' });
        return;
      }
      insertAndEmit(input.body).then(
        (payload) => answer(201, payload.comment),
        (error: unknown) => answer(500, { error: String(error) }),
      );
    });
  });
  const io = new Server(httpServer, { serveClient: false });
  io.on('connection', (socket) => {
    socket.on('join', (_request: unknown, ack: (answer: { ok: true }) => void) => {
      void socket.join(RAW_ROOM);
      ack({ ok: true });
    });
  });
  onMessages(async (message) => {
    if (message.kind === 'template') template = message.payload;
    if (message.kind === 'emit') {
      if (!template) throw new Error('emit before template');
      const payload = withBody(template, message.marker);
      const at = now();
      io.to(RAW_ROOM).emit(SYNTHETIC_EVENT, payload);
      send({ kind: 'emitted', marker: message.marker, at, returned: now() });
    }
    if (message.kind === 'stop') {
      await io.close();
      await pool.end();
      process.exit(0);
    }
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  send({ kind: 'ready', port: (httpServer.address() as AddressInfo).port, article: null });
}

// ---------------------------------------------------------------------------------------------------------------
// The orchestrator's side: children, followers, deliveries.
// ---------------------------------------------------------------------------------------------------------------

/** A server child: started, asked to emit, measured through /proc, stopped. */
class ServerChild {
  private readonly emitted = new Map<string, (times: { at: number; returned: number }) => void>();
  private exited = false;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly article: { id: string; slug: string } | null,
  ) {
    child.on('message', (message: FromChild) => {
      if (message.kind === 'emitted') this.emitted.get(message.marker)?.(message);
    });
    child.on('exit', () => (this.exited = true));
  }

  static start(role: Side, args: string[]): Promise<ServerChild> {
    const child = fork(SELF, [role, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      const failed = (code: number | null) =>
        reject(new Error(`the ${role} server exited (code ${code}) before it was ready`));
      child.once('exit', failed);
      child.once('message', (message: FromChild) => {
        child.off('exit', failed);
        if (message.kind !== 'ready') reject(new Error(`the ${role} server said ${message.kind} before ready`));
        else resolve(new ServerChild(child, message.port, message.article));
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  tell(message: ToChild): void {
    if (this.exited) throw new Error(`the server child ${this.child.pid} has exited`);
    this.child.send(message);
  }

  /** Asks the child to emit; resolves with the times it took just before and just after the emit call. */
  emit(marker: string): Promise<{ at: number; returned: number }> {
    return new Promise((resolve) => {
      this.emitted.set(marker, (times) => {
        this.emitted.delete(marker);
        resolve(times);
      });
      this.tell({ kind: 'emit', marker });
    });
  }

  /** CPU time (user + system) the child has used so far, in ms: utime and stime of /proc/<pid>/stat. */
  async cpuMs(): Promise<number> {
    const stat = await readFile(`/proc/${this.child.pid}/stat`, 'utf8');
    // The fields after the command name (which may hold spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  }

  /** VmRSS and VmHWM (the peak) of the child, in MB. */
  async memory(): Promise<{ rssMb: number; peakMb: number }> {
    const status = await readFile(`/proc/${this.child.pid}/status`, 'utf8');
    const mb = (field: string) =>
      Math.round((Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024) * 10) / 10;
    return { rssMb: mb('VmRSS'), peakMb: mb('VmHWM') };
  }

  /** Asks the child to close and exit; kills it after 10 s. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ kind: 'stop' } satisfies ToChild);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

interface Delivered {
  firstAt: number;
  lastAt: number;
  payload: EventPayload;
}

/** Counts, per marker, the followers that have the event; resolves when the last of them has it. */
class Deliveries {
  private readonly pending = new Map<
    string,
    { count: number; firstAt: number; payload?: EventPayload; resolve: (d: Delivered) => void; timer: NodeJS.Timeout }
  >();

  expect(marker: string): Promise<Delivered> {
    const delivered = new Promise<Delivered>((resolve, reject) => {
      const timer = setTimeout(() => {
        const entry = this.pending.get(marker);
        this.pending.delete(marker);
        reject(
          new Error(`${marker}: ${entry?.count ?? 0} of ${FOLLOWERS} followers had it after ${DELIVERY_TIMEOUT_MS} ms`),
        );
      }, DELIVERY_TIMEOUT_MS);
      this.pending.set(marker, { count: 0, firstAt: 0, resolve, timer });
    });
    // Handled here so that a POST failing first does not leave an unhandled rejection; the caller still sees it.
    delivered.catch(() => undefined);
    return delivered;
  }

  receive(payload: EventPayload, at: number): void {
    const entry = this.pending.get(markerOf(payload));
    if (!entry) return;
    entry.count += 1;
    if (entry.count === 1) {
      entry.firstAt = at;
      entry.payload = payload;
    }
    if (entry.count === FOLLOWERS) {
      clearTimeout(entry.timer);
      this.pending.delete(markerOf(payload));
      entry.resolve({ firstAt: entry.firstAt, lastAt: at, payload: entry.payload as EventPayload });
    }
  }
}

/** Room events carry seq, increasing by 1 per article: count the deliveries that arrive after a later one. */
class OrderCheck {
  outOfOrder = 0;
  /** `seq` that arrived after `after`, and at how many followers. */
  private readonly late = new Map<string, { seq: number; after: number; followers: number }>();

  follow(socket: Socket): void {
    let last = 0;
    socket.on('comment.created', (payload: EventPayload) => {
      if (typeof payload.seq !== 'number') return;
      if (payload.seq < last) {
        this.outOfOrder += 1;
        const key = `${payload.seq}<${last}`;
        const entry = this.late.get(key) ?? { seq: payload.seq, after: last, followers: 0 };
        entry.followers += 1;
        this.late.set(key, entry);
      }
      last = Math.max(last, payload.seq);
    });
  }

  inversions(): { seq: number; after: number; followers: number }[] {
    return [...this.late.values()];
  }
}

/** Events (not acknowledgements) the followers of each side have received: presence announcements while connecting. */
const eventsReceived: Record<Side, number> = { app: 0, raw: 0 };
/** The highest follower count the app's presence announcements have told. */
let presenceCount = 0;

type Connect = (url: string, options: Partial<ManagerOptions & SocketOptions>) => Socket;

/** `count` websocket connections, each joined to the article (`join` acknowledged), all at once. */
async function connectFollowers(
  side: Side,
  connect: Connect,
  url: string,
  slug: string,
  count: number,
  deliveries: Deliveries,
  order?: OrderCheck,
): Promise<Socket[]> {
  const sockets: Socket[] = [];
  const one = async () => {
    const socket = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 30_000 });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    socket.on('comment.created', (payload: EventPayload) => deliveries.receive(payload, now()));
    socket.on(SYNTHETIC_EVENT, (payload: EventPayload) => deliveries.receive(payload, now()));
    order?.follow(socket);
    socket.onAny((event: string, payload: unknown) => {
      eventsReceived[side]++;
      if (event === 'presence') presenceCount = Math.max(presenceCount, (payload as { count: number }).count);
    });
    const ack = await socket.timeout(30_000).emitWithAck('join', { article: slug });
    if (ack?.ok !== true) throw new Error(`join ${slug} answered ${JSON.stringify(ack)}`);
  };
  await Promise.all(Array.from({ length: count }, one));
  return sockets;
}

/** One POST with a JSON body; the status must be `expected`. */
function postJson(
  agent: http.Agent,
  url: string,
  body: object,
  expected: number,
  token?: string,
): Promise<Record<string, unknown>> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(data),
    };
    if (token) headers.authorization = `Bearer ${token}`;
    const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== expected)
          reject(new Error(`POST ${url} answered ${response.statusCode}: ${text.slice(0, 300)}`));
        else resolve(JSON.parse(text) as Record<string, unknown>);
      });
    });
    request.on('error', reject);
    request.end(data);
  });
}

/** One comment or one emit, on the orchestrator's clock. */
interface Sample {
  /** From the POST (or the emit) to the last follower. */
  last: number;
  /** To the first follower. */
  first: number;
  /** (a) only: until the POST answered 201. */
  answered: number | null;
  /** (b) only: how long the emit call took in the server. */
  emitCall: number | null;
}

interface Run {
  samples: Sample[];
  elapsedMs: number;
}

/** `count` calls of `once`, at most `inFlight` at a time. */
async function run(count: number, inFlight: number, once: () => Promise<Sample>): Promise<Run> {
  const samples: Sample[] = [];
  let started = 0;
  const begin = now();
  const worker = async () => {
    while (started < count) {
      started += 1;
      samples.push(await once());
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { samples, elapsedMs: now() - begin };
}

/** ROUNDS rounds, alternating which side goes first, so that noise on the machine hits both alike. */
async function interleaved(runs: Record<Side, () => Promise<Run>>): Promise<Record<Side, Run>> {
  const all: Record<Side, Run> = { app: { samples: [], elapsedMs: 0 }, raw: { samples: [], elapsedMs: 0 } };
  for (let round = 0; round < ROUNDS; round++) {
    const order: Side[] = round % 2 === 0 ? ['app', 'raw'] : ['raw', 'app'];
    for (const side of order) {
      const r = await runs[side]();
      all[side].samples.push(...r.samples);
      all[side].elapsedMs += r.elapsedMs;
    }
  }
  return all;
}

/** `connectOnly`: the connection phase alone, printed (`node dist/bench/fanout.js connect`: to profile or compare it). */
async function main(connectOnly = false): Promise<void> {
  const { dataSourceOptions } = await import('../src/database/data-source-options.js');
  const { openScratchDatabase, postgresVersion } = await import('./support/scratch-database.js');
  let scratch: Awaited<ReturnType<typeof openScratchDatabase>> | null = null;
  let appServer: ServerChild | null = null;
  let rawServer: ServerChild | null = null;
  const sockets: Socket[] = [];
  const appAgent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const rawAgent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  try {
    scratch = await openScratchDatabase('bench_fanout');
    const { databaseUrl } = scratch;
    // The raw side gets a pool of the app's size, on the same database.
    const poolSize = (dataSourceOptions(databaseUrl).extra as { max: number }).max;

    const app = await ServerChild.start('app', [databaseUrl]);
    appServer = app;
    const raw = await ServerChild.start('raw', [databaseUrl, String(poolSize)]);
    rawServer = raw;
    const article = app.article as { id: string; slug: string };

    const writer = await postJson(
      appAgent,
      `${app.url}/api/auth/register`,
      { username: `fanout-${randomBytes(4).toString('hex')}`, password: 'a long enough password for the bench' },
      201,
    );
    const token = writer.token as string;
    const memory = { appIdle: await app.memory(), rawIdle: await raw.memory() };

    // The followers live here; only socket.io-client is loaded for them, and only in this process.
    const { io } = await import('socket.io-client');
    const deliveries = new Deliveries();
    const order = new OrderCheck();
    const transactions = new TransactionCounter(databaseUrl);
    // The app's own background work (the job queue's polling, the listeners' pings), to tell apart from the joins'.
    const idleStarted = now();
    const idleBefore = await transactions.read();
    await sleep(IDLE_SAMPLE_MS);
    const idleTransactions = (await transactions.read()) - idleBefore;
    const idleMs = now() - idleStarted;
    // CONNECT_BATCH followers at a time, a batch for one side then one for the other (alternating which goes first),
    // so that both sides connect on the same machine at the same moments; each side's time is the sum of its batches,
    // and so is the CPU each server process and this one (the followers' side) used meanwhile.
    const connectMs: Record<Side, number> = { app: 0, raw: 0 };
    const serverCpuMs: Record<Side, number> = { app: 0, raw: 0 };
    const followersCpuMs: Record<Side, number> = { app: 0, raw: 0 };
    const connectStarted = now();
    const transactionsBefore = await transactions.read();
    for (let i = 0, batch = 0; i < FOLLOWERS; i += CONNECT_BATCH, batch++) {
      const count = Math.min(CONNECT_BATCH, FOLLOWERS - i);
      const sides: Side[] = batch % 2 === 0 ? ['app', 'raw'] : ['raw', 'app'];
      for (const side of sides) {
        const server = side === 'app' ? app : raw;
        const cpuBefore = await server.cpuMs();
        const ownBefore = process.cpuUsage();
        const started = now();
        sockets.push(
          ...(side === 'app'
            ? await connectFollowers('app', io, app.url, article.slug, count, deliveries, order)
            : await connectFollowers('raw', io, raw.url, article.slug, count, deliveries)),
        );
        connectMs[side] += now() - started;
        const own = process.cpuUsage(ownBefore);
        followersCpuMs[side] += (own.user + own.system) / 1000;
        serverCpuMs[side] += (await server.cpuMs()) - cpuBefore;
      }
    }
    // The app's presence announcements are spaced out (more in a large room): until one has told every follower, the
    // next one is still to come, and would land in the measurements below. PostgreSQL's statistics meanwhile (backends
    // report them at most once a second).
    const presenceDeadline = now() + DELIVERY_TIMEOUT_MS;
    while (presenceCount < FOLLOWERS) {
      if (now() > presenceDeadline) throw new Error(`presence told ${presenceCount} followers, not ${FOLLOWERS}`);
      await sleep(100);
    }
    await sleep(1_000);
    const connectTransactions = Math.max(
      0,
      Math.round(
        (await transactions.read()) - transactionsBefore - (idleTransactions * (now() - connectStarted)) / idleMs,
      ),
    );
    await transactions.close();
    const withFollowers = { app: await app.memory(), raw: await raw.memory() };
    const connect: ConnectFacts = {
      ms: { app: Math.round(connectMs.app), raw: Math.round(connectMs.raw) },
      serverCpuMs: { app: Math.round(serverCpuMs.app), raw: Math.round(serverCpuMs.raw) },
      followersCpuMs: { app: Math.round(followersCpuMs.app), raw: Math.round(followersCpuMs.raw) },
      transactions: connectTransactions,
      eventsReceived: { ...eventsReceived },
      loadAverage: os.loadavg()[0],
    };
    if (connectOnly) {
      printConnect(connect);
      return;
    }

    let serial = 0;
    const postOnce = (side: Side) => async (): Promise<Sample> => {
      const marker = `fanout-${side}-${++serial}`;
      const delivered = deliveries.expect(marker);
      const sentAt = now();
      if (side === 'app')
        await postJson(
          appAgent,
          `${app.url}/api/articles/${article.slug}/comments`,
          { body: bodyFor(marker) },
          201,
          token,
        );
      else await postJson(rawAgent, `${raw.url}/comments`, { body: bodyFor(marker) }, 201);
      const answeredAt = now();
      const { firstAt, lastAt } = await delivered;
      return { last: lastAt - sentAt, first: firstAt - sentAt, answered: answeredAt - sentAt, emitCall: null };
    };
    const emitOnce = (side: Side) => async (): Promise<Sample> => {
      const marker = `fanout-emit-${side}-${++serial}`;
      const delivered = deliveries.expect(marker);
      // If the child died, `emit` never answers: the delivery's timeout ends the wait.
      const [emitted, { firstAt, lastAt }] = await Promise.all([(side === 'app' ? app : raw).emit(marker), delivered]);
      return {
        last: lastAt - emitted.at,
        first: firstAt - emitted.at,
        answered: null,
        emitCall: emitted.returned - emitted.at,
      };
    };

    // The first app comment gives the payload both servers copy: the same shape and size on the wire.
    const firstMarker = `fanout-app-${++serial}`;
    const firstDelivered = deliveries.expect(firstMarker);
    await postJson(
      appAgent,
      `${app.url}/api/articles/${article.slug}/comments`,
      { body: bodyFor(firstMarker) },
      201,
      token,
    );
    const template = (await firstDelivered).payload;
    app.tell({ kind: 'template', payload: template });
    raw.tell({ kind: 'template', payload: template });
    const payloadBytes = Buffer.byteLength(JSON.stringify(template));

    // Warm-up, each side alone.
    for (const side of ['app', 'raw'] as const) {
      await run(WARM_UP, 1, postOnce(side));
      await run(WARM_UP, 1, emitOnce(side));
    }

    const sequential = await interleaved({
      app: () => run(PER_ROUND, 1, postOnce('app')),
      raw: () => run(PER_ROUND, 1, postOnce('raw')),
    });
    const outOfOrderSequential = order.outOfOrder;
    const concurrent = await interleaved({
      app: () => run(PER_ROUND, IN_FLIGHT, postOnce('app')),
      raw: () => run(PER_ROUND, IN_FLIGHT, postOnce('raw')),
    });
    const emits = await interleaved({
      app: () => run(PER_ROUND, 1, emitOnce('app')),
      raw: () => run(PER_ROUND, 1, emitOnce('raw')),
    });
    const afterRun = { app: await app.memory(), raw: await raw.memory() };

    const postgres = await postgresVersion(databaseUrl);

    const results = summarize({
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, node: process.version, postgres },
      setup: {
        followers: FOLLOWERS,
        article: article.slug,
        payloadBytes,
        processes: 'app server and raw server: one child process each; the 2 × 1,000 followers: the bench process',
        connect,
        rawPoolSize: poolSize,
      },
      runs: { sequential, concurrent, emits },
      memory: { ...memory, withFollowers, afterRun },
      ordering: {
        outOfOrderSequential,
        outOfOrderConcurrent: order.outOfOrder - outOfOrderSequential,
        inversions: order.inversions(),
      },
    });
    print(results);
    await writeResults('fanout', results);
  } finally {
    for (const socket of sockets) socket.close();
    appAgent.destroy();
    rawAgent.destroy();
    await appServer?.stop();
    await rawServer?.stop();
    await scratch?.close();
  }
}

interface RunFacts {
  machine: { cpus: number; cpuModel: string | null; node: string; postgres: string };
  setup: {
    followers: number;
    article: string;
    payloadBytes: number;
    processes: string;
    connect: ConnectFacts;
    rawPoolSize: number;
  };
  runs: { sequential: Record<Side, Run>; concurrent: Record<Side, Run>; emits: Record<Side, Run> };
  memory: {
    appIdle: { rssMb: number; peakMb: number };
    rawIdle: { rssMb: number; peakMb: number };
    withFollowers: Record<Side, { rssMb: number; peakMb: number }>;
    afterRun: Record<Side, { rssMb: number; peakMb: number }>;
  };
  ordering: {
    outOfOrderSequential: number;
    outOfOrderConcurrent: number;
    inversions: { seq: number; after: number; followers: number }[];
  };
}

/** Per side: throughput (events fully delivered per second) and latency to the last, the first follower, the 201. */
function phase(r: Run) {
  const answered = r.samples.flatMap((s) => (s.answered === null ? [] : [s.answered]));
  const emitCall = r.samples.flatMap((s) => (s.emitCall === null ? [] : [s.emitCall]));
  return {
    perSecond: Math.round((r.samples.length / r.elapsedMs) * 1000 * 10) / 10,
    toLast: figures(r.samples.map((s) => s.last)),
    toFirst: figures(r.samples.map((s) => s.first)),
    answered: answered.length > 0 ? figures(answered) : null,
    emitCall: emitCall.length > 0 ? figures(emitCall) : null,
  };
}

function summarize({ runs, ...facts }: RunFacts) {
  const sides = (r: Record<Side, Run>) => ({ app: phase(r.app), raw: phase(r.raw) });
  const sequential = sides(runs.sequential);
  const concurrent = sides(runs.concurrent);
  const emits = sides(runs.emits);
  const ratios = {
    sequential: {
      throughput: ratio(sequential.app.perSecond, sequential.raw.perSecond),
      p50: ratio(sequential.app.toLast.median, sequential.raw.toLast.median),
      p99: ratio(sequential.app.toLast.p99, sequential.raw.toLast.p99),
    },
    concurrent: {
      throughput: ratio(concurrent.app.perSecond, concurrent.raw.perSecond),
      p50: ratio(concurrent.app.toLast.median, concurrent.raw.toLast.median),
      p99: ratio(concurrent.app.toLast.p99, concurrent.raw.toLast.p99),
    },
    emit: {
      p50: ratio(emits.app.toLast.median, emits.raw.toLast.median),
      p99: ratio(emits.app.toLast.p99, emits.raw.toLast.p99),
    },
    connect: ratio(facts.setup.connect.ms.app, facts.setup.connect.ms.raw),
  };
  return {
    date: new Date().toISOString(),
    ...facts,
    warmUp: WARM_UP,
    rounds: ROUNDS,
    perRound: PER_ROUND,
    inFlight: IN_FLIGHT,
    postToLastFollower: { sequential, concurrent },
    emitToLastFollower: emits,
    ratios,
    targets: {
      throughputRatio: TARGET_THROUGHPUT_RATIO,
      latencyP99Ratio: TARGET_LATENCY_P99_RATIO,
      emitP99Ratio: TARGET_EMIT_P99_RATIO,
      rssMb: TARGET_RSS_MB,
      connectRatio: TARGET_CONNECT_RATIO,
    },
    verdict: {
      throughputSequential: ratios.sequential.throughput >= TARGET_THROUGHPUT_RATIO,
      throughputConcurrent: ratios.concurrent.throughput >= TARGET_THROUGHPUT_RATIO,
      p99Sequential: ratios.sequential.p99 <= TARGET_LATENCY_P99_RATIO,
      p99Concurrent: ratios.concurrent.p99 <= TARGET_LATENCY_P99_RATIO,
      emitP99: ratios.emit.p99 <= TARGET_EMIT_P99_RATIO,
      rss: facts.memory.withFollowers.app.rssMb <= TARGET_RSS_MB,
      connect: ratios.connect <= TARGET_CONNECT_RATIO,
    },
  };
}

/** The connection phase: followers connected and joined, per side, and what it cost whom. */
interface ConnectFacts {
  /** Wall time, the sum of the side's batches. */
  ms: Record<Side, number>;
  /** CPU of the server process meanwhile (user + system). */
  serverCpuMs: Record<Side, number>;
  /** CPU of this process (the followers' socket.io-client side) meanwhile. */
  followersCpuMs: Record<Side, number>;
  /** Transactions the database committed during the phase beyond the app's background rate (the raw side makes none). */
  transactions: number;
  /** Events the followers received meanwhile (the app's presence announcements). */
  eventsReceived: Record<Side, number>;
  /** One-minute load average at the end of the phase. */
  loadAverage: number;
}

function connectLines(c: ConnectFacts): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const perFollower = (ms: number) => `${(ms / FOLLOWERS).toFixed(2)} ms`;
  return [
    `  connect + join ${FOLLOWERS.toLocaleString('en-US')} followers (${CONNECT_BATCH} at a time, sides interleaved, load average ${c.loadAverage.toFixed(1)}):`,
    `    wall: app ${s(c.ms.app)}, raw ${s(c.ms.raw)} (${ratio(c.ms.app, c.ms.raw).toFixed(2)}×)`,
    `    server CPU: app ${perFollower(c.serverCpuMs.app)}, raw ${perFollower(c.serverCpuMs.raw)} a follower (${ratio(c.serverCpuMs.app, c.serverCpuMs.raw).toFixed(2)}×)`,
    `    followers' CPU (this process): app ${perFollower(c.followersCpuMs.app)}, raw ${perFollower(c.followersCpuMs.raw)} a follower`,
    `    events the followers received meanwhile: app ${c.eventsReceived.app.toLocaleString('en-US')}, raw ${c.eventsReceived.raw.toLocaleString('en-US')}`,
    `    database transactions beyond the app's background: ${c.transactions.toLocaleString('en-US')} (${(c.transactions / FOLLOWERS).toFixed(2)} a follower)`,
  ].join('\n');
}

function printConnect(c: ConnectFacts): void {
  console.log(`\nFan-out, the connection phase only\n${connectLines(c)}\n`);
}

/** The database's committed and rolled-back transactions so far, as its statistics report them. */
class TransactionCounter {
  private readonly client: pg.Client;
  private readonly connected: Promise<void>;
  private reads = 0;

  constructor(databaseUrl: string) {
    this.client = new pg.Client({ connectionString: databaseUrl });
    this.connected = this.client.connect().then(() => undefined);
  }

  async read(): Promise<number> {
    await this.connected;
    // Statistics are read once per transaction and kept: cleared so that each reading is fresh.
    await this.client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await this.client.query<{ n: string }>(
      'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    // This reading's own two statements are not the app's.
    return Number(rows[0].n) - 2 * this.reads++;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

function print(r: ReturnType<typeof summarize>): void {
  const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(11);
  const x = (v: number) => `${v.toFixed(2)}×`.padStart(11);
  const mb = (v: number) => `${v.toFixed(1)} MB`;
  const memoryRow = (label: string, app: { rssMb: number; peakMb: number }, raw: { rssMb: number; peakMb: number }) =>
    `  ${label.padEnd(23)}${[app.rssMb, app.peakMb, raw.rssMb, raw.peakMb].map((v) => mb(v).padStart(12)).join('')}`;
  const emitCall = (p: ReturnType<typeof phase>) => (p.emitCall ? `${p.emitCall.median.toFixed(2)} ms` : '—');
  const holds = (ok: boolean) => (ok ? 'holds' : 'MISSED');
  const header = `${''.padEnd(26)}${'per s'.padStart(9)}${'median'.padStart(11)}${'p99'.padStart(11)}${'mean'.padStart(11)}${'1st: med'.padStart(11)}${'201: med'.padStart(11)}${'n'.padStart(6)}`;
  const row = (label: string, p: ReturnType<typeof phase>) =>
    `${label.padEnd(26)}${p.perSecond.toFixed(1).padStart(9)}${ms(p.toLast.median)}${ms(p.toLast.p99)}${ms(p.toLast.mean)}${ms(p.toFirst.median)}${p.answered ? ms(p.answered.median) : '—'.padStart(11)}${String(p.toLast.samples).padStart(6)}`;
  const m = r.memory;
  const perFollowerKb = ((m.withFollowers.app.rssMb - m.appIdle.rssMb) * 1024) / r.setup.followers;
  const v = r.verdict;
  console.log(`
Fan-out: one comment to ${r.setup.followers.toLocaleString('en-US')} followers (socket.io-client, websocket), app against raw pg + socket.io
  ${r.setup.payloadBytes}-byte comment.created payload; ${r.machine.cpus} CPUs, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}
  ${r.setup.processes}
${connectLines(r.setup.connect)}

(a) POST → persisted → the last follower has it (${r.rounds} interleaved rounds of ${r.perRound} per side)
${header}
${row('app, sequential', r.postToLastFollower.sequential.app)}
${row('raw, sequential', r.postToLastFollower.sequential.raw)}
${row(`app, ${r.inFlight} in flight`, r.postToLastFollower.concurrent.app)}
${row(`raw, ${r.inFlight} in flight`, r.postToLastFollower.concurrent.raw)}

(b) one emit → the last follower has it (${r.rounds} interleaved rounds of ${r.perRound} per side)
${header}
${row('app, LiveRouter.emit', r.emitToLastFollower.app)}
${row('raw, io.to(room).emit', r.emitToLastFollower.raw)}

  the emit call returns after (median): raw ${emitCall(r.emitToLastFollower.raw)}, every socket written (the rest of the time is the
  followers' process reading); app ${emitCall(r.emitToLastFollower.app)}: the cluster adapter writes this process's sockets a
  moment later (its publish only queues the NOTIFY for the other processes, sent in the background)

${'(c) server process memory'.padEnd(25)}${'app RSS'.padStart(12)}${'app peak'.padStart(12)}${'raw RSS'.padStart(12)}${'raw peak'.padStart(12)}
${memoryRow('before the followers', m.appIdle, m.rawIdle)}
${memoryRow(`with ${r.setup.followers.toLocaleString('en-US')} followers`, m.withFollowers.app, m.withFollowers.raw)}
${memoryRow('after the run', m.afterRun.app, m.afterRun.raw)}
  app: about ${perFollowerKb.toFixed(0)} KB per follower (RSS with followers minus before, over ${r.setup.followers.toLocaleString('en-US')}); peak is VmHWM so far

${''.padEnd(26)}${'median'.padStart(11)}${'p99'.padStart(11)}${'per s'.padStart(11)}
${'app / raw, sequential'.padEnd(26)}${x(r.ratios.sequential.p50)}${x(r.ratios.sequential.p99)}${x(r.ratios.sequential.throughput)}
${`app / raw, ${r.inFlight} in flight`.padEnd(26)}${x(r.ratios.concurrent.p50)}${x(r.ratios.concurrent.p99)}${x(r.ratios.concurrent.throughput)}
${'app / raw, one emit'.padEnd(26)}${x(r.ratios.emit.p50)}${x(r.ratios.emit.p99)}

Targets:
  (a) throughput app/raw ≥ ${TARGET_THROUGHPUT_RATIO}×, sequential:   ${holds(v.throughputSequential)} (${r.ratios.sequential.throughput.toFixed(2)}×)
  (a) throughput app/raw ≥ ${TARGET_THROUGHPUT_RATIO}×, ${r.inFlight} in flight:  ${holds(v.throughputConcurrent)} (${r.ratios.concurrent.throughput.toFixed(2)}×)
  (a) p99 app/raw ≤ ${TARGET_LATENCY_P99_RATIO}×, sequential:          ${holds(v.p99Sequential)} (${r.ratios.sequential.p99.toFixed(2)}×)
  (a) p99 app/raw ≤ ${TARGET_LATENCY_P99_RATIO}×, ${r.inFlight} in flight:         ${holds(v.p99Concurrent)} (${r.ratios.concurrent.p99.toFixed(2)}×)
  (b) p99 app/raw ≤ ${TARGET_EMIT_P99_RATIO}×:                     ${holds(v.emitP99)} (${r.ratios.emit.p99.toFixed(2)}×)
  (c) app RSS with followers ≤ ${TARGET_RSS_MB} MB:     ${holds(v.rss)} (${mb(m.withFollowers.app.rssMb)})
  connect + join app/raw ≤ ${TARGET_CONNECT_RATIO}×:         ${holds(v.connect)} (${r.ratios.connect.toFixed(2)}×)

Order: comment.created deliveries to app followers with a lower seq than one already received:
  sequential ${r.ordering.outOfOrderSequential}, ${r.inFlight} in flight ${r.ordering.outOfOrderConcurrent}${r.ordering.inversions
    .slice(0, 5)
    .map((i) => `\n  seq ${i.seq} arrived after seq ${i.after} at ${i.followers} followers`)
    .join('')}`);
}

const [role, ...args] = process.argv.slice(2);
const start =
  role === 'app'
    ? () => runAppServer(args[0])
    : role === 'raw'
      ? () => runRawServer(args[0], Number(args[1]))
      : () => main(role === 'connect');
start().then(
  () => {
    // The children keep running (they exit on `stop`); the orchestrator is done.
    if (role !== 'app' && role !== 'raw') process.exit(0);
  },
  (error: unknown) => {
    console.error(
      `bench:fanout${role === 'app' || role === 'raw' ? ` (${role} server)` : ''} failed:`,
      error instanceof Error ? (error.stack ?? error.message) : error,
    );
    process.exit(1);
  },
);
