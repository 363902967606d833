import { Injectable, Logger } from '@nestjs/common';
import { ArticleIds } from '../articles/article-ids.js';
import { isArticleSlug } from '../articles/free-slug.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ArticleStream } from './article-stream.js';
import { type JoinAck } from './event-map.js';
import { type ForumSocket } from './forum-socket.js';
import { JoinLimits, newJoinWindow } from './join-limits.js';
import { type CatchUp, CatchUps } from './catch-up.js';
import { Presence } from './presence.js';
import { articleRoom } from './rooms.js';

/** A connection follows at most this many articles at once (the web client follows the one on its page). */
export const MAX_FOLLOWED_ARTICLES = 20;
/** Joins of one connection answered at once; a client that does not wait for its answers is refused the rest. */
export const MAX_JOINS_IN_FLIGHT = 5;

/**
 * Refusals are fixed sentences: an acknowledgement never carries the client's input back. docs/live-protocol.md
 * quotes each one (its spec checks it).
 */
export const REFUSED = {
  slug: 'article must be an article slug',
  since: 'since must be a non-negative integer',
  noArticle: 'No such article.',
  followsTooMany: `A connection follows at most ${MAX_FOLLOWED_ARTICLES} articles at once: leave one first.`,
  tooManyAtOnce: 'Too many joins at once: wait for the answers.',
  tooOften: 'Too many joins: wait a minute before joining again.',
  unknownEvent: 'Unknown event: the server takes join and leave.',
  unavailable: 'The server could not answer just now; try again.',
} as const;

export type Refusal = { ok: false; error: string };
export const refuse = (error: string): Refusal => ({ ok: false, error });

export type LeaveAck = { ok: true } | Refusal;

/**
 * Following articles live: a join (checked, limited, looked up) puts the connection in the article's room and answers
 * with what it missed since `since` and how many follow; a leave takes it out. Followers coming and going change the
 * article's presence count.
 */
@Injectable()
export class Follows {
  private readonly logger = new Logger('Live');

  constructor(
    private readonly catchUps: CatchUps,
    private readonly presence: Presence,
    private readonly articleIds: ArticleIds,
    private readonly joinLimits: JoinLimits,
    private readonly stream: ArticleStream,
    private readonly metrics: MetricsService,
  ) {}

  /** A new connection follows nothing yet; what it follows when it goes counts one follower less. */
  open(socket: ForumSocket): void {
    socket.data.following = new Map();
    socket.data.joinsInFlight = 0;
    socket.data.joins = newJoinWindow();
    socket.on('disconnecting', () => {
      for (const [slug, id] of socket.data.following) this.presence.changed(id, slug);
    });
  }

  async join(socket: ForumSocket, body: unknown): Promise<JoinAck> {
    const ack = await this.answerJoin(socket, body);
    if (!ack.ok) this.metrics.liveJoinFailed();
    return ack;
  }

  private async answerJoin(socket: ForumSocket, body: unknown): Promise<JoinAck> {
    const slug = slugOf(body);
    if (slug === null) return refuse(REFUSED.slug);
    const since = (body as { since?: unknown }).since;
    if (since !== undefined && (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0)) {
      return refuse(REFUSED.since);
    }
    if (socket.data.joinsInFlight >= MAX_JOINS_IN_FLIGHT) return refuse(REFUSED.tooManyAtOnce);
    if (since !== undefined) this.metrics.liveRejoined();
    socket.data.joinsInFlight++;
    try {
      if (!(await this.joinLimits.allow(socket.data.joins, socket.data.address))) return refuse(REFUSED.tooOften);
      return await this.follow(socket, slug, since);
    } catch (error) {
      // The database is away, say. Nest would answer with an `exception` event echoing the request and never call
      // the client's callback: a fixed refusal instead, and the client's next reconnect or retry joins again.
      this.logger.warn({
        msg: `join failed: ${error instanceof Error ? error.message : String(error)}`,
        reqId: (socket.request as { id?: string }).id,
      });
      return refuse(REFUSED.unavailable);
    } finally {
      socket.data.joinsInFlight--;
    }
  }

  async leave(socket: ForumSocket, body: unknown): Promise<LeaveAck> {
    const slug = slugOf(body);
    if (slug === null) return refuse(REFUSED.slug);
    const id = socket.data.following.get(slug);
    if (id) {
      await socket.leave(articleRoom(id));
      socket.data.following.delete(slug);
      this.presence.changed(id, slug);
    }
    return { ok: true };
  }

  private async follow(socket: ForumSocket, slug: string, since: number | undefined): Promise<JoinAck> {
    const articleId = await this.articleIds.of(slug);
    if (articleId === null) return refuse(REFUSED.noArticle);
    const { following } = socket.data;
    if (!following.has(slug) && following.size >= MAX_FOLLOWED_ARTICLES) return refuse(REFUSED.followsTooMany);
    following.set(slug, articleId);
    await socket.join(articleRoom(articleId));
    // In the room from here: when this process is sending the article's events to it, the last one it sent is where
    // the connection starts, and a follower already there (no `since`, or `since` at that number) needs no read.
    const sent = this.stream.lastSent(articleId);
    const catchUp: CatchUp =
      sent !== null && (since === undefined || since === sent)
        ? { seq: sent, missed: [] }
        : await this.catchUps.since(articleId, since);
    const count = this.presence.known(articleId);
    this.presence.changed(articleId, slug);
    this.stream.followed(articleId, catchUp.seq);
    return 'resync' in catchUp
      ? { ok: true, seq: catchUp.seq, presence: count, resync: true }
      : {
          ok: true,
          seq: catchUp.seq,
          presence: count,
          missed: catchUp.missed as Extract<JoinAck, { missed: unknown }>['missed'],
        };
  }
}

/** The `article` of a join or leave request, when it is a slug; null for anything else. */
function slugOf(body: unknown): string | null {
  const slug = typeof body === 'object' && body !== null ? (body as { article?: unknown }).article : undefined;
  return isArticleSlug(slug) ? slug : null;
}
