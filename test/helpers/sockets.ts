import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

export interface Received {
  event: string;
  payload: Record<string, unknown>;
}

/** An event's name, or a test on a received event. */
export type EventMatch = string | ((r: Received) => boolean);

const matcher = (match: EventMatch) => (typeof match === 'string' ? (r: Received) => r.event === match : match);

/** A socket.io-client connection that records every event it receives. */
export class Follower {
  readonly received: Received[] = [];
  readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.onAny((event: string, payload: Record<string, unknown>) => this.received.push({ event, payload }));
  }

  /**
   * Connects over WebSocket only, unless `options` says otherwise (behind a load balancer, long-polling needs
   * `withCredentials: true` so that the client keeps the balancer's sticky cookie between its requests).
   */
  static connect(
    baseUrl: string,
    token?: string,
    options: Partial<ManagerOptions & SocketOptions> = {},
  ): Promise<Follower> {
    const socket = io(baseUrl, {
      transports: ['websocket'],
      auth: token ? { token } : {},
      reconnection: false,
      forceNew: true,
      ...options,
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new Follower(socket)));
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
  }

  join(article: string, since?: number): Promise<Record<string, unknown>> {
    return this.socket.timeout(5_000).emitWithAck('join', since === undefined ? { article } : { article, since });
  }

  leave(article: string): Promise<Record<string, unknown>> {
    return this.socket.timeout(5_000).emitWithAck('leave', { article });
  }

  /** Events of these names, in arrival order. */
  events(...names: string[]): Received[] {
    return this.received.filter((r) => names.includes(r.event));
  }

  /** Waits until `count` events of these names have arrived. */
  async waitFor(count: number, ...names: string[]): Promise<Received[]> {
    const deadline = Date.now() + 5_000;
    while (this.events(...names).length < count) {
      if (Date.now() > deadline)
        throw new Error(
          `waited for ${count} × ${names.join('/')}, got ${JSON.stringify(this.received.map((r) => r.event))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.events(...names);
  }

  /** Waits for the first event that `match` accepts (already received or to come); answers it. */
  async waitUntil(match: EventMatch, what = String(match), timeoutMs = 5_000): Promise<Received> {
    const accepts = matcher(match);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(accepts);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`waited for ${what}, got ${JSON.stringify(this.received.map((r) => r.event))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Proves that no event `unwanted` accepts reached this connection, without sleeping: `barrier` accepts an event that
   * a later action (taken after the one that must not reach this connection) sends to it. A connection receives what
   * the server sends it in the order sent, so an unwanted event, sent before, would have arrived before the barrier.
   * Answers the barrier event.
   */
  async expectNoneBefore(
    unwanted: EventMatch,
    barrier: EventMatch,
    message = 'an unwanted event arrived',
  ): Promise<Received> {
    const arrived = await this.waitUntil(barrier, 'the barrier event');
    const before = this.received.slice(0, this.received.indexOf(arrived));
    const seen = before.filter(matcher(unwanted));
    if (seen.length > 0) throw new Error(`${message}: ${JSON.stringify(seen).slice(0, 500)}`);
    return arrived;
  }

  close(): void {
    this.socket.close();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
