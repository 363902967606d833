import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { type Server } from 'socket.io';
import { articleRoom } from './rooms.js';

const MIN_INTERVAL_MS = 1_000;
/** How long the other processes have to answer a count; a join waits for it. */
const PEERS_ANSWER_MS = 1_500;

/**
 * How many follow an article, counted across processes (the adapter asks the others), announced to the room as
 * `presence` at most once a second per article. A join is answered with the count known at once (never waiting for
 * the other processes, so a join never fails because they could not be asked); the announcement that the join
 * triggers brings the exact one within a second.
 */
@Injectable()
export class Presence implements BeforeApplicationShutdown {
  private server?: Server;
  private stopping = false;
  private readonly state = new Map<string, { lastAt: number; timer?: NodeJS.Timeout; lastCount?: number }>();

  attach(server: Server): void {
    this.server = server;
  }

  /** The count known now, without asking the other processes: the last one announced, or this process's own. */
  known(articleId: string): number {
    const local = this.server?.of('/').adapter.rooms.get(articleRoom(articleId))?.size ?? 0;
    return Math.max(local, this.state.get(articleId)?.lastCount ?? 0);
  }

  /** Followers across processes; when a process does not answer in time (the fan-out is down), this process's own. */
  async count(articleId: string): Promise<number> {
    if (!this.server) return 0;
    const room = articleRoom(articleId);
    try {
      return (await this.server.in(room).timeout(PEERS_ANSWER_MS).fetchSockets()).length;
    } catch {
      return (await this.server.in(room).local.fetchSockets()).length;
    }
  }

  /**
   * The process is stopping: its followers' departures are not announced (counting them would ask the other processes
   * about this one after it said goodbye, and put it back in their view for the adapter's timeout).
   */
  beforeApplicationShutdown(): void {
    this.stopping = true;
    for (const entry of this.state.values()) clearTimeout(entry.timer);
    this.state.clear();
  }

  /** Followers came or went: announce the new count soon, but not more than once a second. */
  changed(articleId: string, slug: string): void {
    if (this.stopping) return;
    const entry = this.state.get(articleId) ?? { lastAt: 0 };
    this.state.set(articleId, entry);
    if (entry.timer) return;
    const wait = Math.max(0, entry.lastAt + MIN_INTERVAL_MS - Date.now());
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      entry.lastAt = Date.now();
      void this.announce(articleId, slug);
    }, wait);
    entry.timer.unref();
  }

  private async announce(articleId: string, slug: string): Promise<void> {
    if (!this.server) return;
    try {
      const count = await this.count(articleId);
      this.server.to(articleRoom(articleId)).emit('presence', { article: slug, count });
      const entry = this.state.get(articleId);
      if (count === 0) this.state.delete(articleId);
      else if (entry) entry.lastCount = count;
    } catch {
      // Nothing to count with (the server is closing): the next change announces again.
    }
  }
}
