import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { ClusterMessage, ClusterResponse } from 'socket.io-adapter';
import { type ListenerState, PgListener, withDeadline } from './pg-listener.js';

/** Where the cross-process fan-out stands: `listening` is the only state in which other processes' events arrive. */
export type FanoutState = ListenerState;

/** What the fan-out hands messages to: one cluster adapter per Socket.IO namespace. */
export interface FanoutReceiver {
  /** The adapter's server id: messages it sent itself come back through NOTIFY and are skipped. */
  readonly serverId: string;
  onClusterMessage(message: ClusterMessage | ClusterResponse): void;
  /** The LISTEN connection is back after a loss: say hello again so that peers are counted at once. */
  onReconnected(): void;
}

export interface PostgresFanoutOptions {
  databaseUrl: string;
  /** Table for payloads too large for NOTIFY (created by a migration). */
  tableName: string;
  channelPrefix: string;
  /** NOTIFY carries at most 8000 bytes; larger messages go through the table. */
  payloadThreshold: number;
  /**
   * The LISTEN connection is replaced after about `min` ms, doubling up to `max` ms while attempts keep failing (with
   * jitter: see reconnectDelay in pg-listener.ts).
   */
  reconnectMs: { min: number; max: number };
  /** How often the LISTEN connection is checked (a connection that died silently is noticed within this plus the query timeout). */
  pingIntervalMs: number;
  connectTimeoutMs: number;
  /** Each NOTIFY, attachment read and ping: a database that does not answer fails it instead of holding it. */
  queryTimeoutMs: number;
  /** Outgoing messages waiting for the database: over this many, or older than the age, they are dropped (and logged). */
  maxQueued: number;
  maxQueuedAgeMs: number;
  /** How long close() waits for the last messages and for its connections to end. */
  closeTimeoutMs: number;
  /** How long payloads stay in the table. */
  attachmentTtlMs: number;
  /** Called each time LISTEN is back after a loss (not at the first connection). */
  onRecovered?: () => void;
}

export const DEFAULT_FANOUT_OPTIONS: Omit<PostgresFanoutOptions, 'databaseUrl'> = {
  tableName: 'socket_io_attachments',
  channelPrefix: 'socket.io',
  payloadThreshold: 8000,
  reconnectMs: { min: 500, max: 10_000 },
  pingIntervalMs: 5_000,
  connectTimeoutMs: 3_000,
  queryTimeoutMs: 3_000,
  maxQueued: 10_000,
  maxQueuedAgeMs: 5_000,
  closeTimeoutMs: 2_000,
  attachmentTtlMs: 30_000,
};

interface Outgoing {
  channel: string;
  payload: string;
  uid: string;
  type: number;
  queuedAt: number;
}

/**
 * Cross-process fan-out of Socket.IO cluster messages over PostgreSQL NOTIFY/LISTEN, written to survive the loss of
 * its connections (what `@socket.io/postgres-adapter` 0.5 does not: its LISTEN client stays checked out of a 2-client
 * pool when it dies, publishes then wait for a client forever, and its adapter emits to local sockets only after the
 * publish, so live updates stopped for good while REST kept answering).
 *
 * - publish() never waits for the database: it serialises the message, queues it and returns; one sender sends the
 *   queue in order through a small pool whose connects and queries time out. A failure is logged, never thrown, and
 *   the message is dropped (followers catch up with `join` + `since`).
 * - LISTEN runs on a dedicated client. When it errors, ends or stops answering the periodic check, it is replaced with
 *   exponential backoff (capped), LISTENs again and tells the adapters, which greet their peers again.
 * - close() ends everything within a deadline, whatever the database does.
 * - state() says whether other processes' messages can arrive, and since when (readiness reports it).
 */
