import { Injectable } from '@nestjs/common';
import { type Server } from 'socket.io';
import { articleRoom } from './rooms.js';

const MIN_INTERVAL_MS = 1_000;

/**
 * How many follow an article, counted across processes (the adapter asks the others), announced to the room as
 * `presence` at most once a second per article.
 */
@Injectable()
export class Presence {
  private server?: Server;
  private readonly state = new Map<string, { lastAt: number; timer?: NodeJS.Timeout }>();

  attach(server: Server): void {
    this.server = server;
  }

  async count(articleId: string): Promise<number> {
    if (!this.server) return 0;
    return (await this.server.in(articleRoom(articleId)).fetchSockets()).length;
  }

  /** Followers came or went: announce the new count soon, but not more than once a second. */
  changed(articleId: string, slug: string): void {
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
      if (count === 0) this.state.delete(articleId);
    } catch {
      // A peer that does not answer in time: the next change announces again.
    }
  }
}
