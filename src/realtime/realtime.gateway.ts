import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { Logger } from '@nestjs/common';
import { type Server } from 'socket.io';
import { ArticlesRepository } from '../articles/articles.repository.js';
import { isArticleSlug } from '../articles/free-slug.js';
import { ConnectionAdmission } from './connection-admission.js';
import { type JoinAck } from './event-map.js';
import { type ForumSocket } from './forum-socket.js';
import { JoinLimits, newJoinWindow } from './join-limits.js';
import { LiveEvents } from './live-events.service.js';
import { Presence } from './presence.js';
import { articleRoom } from './rooms.js';
import { SocketAuthentication } from './socket-authentication.js';

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

type Refusal = { ok: false; error: string };
const refuse = (error: string): Refusal => ({ ok: false, error });

/**
 * The default namespace: wires the connection middlewares (admission per address, then authentication); anonymous
 * readers may follow too. Holds no business logic: join/leave answer from LiveEvents and Presence.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit<Server>, OnGatewayConnection<ForumSocket> {
  private readonly logger = new Logger('Live');

  constructor(
    private readonly live: LiveEvents,
    private readonly presence: Presence,
    private readonly articles: ArticlesRepository,
    private readonly joinLimits: JoinLimits,
    private readonly admission: ConnectionAdmission,
    private readonly authentication: SocketAuthentication,
  ) {}

  afterInit(server: Server): void {
    this.live.attach(server);
    this.presence.attach(server);
    this.admission.attach(server);
    this.authentication.attach(server);
  }

  async handleConnection(socket: ForumSocket): Promise<void> {
    socket.data.following = new Map();
    socket.data.joinsInFlight = 0;
    socket.data.joins = newJoinWindow();
    // Anything but join and leave: answered (when the client asked for an answer) instead of left to time out.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (event === 'join' || event === 'leave') return;
      const ack = args.at(-1);
      if (typeof ack === 'function') (ack as (answer: Refusal) => void)(refuse(REFUSED.unknownEvent));
    });
    await this.authentication.joinOwnRooms(socket);
    socket.on('disconnecting', () => {
      for (const [slug, id] of socket.data.following) this.presence.changed(id, slug);
    });
  }

  @SubscribeMessage('join')
  async join(@ConnectedSocket() socket: ForumSocket, @MessageBody() body: unknown): Promise<JoinAck> {
    const slug = slugOf(body);
    if (slug === null) return refuse(REFUSED.slug);
    const since = (body as { since?: unknown }).since;
    if (since !== undefined && (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0)) {
      return refuse(REFUSED.since);
    }
    if (socket.data.joinsInFlight >= MAX_JOINS_IN_FLIGHT) return refuse(REFUSED.tooManyAtOnce);
    socket.data.joinsInFlight++;
    try {
      if (!(await this.joinLimits.allow(socket.data.joins, socket.data.address))) return refuse(REFUSED.tooOften);
      return await this.follow(socket, slug, since);
    } catch (error) {
      // The database is away, say. Nest would answer with an `exception` event echoing the request and never call
      // the client's callback: a fixed refusal instead, and the client's next reconnect or retry joins again.
      this.logger.warn(`join failed: ${error instanceof Error ? error.message : String(error)}`);
      return refuse(REFUSED.unavailable);
    } finally {
      socket.data.joinsInFlight--;
    }
  }

  @SubscribeMessage('leave')
  async leave(@ConnectedSocket() socket: ForumSocket, @MessageBody() body: unknown): Promise<{ ok: true } | Refusal> {
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
    const article = await this.articles.findBySlug(slug);
    if (!article) return refuse(REFUSED.noArticle);
    const { following } = socket.data;
    if (!following.has(slug) && following.size >= MAX_FOLLOWED_ARTICLES) return refuse(REFUSED.followsTooMany);
    following.set(slug, article.id);
    await socket.join(articleRoom(article.id));
    const [catchUp, count] = await Promise.all([this.live.catchUp(article.id, since), this.presence.count(article.id)]);
    this.presence.changed(article.id, slug);
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
