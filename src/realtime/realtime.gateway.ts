import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { type Server, type Socket } from 'socket.io';
import { ArticlesRepository } from '../articles/articles.repository.js';
import { AuthService } from '../auth/auth.service.js';
import { SESSION_COOKIE } from '../auth/request-context.js';
import { ANONYMOUS, type Viewer, isModerator } from '../auth/viewer.js';
import { AppConfig } from '../config/app-config.js';
import { type JoinAck } from './event-map.js';
import { LiveEvents } from './live-events.service.js';
import { Presence } from './presence.js';
import { MODERATORS_ROOM, articleRoom, userRoom } from './rooms.js';

interface SocketData {
  viewer: Viewer;
  /** Articles this socket follows: id by slug. */
  following: Map<string, string>;
}

type ForumSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,158}[a-z0-9])?$/;

/**
 * The default namespace. Authenticates once per connection with the same session service as HTTP (a token in
 * `auth.token`, or the web client's cookie from one of our own origins); anonymous readers may follow too. Holds no
 * business logic: join/leave answer from LiveEvents and Presence.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit<Server>, OnGatewayConnection<ForumSocket> {
  constructor(
    private readonly auth: AuthService,
    private readonly live: LiveEvents,
    private readonly presence: Presence,
    private readonly articles: ArticlesRepository,
    private readonly config: AppConfig,
  ) {}

  afterInit(server: Server): void {
    this.live.attach(server);
    this.presence.attach(server);
    server.use((socket, next) => {
      this.authenticate(socket as ForumSocket).then(
        () => next(),
        () => next(new Error('unauthorized: the token is unknown or has expired')),
      );
    });
  }

  async handleConnection(socket: ForumSocket): Promise<void> {
    socket.data.following = new Map();
    const viewer = socket.data.viewer ?? ANONYMOUS;
    if (viewer.userId) await socket.join(userRoom(viewer.userId));
    if (isModerator(viewer) && !viewer.ban) await socket.join(MODERATORS_ROOM);
    socket.on('disconnecting', () => {
      for (const [slug, id] of socket.data.following) this.presence.changed(id, slug);
    });
  }

  @SubscribeMessage('join')
  async join(@ConnectedSocket() socket: ForumSocket, @MessageBody() body: unknown): Promise<JoinAck> {
    const request = body as { article?: unknown; since?: unknown } | null;
    const slug = request?.article;
    const since = request?.since;
    if (typeof slug !== 'string' || !SLUG.test(slug)) return { ok: false, error: 'article must be an article slug' };
    if (since !== undefined && (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0)) {
      return { ok: false, error: 'since must be a non-negative integer' };
    }
    const article = await this.articles.findBySlug(slug);
    if (!article) return { ok: false, error: 'No such article.' };
    await socket.join(articleRoom(article.id));
    socket.data.following.set(slug, article.id);
    const [catchUp, count] = await Promise.all([this.live.catchUp(article.id, since), this.presence.count(article.id)]);
    this.presence.changed(article.id, slug);
    return 'resync' in catchUp
      ? { ok: true, seq: catchUp.seq, presence: count, resync: true }
      : { ok: true, seq: catchUp.seq, presence: count, missed: catchUp.missed as Extract<JoinAck, { missed: unknown }>['missed'] };
  }

  @SubscribeMessage('leave')
  async leave(@ConnectedSocket() socket: ForumSocket, @MessageBody() body: unknown): Promise<{ ok: true } | { ok: false; error: string }> {
    const slug = (body as { article?: unknown } | null)?.article;
    if (typeof slug !== 'string') return { ok: false, error: 'article must be an article slug' };
    const id = socket.data.following.get(slug);
    if (id) {
      await socket.leave(articleRoom(id));
      socket.data.following.delete(slug);
      this.presence.changed(id, slug);
    }
    return { ok: true };
  }

  /** A bad token refuses the connection; a cookie counts only from one of our own origins. */
  private async authenticate(socket: ForumSocket): Promise<void> {
    socket.data.viewer = ANONYMOUS;
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (token !== undefined && token !== null && token !== '') {
      const session = typeof token === 'string' ? await this.auth.sessionFor(token) : null;
      if (!session) throw new Error('unauthorized');
      socket.data.viewer = session.viewer;
      return;
    }
    const cookie = readCookie(socket.handshake.headers.cookie, SESSION_COOKIE);
    if (cookie && this.fromOwnOrigin(socket)) {
      const session = await this.auth.sessionFor(cookie);
      if (session) socket.data.viewer = session.viewer;
    }
  }

  private fromOwnOrigin(socket: ForumSocket): boolean {
    const origin = socket.handshake.headers.origin;
    // A same-origin GET (Socket.IO's polling handshake) carries no Origin; the browser's Sec-Fetch-Site says it.
    if (!origin) return socket.handshake.headers['sec-fetch-site'] === 'same-origin';
    const host = socket.handshake.headers.host ?? '';
    return origin === `http://${host}` || origin === `https://${host}` || this.config.publicOrigins.includes(origin);
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
