import { type IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import cookieParser from 'cookie-parser';
import { type Server } from 'socket.io';
import { AuthService } from '../auth/auth.service.js';
import { fromOwnOrigin } from '../auth/origin-policy.js';
import { SESSION_COOKIE } from '../auth/request-context.js';
import { ANONYMOUS, isModerator } from '../auth/viewer.js';
import { setLongTimeout } from '../common/long-timer.js';
import { AppConfig } from '../config/app-config.js';
import { type ForumSocket } from './forum-socket.js';
import { MODERATORS_ROOM, sessionRoom, userRoom } from './rooms.js';

/** The engine's middleware signature (engine.io types it loosely): what cookie-parser's Express middleware fits. */
type EngineMiddleware = (req: IncomingMessage, res: unknown, next: (error?: unknown) => void) => void;

/**
 * Who a live connection is, decided once when it connects, with the same session service, cookie parser and origin
 * policy as HTTP: a token in `auth.token` (a bad one refuses the connection), else the web client's session cookie
 * from one of our own pages (a stale one, or one sent from another origin, reads as anonymous). The connection then
 * lasts as long as its session: it is closed when the session expires or is logged out.
 */
@Injectable()
export class SocketAuthentication {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /** Runs after the connection admission: call it after that one's attach. */
  attach(server: Server): void {
    // The handshake's cookies, read by HTTP's own parser.
    server.engine.use(cookieParser() as EngineMiddleware);
    server.use((socket, next) => {
      this.authenticate(socket as ForumSocket).then(
        () => next(),
        () => next(new Error('unauthorized: the token is unknown or has expired')),
      );
    });
  }

  /** Once connected: the rooms of the connection's own private events (its session's, its user's, the moderators'). */
  async joinOwnRooms(socket: ForumSocket): Promise<void> {
    const viewer = socket.data.viewer ?? ANONYMOUS;
    const session = socket.data.session ?? null;
    if (session) {
      await socket.join(sessionRoom(session.id));
      this.closeAtExpiry(socket, session.expiresAt);
    }
    if (viewer.userId) await socket.join(userRoom(viewer.userId));
    if (isModerator(viewer) && !viewer.ban) await socket.join(MODERATORS_ROOM);
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
    const cookie = (socket.request as IncomingMessage & { cookies?: Record<string, unknown> }).cookies?.[
      SESSION_COOKIE
    ];
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

  /** The connection lasts as long as its session: when that expires, the server closes it. */
  private closeAtExpiry(socket: ForumSocket, expiresAt: Date): void {
    const timer = setLongTimeout(() => socket.disconnect(true), expiresAt.getTime() - Date.now());
    socket.once('disconnect', () => timer.cancel());
  }
}
