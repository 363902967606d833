import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { type Server } from 'socket.io';
import { articleRoom } from './rooms.js';

const MIN_INTERVAL_MS = 1_000;
/**
 * An announcement is one write per follower: in a larger room it waits this long per follower of this process (at
 * 1,000 followers, 10 s), so that a room's announcements cost a process about a hundred writes a second at most,
 * however many come and go. A joining follower still gets the count at once, in its join's answer.
 */
const INTERVAL_MS_PER_FOLLOWER = 10;
/** However large the room, a count shown is never older than this (past 1,500 followers, more writes a second). */
const MAX_INTERVAL_MS = 15_000;
/** The question one process asks the others (a server-side event of the adapter): how many of yours follow this? */
const COUNT_QUESTION = 'presence.count';

/**
 * How many follow an article, counted across processes (the adapter asks the others), announced to the room as
 * `presence` at most once a second per article (less often in a room of more than a hundred followers here, at least
 * every MAX_INTERVAL_MS). Each process answers with its own number (a server-side event with an acknowledgement: a
 * few bytes per process, where fetchSockets carried every socket's data). A join is answered with the count known at
 * once (never waiting for the other processes, so a join never fails because they could not be asked); the
 * announcement that the join triggers brings the exact one within a second, or within the room's interval.
 */
@Injectable()
export class Presence implements BeforeApplicationShutdown {
  private server?: Server;
  private stopping = false;
  private readonly state = new Map<string, { lastAt: number; timer?: NodeJS.Timeout; lastCount?: number }>();

  attach(server: Server): void {
    this.server = server;
    server.on(COUNT_QUESTION, (articleId: unknown, answer: unknown) => {
      if (typeof articleId === 'string' && typeof answer === 'function')
        (answer as (count: number) => void)(this.localCount(articleId));
    });
  }

  /** The count known now, without asking the other processes: the last one announced, or this process's own. */
  known(articleId: string): number {
    return Math.max(this.localCount(articleId), this.state.get(articleId)?.lastCount ?? 0);
  }

  /**
   * Followers across processes: this process's own plus the others' answers. A process that does not answer (the
   * fan-out is down, or it died and the adapter still counts it) is left out after the adapter's 5 s; the answers that
   * came are used.
   */
  async count(articleId: string): Promise<number> {
    const server = this.server;
    if (!server) return 0;
    const answers = await new Promise<unknown[]>((resolve) => {
      try {
        server.serverSideEmit(COUNT_QUESTION, articleId, (_error: Error | null, responses: unknown[] | undefined) =>
          resolve(responses ?? []),
        );
      } catch {
        resolve([]);
      }
    });
    return answers.reduce<number>(
      (sum, n) => sum + (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0),
      this.localCount(articleId),
    );
  }

  private localCount(articleId: string): number {
    return this.server?.of('/').adapter.rooms.get(articleRoom(articleId))?.size ?? 0;
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

  /**
   * Followers came or went: announce the new count soon, but not more than once a second, and in a larger room not
   * more than once per INTERVAL_MS_PER_FOLLOWER times its followers here.
   */
  changed(articleId: string, slug: string): void {
    if (this.stopping) return;
    const entry = this.state.get(articleId) ?? { lastAt: 0 };
    this.state.set(articleId, entry);
    if (entry.timer) return;
    const interval = Math.min(
      MAX_INTERVAL_MS,
      Math.max(MIN_INTERVAL_MS, this.localCount(articleId) * INTERVAL_MS_PER_FOLLOWER),
    );
    const wait = Math.max(0, entry.lastAt + interval - Date.now());
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