export class PostgresFanout {
  private readonly log = new Logger('LiveFanout');
  private readonly options: PostgresFanoutOptions;
  private readonly pool: pg.Pool;
  /** channel → receiver (one per namespace). */
  private readonly receivers = new Map<string, FanoutReceiver>();
  private readonly listener: PgListener;
  private readonly cleanupTimer: NodeJS.Timeout;
  private closed = false;
  private readonly outbox: Outgoing[] = [];
  private sending?: Promise<void>;
  private inbound: Promise<void> = Promise.resolve();
  private failures = { count: 0, dropped: 0, loggedAt: 0 };

  constructor(options: Partial<PostgresFanoutOptions> & { databaseUrl: string }) {
    this.options = { ...DEFAULT_FANOUT_OPTIONS, ...options };
    const { databaseUrl, connectTimeoutMs, queryTimeoutMs } = this.options;
    this.pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 2,
      application_name: 'essay-forum-live-notify',
      connectionTimeoutMillis: connectTimeoutMs,
      query_timeout: queryTimeoutMs,
      statement_timeout: queryTimeoutMs,
      idleTimeoutMillis: 30_000,
    });
    // An idle client whose connection dies is dropped by the pool; this only keeps the error from crashing the process.
    this.pool.on('error', (error: Error) => this.log.debug(`notify connection: ${error.message}`));
    this.listener = new PgListener({
      databaseUrl,
      applicationName: 'essay-forum-live-listen',
      logName: 'LiveFanout',
      reconnectMs: this.options.reconnectMs,
      pingIntervalMs: this.options.pingIntervalMs,
      connectTimeoutMs,
      queryTimeoutMs,
      onNotification: (notification) => {
        this.inbound = this.inbound.then(() => this.receive(notification));
      },
      onListening: (recovered) => {
        if (!recovered) return;
        for (const receiver of this.receivers.values()) receiver.onReconnected();
        this.options.onRecovered?.();
      },
    });
    this.cleanupTimer = setInterval(() => void this.removeOldAttachments(), this.options.attachmentTtlMs);
    this.cleanupTimer.unref();
  }

  /** Opens the LISTEN connection; resolves when it listens or when the first attempt failed (it then keeps trying). */
  start(): Promise<void> {
    return this.listener.start();
  }

  state(): FanoutState {
    return this.listener.state();
  }

  /** Other processes' messages (and their answers) can arrive. */
  get listening(): boolean {
    return this.listener.listening;
  }

  /** A namespace's adapter: its channel is listened to from now on. */
  addReceiver(namespace: string, receiver: FanoutReceiver): void {
    const channel = this.channelOf(namespace);
    this.receivers.set(channel, receiver);
    this.listener.listen(channel);
  }

  removeReceiver(namespace: string, receiver: FanoutReceiver): void {
    const channel = this.channelOf(namespace);
    if (this.receivers.get(channel) !== receiver) return;
    this.receivers.delete(channel);
    this.listener.unlisten(channel);
  }

  /** Queues a message for the other processes and returns at once: local delivery never waits for the database. */
  publish(message: ClusterMessage | ClusterResponse): void {
    if (this.closed) return;
    let payload: string;
    try {
      payload = JSON.stringify(message);
    } catch (error) {
      this.log.warn(`a live message could not be serialised: ${(error as Error).message}`);
      return;
    }
    if (this.outbox.length >= this.options.maxQueued) {
      this.failed(new Error('too many messages waiting for the database'), 1);
      return;
    }
    this.outbox.push({
      channel: this.channelOf(message.nsp),
      payload,
      uid: message.uid,
      type: message.type,
      queuedAt: Date.now(),
    });
    this.sending ??= this.sendQueued().finally(() => (this.sending = undefined));
  }

  /** Stops listening and publishing; bounded by `closeTimeoutMs` whatever the database does. */
  async close(): Promise<void> {
    if (this.closed) return;
    const deadline = Date.now() + this.options.closeTimeoutMs;
    // The last messages (ADAPTER_CLOSE, so that peers stop counting this process) get half the time to go out.
    if (this.sending) await withDeadline(this.sending, this.options.closeTimeoutMs / 2);
    this.closed = true;
    this.outbox.length = 0;
    clearInterval(this.cleanupTimer);
    const ends = [this.pool.end().catch(() => undefined), this.listener.close(Math.max(0, deadline - Date.now()))];
    const ended = await withDeadline(Promise.all(ends), Math.max(0, deadline - Date.now()));
    if (!ended) this.log.warn('live fan-out connections did not close in time; leaving them');
  }

  private channelOf(namespace: string): string {
    return `${this.options.channelPrefix}#${namespace}`;
  }

  private async receive(notification: pg.Notification): Promise<void> {
    const receiver = this.receivers.get(notification.channel);
    if (!receiver || !notification.payload) return;
    try {
      const header = JSON.parse(notification.payload) as (ClusterMessage | ClusterResponse) & { attachmentId?: string };
      if (header.uid === receiver.serverId) return;
      let message: ClusterMessage | ClusterResponse = header;
      if (header.attachmentId !== undefined) {
        const result = await this.pool.query<{ payload: Buffer }>(
          `SELECT payload FROM ${pg.escapeIdentifier(this.options.tableName)} WHERE id = $1`,
          [header.attachmentId],
        );
        if (result.rows.length === 0) return;
        message = JSON.parse(result.rows[0].payload.toString('utf8')) as ClusterMessage | ClusterResponse;
      }
      receiver.onClusterMessage(message);
    } catch (error) {
      this.log.warn(`live fan-out: a message from another process was dropped: ${(error as Error).message}`);
    }
  }

  /** Sends the queue in order, one message at a time, until it is empty. */
  private async sendQueued(): Promise<void> {
    for (let item = this.outbox.shift(); item && !this.closed; item = this.outbox.shift()) {
      if (Date.now() - item.queuedAt > this.options.maxQueuedAgeMs) {
        this.failed(new Error('waited too long for the database'), 1);
        continue;
      }
      try {
        await this.notify(item);
        if (this.failures.count > 0) {
          this.log.log(
            `live fan-out: publishing again (${this.failures.count} failures, ${this.failures.dropped} messages dropped)`,
          );
          this.failures = { count: 0, dropped: 0, loggedAt: 0 };
        }
      } catch (error) {
        this.failed(error as Error, 1);
      }
    }
  }

  private async notify(item: Outgoing): Promise<void> {
    if (Buffer.byteLength(item.payload) <= this.options.payloadThreshold) {
      await this.pool.query('SELECT pg_notify($1, $2)', [item.channel, item.payload]);
      return;
    }
    const table = pg.escapeIdentifier(this.options.tableName);
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO ${table} (payload) VALUES ($1) RETURNING id::text AS id`,
      [Buffer.from(item.payload, 'utf8')],
    );
    const header = JSON.stringify({ uid: item.uid, type: item.type, attachmentId: rows[0].id });
    await this.pool.query('SELECT pg_notify($1, $2)', [item.channel, header]);
  }

  /** A message that could not go out: logged at once the first time, then at most every 10 s with a count. */
  private failed(error: Error, dropped: number): void {
    this.failures.count++;
    this.failures.dropped += dropped;
    const now = Date.now();
    if (now - this.failures.loggedAt < 10_000) return;
    this.failures.loggedAt = now;
    this.log.warn(
      `live fan-out: could not publish to other processes (${error.message}); ${this.failures.dropped} messages dropped so far`,
    );
  }

  private async removeOldAttachments(): Promise<void> {
    try {
      const table = pg.escapeIdentifier(this.options.tableName);
      await this.pool.query(`DELETE FROM ${table} WHERE created_at < now() - make_interval(secs => $1)`, [
        this.options.attachmentTtlMs / 1000,
      ]);
    } catch (error) {
      this.log.debug(`live fan-out: old payloads not removed: ${(error as Error).message}`);
    }
  }
}
