/**
 * Live updates for one article over Socket.IO, typed by the server's event map. Room events carry `seq` (+1 per
 * article): they are applied in order, each once; a gap or a reconnect asks the server for what was missed (`join`
 * with `since`), and when the server no longer holds it (`resync`) the view reloads its thread. A join the server
 * refuses (too many joins) or does not answer is tried again later, with capped exponential backoff and jitter, one
 * join in flight at a time; meanwhile the reader is told that live updates are paused.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  JoinAck,
  PresencePayload,
  ServerToClientEvents,
} from '../../src/realtime/event-map.js';
import { ROOM_EVENT_TYPES } from '../../src/realtime/event-map.js';
import type { CommentDto } from '../../src/comments/dto/comment.dto.js';
import type { LiveEvent } from './live-event.js';
import { type FollowStep, SeqFollower } from './seq-follow.js';
import { bearerRefused, bearerToken } from './bearer.js';

export type { LiveEvent } from './live-event.js';

type ForumSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveHandlers {
  /** A room event, in seq order, once. */
  event(event: LiveEvent): void;
  /** The reader's own pending comment (sent only to its author), or a reply to them. */
  own?(comment: CommentDto): void;
  presence(count: number): void;
  /** The server could not say what was missed: load the thread again. */
  resync(): void;
  status?(status: LiveStatus): void;
}

/**
 * `restarting`: the server said it is stopping, and the connection is being made again. `paused`: connected, but the
 * server refused (or did not answer) the join, which is tried again in a moment.
 */
export type LiveStatus = 'live' | 'reconnecting' | 'restarting' | 'paused';

/** How long a missing number may take to arrive before the follower joins again with `since` to fetch it. */
export const GAP_GRACE_MS = 1_000;

/** The wait before the first retry of a refused join; it doubles with each refusal, up to the cap. */
export const JOIN_RETRY_FIRST_MS = 2_000;
export const JOIN_RETRY_MAX_MS = 60_000;

/**
 * The wait before retry number `attempt` (1 for the first): 2 s doubling to 60 s, then a random point in its upper
 * half, so the pages that one refusal (or one restart) hit do not all come back at the same instant.
 */
export function joinRetryDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(JOIN_RETRY_MAX_MS, JOIN_RETRY_FIRST_MS * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

let shared: ForumSocket | null = null;
/** After `server.reconnected`, followers join again within this many ms, each at a random moment. */
const REJOIN_SPREAD_MS = 2_000;

const sessionEndedListeners: (() => void)[] = [];

/**
 * The server closes the connections of a session that was logged out (in another tab, say) or expired. socket.io-client
 * does not reconnect after a close the server chose, so this page does, a moment later, and as whoever the cookie
 * now says (anonymous); listeners (the session store) learn that the session may be over.
 */
export function onSessionEnded(listener: () => void): void {
  sessionEndedListeners.push(listener);
}

/**
 * One connection for the page; the session cookie authenticates it. WebSocket first: its handshake carries the Origin
 * header that the server wants before it trusts the cookie (a same-origin polling GET has none, and would leave the
 * reader anonymous: no replies to them, no moderators' queue). Polling stays as the fallback.
 */
function socket(): ForumSocket {
  if (shared) return shared;
  const created: ForumSocket = io({
    path: '/socket.io',
    withCredentials: true,
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    // The embedded discussion's token (bearer.ts), read at every connection: a sign-in or out reconnects.
    auth: (send) => {
      const token = bearerToken();
      send(token ? { token } : {});
    },
  });
  // A token the server refuses ended on the server (logged out, expired): forget it and follow on as a reader.
  created.on('connect_error', () => {
    if (bearerToken() === null || created.active) return;
    bearerRefused();
    created.connect();
  });
  created.on('disconnect', (reason) => {
    if (reason !== 'io server disconnect') return;
    for (const listener of sessionEndedListeners) listener();
    setTimeout(() => created.connect(), 1_000);
  });
  shared = created;
  return shared;
}

type PrivateEvent =
  | 'reply.received'
  | 'moderation.queued'
  | 'moderation.withdrawn'
  | 'moderation.counts'
  | 'user.banned'
  | 'user.unbanned'
  | 'notification';

/** Follows one of the events sent to this user's (or the moderators') connections; returns the way to stop. */
export function listen<K extends PrivateEvent>(event: K, handler: ServerToClientEvents[K]): () => void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const s = socket() as unknown as { on(e: string, h: any): void; off(e: string, h: any): void };
  s.on(event, handler);
  return () => s.off(event, handler);
}

/** Runs at every connection of the page's socket (the first, and each one after a drop or a sign-in); returns the way to stop. */
export function onConnected(listener: () => void): () => void {
  const s = socket();
  s.on('connect', listener);
  return () => s.off('connect', listener);
}

/** Opens the page's connection ahead of its first `LiveArticle` (which may wait for data to load first). */
export function connectLive(): void {
  socket();
}

/** After sign-in or sign-out: reconnect so the server sees who is reading. */
export function reconnectLive(): void {
  if (!shared) return;
  shared.disconnect();
  shared.connect();
}

/**
 * Follows one article. Give `since` (the `seq` the page's data was read at) when the page loaded its data before
 * following: the first `join` then hands over every event after it, so nothing written in between is missed. Which
 * event to apply, hold or drop, and when to join again, is the rule of seq-follow.ts; this class brings it the socket,
 * the retries and the handlers.
 */
