import { Logger } from '@nestjs/common';
import pg from 'pg';

/** Where a LISTEN connection stands: `listening` is the only state in which notifications arrive. */
export type ListenerStatus = 'connecting' | 'listening' | 'reconnecting' | 'closed';

export interface ListenerState {
  status: ListenerStatus;
  /** When it entered that status. */
  since: Date;
}

export interface PgListenerOptions {
  databaseUrl: string;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  /** Names the connection in the log. */
  logName: string;
  /**
   * The connection is replaced after about `min` ms, doubling up to `max` ms while attempts keep failing (with
   * jitter: see {@link reconnectDelay}).
   */
  reconnectMs: { min: number; max: number };
  /** How often the connection is checked (a connection that died silently is noticed within this plus the timeout). */
  pingIntervalMs: number;
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  /** Each notification, in the order PostgreSQL delivered them (commit order). */
  onNotification(notification: pg.Notification): void;
  /** Listening: at the first connection (`recovered` false) and again after each loss (`recovered` true). */
  onListening?(recovered: boolean): void;
}

/**
 * A LISTEN connection that survives the loss of its database connection: when it errors, ends or stops answering the
 * periodic check, it is replaced with exponential backoff (capped, jittered), LISTENs to its channels again and says
 * so, so that its owner can fetch what it may have missed meanwhile. close() ends it at once.
 */
export class PgListener {
  private readonly log: Logger;
  private readonly channels = new Set<string>();
  private client?: pg.Client;
  private current: ListenerState = { status: 'connecting', since: new Date() };
  private attempt = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private readonly pingTimer: NodeJS.Timeout;
  private pinging = false;
  private closed = false;

  constructor(private readonly options: PgListenerOptions) {
    this.log = new Logger(options.logName);
    this.pingTimer = setInterval(() => void this.ping(), options.pingIntervalMs);
    this.pingTimer.unref();
  }

  /** Opens the connection; resolves when it listens or when the first attempt failed (it then keeps trying). */
  start(): Promise<void> {
    return this.connect();
  }

  state(): ListenerState {
    return { ...this.current };
  }

  get listening(): boolean {
    return this.current.status === 'listening';
  }

  /** Listens to the channel from now on (and again after each reconnection). */
  listen(channel: string): void {
    this.channels.add(channel);
    const client = this.client;
    client?.query(`LISTEN ${pg.escapeIdentifier(channel)}`).catch((error: Error) => this.lost(client, error.message));
  }

  unlisten(channel: string): void {
    if (!this.channels.delete(channel)) return;
    this.client?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
  }

  /** Stops at once; the connection's end is waited for at most `ms`. */
  async close(ms: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pingTimer);
    this.setState('closed');
    const client = this.client;
    this.client = undefined;
    if (client) {
      lostClients.add(client);
      client.removeAllListeners('notification');
      await withDeadline(client.end(), ms);
    }
  }

  private setState(status: ListenerStatus): void {
    if (this.current.status !== status) this.current = { status, since: new Date() };
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = undefined;
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      application_name: this.options.applicationName,
      connectionTimeoutMillis: this.options.connectTimeoutMs,
      query_timeout: this.options.queryTimeoutMs,
      keepAlive: true,
    });
    client.on('error', (error: Error) => this.lost(client, error.message));
    client.on('end', () => this.lost(client, 'connection closed'));
    client.on('notification', (notification: pg.Notification) => this.options.onNotification(notification));
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      this.lost(client, (error as Error).message);
      return;
    }
    if (lostClients.has(client)) return;
    if (this.closed) {
      void client.end().catch(() => undefined);
      return;
    }
    // No await since the last LISTEN: a channel added from here on LISTENs on this client itself.
    this.client = client;
    const recovered = this.current.status === 'reconnecting';
    this.attempt = 0;
    this.setState('listening');
    this.log.log(recovered ? 'listening again' : 'listening');
    this.options.onListening?.(recovered);
  }

  /** The client failed (once per client, whichever of error, end or a failed check says so first). */
  private lost(client: pg.Client | undefined, reason: string): void {
    if (!client || lostClients.has(client)) return;
    lostClients.add(client);
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    if (this.client === client) this.client = undefined;
    if (this.closed) return;
    this.setState('reconnecting');
    const delay = reconnectDelay(this.attempt, this.options.reconnectMs);
    this.attempt++;
    this.log.warn(`LISTEN connection lost (${reason}); reconnecting in ${delay} ms`);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  /**
   * Checks the connection with a query of its own kind (LISTEN again is a no-op for the server): a connection that
   * died without a word (a network cut, a server gone without closing it) fails the check within its timeout.
   */
  private async ping(): Promise<void> {
    const client = this.client;
    if (!client || this.pinging) return;
    this.pinging = true;
    try {
      const [channel] = this.channels;
      await client.query(channel ? `LISTEN ${pg.escapeIdentifier(channel)}` : 'SELECT 1');
    } catch (error) {
      this.lost(client, `check failed: ${(error as Error).message}`);
    } finally {
      this.pinging = false;
    }
  }
}

/** Clients already given up, so that their error and end events are handled once. */
const lostClients = new WeakSet<pg.Client>();

/** Waits for the promise at most `ms`; true when it settled in time. */
export async function withDeadline(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true).catch(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How long to wait before the next attempt at the connection: `min` ms doubled per failed attempt, capped at `max`,
 * of which the second half is random ("equal jitter"), so that the processes that lost the same database do not all
 * come back at the same instant.
 */
export function reconnectDelay(
  attempt: number,
  { min, max }: { min: number; max: number },
  random: () => number = Math.random,
): number {
  const capped = Math.min(max, min * 2 ** attempt);
  return Math.round(capped / 2 + (capped / 2) * random());
}
