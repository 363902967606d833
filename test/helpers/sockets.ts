import { io, type Socket } from 'socket.io-client';

export interface Received {
  event: string;
  payload: Record<string, unknown>;
}

/** A socket.io-client connection that records every event it receives. */
export class Follower {
  readonly received: Received[] = [];
  readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.onAny((event: string, payload: Record<string, unknown>) => this.received.push({ event, payload }));
  }

  static connect(baseUrl: string, token?: string): Promise<Follower> {
    const socket = io(baseUrl, { transports: ['websocket'], auth: token ? { token } : {}, reconnection: false, forceNew: true });
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
      if (Date.now() > deadline) throw new Error(`waited for ${count} × ${names.join('/')}, got ${JSON.stringify(this.received.map((r) => r.event))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.events(...names);
  }

  close(): void {
    this.socket.close();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
