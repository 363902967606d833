import { type IncomingMessage } from 'node:http';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { Logger } from '@nestjs/common';
import cookieParser from 'cookie-parser';
import { type Server, type Socket } from 'socket.io';
import { ArticlesRepository } from '../articles/articles.repository.js';
import { isArticleSlug } from '../articles/free-slug.js';
import { AuthService } from '../auth/auth.service.js';
import { fromOwnOrigin } from '../auth/origin-policy.js';
import { SESSION_COOKIE } from '../auth/request-context.js';
import { ANONYMOUS, type Viewer, isModerator } from '../auth/viewer.js';
import { setLongTimeout } from '../common/long-timer.js';
import { AppConfig } from '../config/app-config.js';
import { ConnectionsPerAddress, clientAddress } from './connections-per-address.js';
import { type JoinAck } from './event-map.js';
import { JoinLimits, type JoinWindow, newJoinWindow } from './join-limits.js';
import { LiveEvents } from './live-events.service.js';
import { Presence } from './presence.js';
import { MODERATORS_ROOM, articleRoom, sessionRoom, userRoom } from './rooms.js';

interface SocketData {
  viewer: Viewer;
  /** The session the connection was opened with (token or cookie); none for anonymous readers. */
  session: { id: string; expiresAt: Date } | null;
  /** Articles this socket follows: id by slug. */
  following: Map<string, string>;
  /** Joins being answered (looked up in the database) right now. */
  joinsInFlight: number;
  /** Joins counted in the current minute, for the join rate limit. */
  joins: JoinWindow;
  /** The client's address, as the rate limits see it. */
  address: string;
}

type ForumSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;

/** The engine's middleware signature (engine.io types it loosely): what cookie-parser's Express middleware fits. */
type EngineMiddleware = (req: IncomingMessage, res: unknown, next: (error?: unknown) => void) => void;

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
 * The default namespace. Authenticates once per connection with the same session service as HTTP (a token in
 * `auth.token`, or the web client's cookie from one of our own origins); anonymous readers may follow too. Holds no
 * business logic: join/leave answer from LiveEvents and Presence.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit<Server>, OnGatewayConnection<ForumSocket> {
  private readonly logger = new Logger('Live');
  private readonly perAddress: ConnectionsPerAddress;

  constructor(
    private readonly auth: AuthService,
    private readonly live: LiveEvents,
    private readonly presence: Presence,
    private readonly articles: ArticlesRepository,
    private readonly config: AppConfig,
    private readonly joinLimits: JoinLimits,
  ) {
    this.perAddress = new ConnectionsPerAddress(config.liveConnectionsPerAddress);
  }

  afterInit(server: Server): void {
    this.live.attach(server);
    this.presence.attach(server);
    // A logged-out session's connections are closed, in whichever process they are: they would otherwise go on
    // receiving that user's private events (replies, their pending comments, a moderator's queue).
    this.auth.onSessionEnded((sessionId) => server.in(sessionRoom(sessionId)).disconnectSockets(true));
    // The handshake's cookies, read by HTTP's own parser.
    server.engine.use(cookieParser() as EngineMiddleware);
    server.use((socket, next) => {
      // Counted before anything else is done for it; the place is given back when the transport closes, whatever
      // happens to the handshake after this.
      const address = clientAddress(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], this.config.trustProxy);
      if (!this.perAddress.take(address)) {
        next(new Error(`too many live connections from one address (at most ${this.config.liveConnectionsPerAddress})`));
        return;
      }
      socket.conn.once('close', () => this.perAddress.release(address));
      (socket as ForumSocket).data.address = address;
      this.authenticate(socket as ForumSocket).then(
        () => next(),
        () => next(new Error('unauthorized: the token is unknown or has expired')),
      );
    });
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
    const viewer = socket.data.viewer ?? ANONYMOUS;
    const session = socket.data.session ?? null;
    if (session) {
      await socket.join(sessionRoom(session.id));
      this.closeAtExpiry(socket, session.expiresAt);
    }
    if (viewer.userId) await socket.join(userRoom(viewer.userId));
    if (isModerator(viewer) && !viewer.ban) await socket.join(MODERATORS_ROOM);
    socket.on('disconnecting', () => {
      for (const [slug, id] of socket.data.following) this.presence.changed(id, slug);
    });
  }

  /** The connection lasts as long as its session: when that expires, the server closes it. */
  private closeAtExpiry(socket: ForumSocket, expiresAt: Date): void {
    const timer = setLongTimeout(() => socket.disconnect(true), expiresAt.getTime() - Date.now());
    socket.once('disconnect', () => timer.cancel());
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

  /** A bad token refuses the connection; a cookie counts only from one of our own origins. */
  private async authenticate(socket: ForumSocket): Promise<void> {
    socket.data.viewer = ANONYMOUS;
    socket.data.session = null;
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (token !== undefined && token !== null && token !== '') {
      const session = typeof token === 'string' ? await this.auth.sessionFor(token) : null;
      if (!session) throw new Error('unauthorized');
      socket.data.viewer = session.viewer;
      socket.data.session = { id: session.sessionId, expiresAt: session.expiresAt };
      return;
    }
    // A cookie from a page of another origin counts for nothing: that socket is anonymous, whatever the cookie says.
    if (!this.fromOwnPage(socket)) return;
    const cookie = (socket.request as IncomingMessage & { cookies?: Record<string, unknown> }).cookies?.[SESSION_COOKIE];
    if (typeof cookie === 'string' && cookie !== '') {
      const session = await this.auth.sessionFor(cookie);
      if (!session) return;
      socket.data.viewer = session.viewer;
      socket.data.session = { id: session.sessionId, expiresAt: session.expiresAt };
    }
  }

  /**
   * A handshake's evidence: its Origin, else Sec-Fetch-Site (a same-origin polling GET carries no Origin); the Host
   * counts under either scheme (HTTP's writes take only the scheme the request came by).
   */
  private fromOwnPage(socket: ForumSocket): boolean {
    const { origin, host, 'sec-fetch-site': secFetchSite } = socket.handshake.headers;
    return fromOwnOrigin({ origin, secFetchSite, host, schemes: ['http', 'https'] }, this.config.publicOrigins);
  }
}

/** The `article` of a join or leave request, when it is a slug; null for anything else. */
function slugOf(body: unknown): string | null {
  const slug = typeof body === 'object' && body !== null ? (body as { article?: unknown }).article : undefined;
  return isArticleSlug(slug) ? slug : null;
}