export class LiveArticle {
  /** The seq rule; it holds room events from asking to join until the answer is applied, and while a retry waits. */
  private readonly follow: SeqFollower<LiveEvent>;
  /** A join sent and not yet answered: there is never more than one. */
  private inFlight = false;
  /** A reconnect asked to join while one was in flight: join again once it is answered. */
  private joinAgain = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** A number is missing: the join that would bring it waits GAP_GRACE_MS for it to arrive by itself. */
  private gapTimer: ReturnType<typeof setTimeout> | null = null;
  /** Refused or failed joins in a row, for the backoff. */
  private failures = 0;
  private closed = false;
  private readonly socket = socket();
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly slug: string,
    private readonly handlers: LiveHandlers,
    since?: number,
  ) {
    this.follow = new SeqFollower<LiveEvent>(since ?? null);
    for (const type of ROOM_EVENT_TYPES) {
      const listener = (payload: object) => this.receive({ ...payload, type } as LiveEvent);
      this.socket.on(type, listener);
      this.offs.push(() => this.socket.off(type, listener));
    }
    const onPresence = (payload: PresencePayload) => {
      if (payload.article === this.slug) this.handlers.presence(payload.count);
    };
    let restarting = false;
    const onConnect = () => {
      restarting = false;
      if (this.retryTimer !== null) {
        this.handlers.status?.('paused'); // the retry joins on this connection when it is due
        return;
      }
      this.handlers.status?.('live');
      void this.join();
    };
    const onDisconnect = () => this.handlers.status?.(restarting ? 'restarting' : 'reconnecting');
    const onClosing = () => {
      restarting = true;
      this.handlers.status?.('restarting');
    };
    const onReply = (payload: { comment: CommentDto }) => this.handlers.own?.(payload.comment);
    // The server's link to the other processes came back: events written elsewhere meanwhile may be missing here.
    // Join again with `since`, after a random delay of up to 2 s so that not every reader asks at the same moment.
    let rejoin: ReturnType<typeof setTimeout> | undefined;
    const onReconnected = () => {
      clearTimeout(rejoin);
      // Paused after a refused join: the retry that is due joins with `since` anyway.
      rejoin = setTimeout(() => {
        if (this.retryTimer === null) void this.join();
      }, Math.random() * REJOIN_SPREAD_MS);
    };
    this.socket.on('presence', onPresence);
    this.socket.on('connect', onConnect);
    this.socket.on('disconnect', onDisconnect);
    this.socket.on('server.closing', onClosing);
    this.socket.on('reply.received', onReply);
    this.socket.on('server.reconnected', onReconnected);
    this.offs.push(
      () => this.socket.off('presence', onPresence),
      () => this.socket.off('connect', onConnect),
      () => this.socket.off('disconnect', onDisconnect),
      () => this.socket.off('server.closing', onClosing),
      () => this.socket.off('reply.received', onReply),
      () => this.socket.off('server.reconnected', onReconnected),
      () => clearTimeout(rejoin),
    );
    if (this.socket.connected) void this.join();
  }

  /** The latest seq applied (null before the first join answered, unless `since` was given). */
  get seq(): number | null {
    return this.follow.seq;
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.gapTimer !== null) clearTimeout(this.gapTimer);
    this.gapTimer = null;
    for (const off of this.offs) off();
    if (this.socket.connected) this.socket.emit('leave', { article: this.slug }, () => undefined);
  }

  private async join(): Promise<void> {
    if (this.closed) return;
    if (this.inFlight) {
      this.joinAgain = true;
      return;
    }
    const since = this.follow.startJoin();
    this.inFlight = true;
    let ack: JoinAck | null;
    try {
      ack = (await this.socket
        .timeout(10_000)
        .emitWithAck('join', since === null ? { article: this.slug } : { article: this.slug, since })) as JoinAck;
    } catch {
      ack = null; // no answer in time
    }
    this.inFlight = false;
    if (this.closed) return;
    if (this.joinAgain) {
      // The connection was made again meanwhile: this answer may be the old connection's; join on the new one.
      this.joinAgain = false;
      void this.join();
      return;
    }
    if (ack === null && !this.socket.connected) {
      this.follow.stopJoin();
      return; // the connection dropped: the reconnect joins
    }
    if (ack === null || !ack.ok) {
      this.retryLater();
      return;
    }
    if (this.failures > 0) {
      this.failures = 0;
      this.handlers.status?.('live');
    }
    this.handlers.presence(ack.presence);
    const step = this.follow.answered(
      'resync' in ack ? ack : { seq: ack.seq, missed: ack.missed as unknown as LiveEvent[] },
    );
    if (step.resync) this.handlers.resync();
    this.run(step);
  }

  /** Waits (longer after each refusal in a row), then joins again; room events are held until then. */
  private retryLater(): void {
    this.failures++;
    this.handlers.status?.('paused');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      // Disconnected meanwhile: the reconnect joins.
      if (this.socket.connected) void this.join();
    }, joinRetryDelay(this.failures));
  }

  private receive(event: LiveEvent): void {
    if (event.seq === null) {
      // Not numbered: the reader's own pending comment.
      if (event.type === 'comment.created') this.handlers.own?.(event.comment);
      return;
    }
    this.run(this.follow.receive(event));
  }

  private run(step: FollowStep<LiveEvent>): void {
    for (const event of step.apply) this.handlers.event(event);
    if (step.rejoin && this.gapTimer === null) {
      // The server sends each article's events in order, so a missing number is rare (a connection that dropped is
      // joined again anyway): give it a moment to arrive before asking for it.
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null;
        if (this.follow.holding > 0 && !this.follow.joining) void this.join();
      }, GAP_GRACE_MS);
    }
  }
}
