/**
 * Live updates for one article over Socket.IO, typed by the server's event map. Room events carry `seq` (+1 per
 * article): they are applied in order, each once; a gap or a reconnect asks the server for what was missed (`join`
 * with `since`), and when the server no longer holds it (`resync`) the view reloads its thread.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  JoinAck,
  PresencePayload,
  RoomEvent,
  RoomEventType,
  ServerToClientEvents,
} from '../../src/realtime/event-map.js';
import { ROOM_EVENT_TYPES } from '../../src/realtime/event-map.js';
import type { CommentDto } from '../../src/comments/dto/comment.dto.js';

/** A numbered room event, discriminated by `type`. */
export type LiveEvent = { [K in RoomEventType]: RoomEvent<K> }[RoomEventType];

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

/** `restarting`: the server said it is stopping, and the connection is being made again. */
export type LiveStatus = 'live' | 'reconnecting' | 'restarting';

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
  });
  created.on('disconnect', (reason) => {
    if (reason !== 'io server disconnect') return;
    for (const listener of sessionEndedListeners) listener();
    setTimeout(() => created.connect(), 1_000);
  });
  shared = created;
  return shared;
}

type PrivateEvent = 'reply.received' | 'moderation.queued' | 'user.banned' | 'user.unbanned';

/** Follows one of the events sent to this user's (or the moderators') connections; returns the way to stop. */
export function listen<K extends PrivateEvent>(event: K, handler: ServerToClientEvents[K]): () => void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const s = socket() as unknown as { on(e: string, h: any): void; off(e: string, h: any): void };
  s.on(event, handler);
  return () => s.off(event, handler);
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
 * following: the first `join` then hands over every event after it, so nothing written in between is missed.
 */
export class LiveArticle {
  private lastSeq: number | null;
  private readonly early = new Map<number, LiveEvent>();
  private catchingUp = false;
  private closed = false;
  private readonly socket = socket();
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly slug: string,
    private readonly handlers: LiveHandlers,
    since?: number,
  ) {
    this.lastSeq = since ?? null;
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
      rejoin = setTimeout(() => void this.join(), Math.random() * REJOIN_SPREAD_MS);
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
    return this.lastSeq;
  }

  close(): void {
    this.closed = true;
    for (const off of this.offs) off();
    if (this.socket.connected) this.socket.emit('leave', { article: this.slug }, () => undefined);
  }

  private async join(): Promise<void> {
    if (this.closed) return;
    this.catchingUp = true;
    let ack: JoinAck;
    try {
      const since = this.lastSeq ?? undefined;
      ack = (await this.socket
        .timeout(10_000)
        .emitWithAck('join', since === undefined ? { article: this.slug } : { article: this.slug, since })) as JoinAck;
    } catch {
      this.catchingUp = false;
      return; // the next reconnect tries again
    }
    if (this.closed || !ack.ok) {
      this.catchingUp = false;
      return;
    }
    this.handlers.presence(ack.presence);
    if (this.lastSeq === null) {
      this.lastSeq = ack.seq;
    } else if ('resync' in ack) {
      this.lastSeq = ack.seq;
      this.early.clear();
      this.handlers.resync();
    } else {
      for (const missed of ack.missed) this.apply(missed as unknown as LiveEvent);
      this.lastSeq = Math.max(this.lastSeq, ack.seq);
    }
    this.catchingUp = false;
    this.drain();
  }

  private receive(event: LiveEvent): void {
    if (event.seq === null) {
      // Not numbered: the reader's own pending comment.
      if (event.type === 'comment.created') this.handlers.own?.(event.comment);
      return;
    }
    if (this.lastSeq === null || this.catchingUp || event.seq > this.lastSeq + 1) {
      this.early.set(event.seq, event);
      if (this.lastSeq !== null && !this.catchingUp && event.seq > this.lastSeq + 1) void this.join();
      return;
    }
    this.apply(event);
    this.drain();
  }

  private apply(event: LiveEvent): void {
    if (event.seq === null || this.lastSeq === null || event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.handlers.event(event);
  }

  private drain(): void {
    if (this.lastSeq === null) return;
    for (const seq of [...this.early.keys()].sort((a, b) => a - b)) {
      if (seq <= this.lastSeq) this.early.delete(seq);
      else if (seq === this.lastSeq + 1) {
        const event = this.early.get(seq) as LiveEvent;
        this.early.delete(seq);
        this.apply(event);
      } else break;
    }
  }
}
