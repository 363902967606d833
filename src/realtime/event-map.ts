/**
 * The live events, typed once for the server and the web client. Room events (one room per article) carry `seq`,
 * increasing by exactly 1 per article, so a follower can see a gap; events sent to one user's or the moderators'
 * connections are not numbered (`seq: null`). Types and one constant list: the client imports this file.
 */
import type { ArticleSettingsDto } from '../articles/dto/article.dto.js';
import type { CommentDto } from '../comments/dto/comment.dto.js';
import type { NotificationDto } from '../notifications/dto/notification.dto.js';

export interface EventEnvelope {
  /** The article's event number; null for events sent to one user or to the moderators. */
  seq: number | null;
  articleId: string;
  /** ISO-8601, UTC, milliseconds. */
  at: string;
}

/**
 * What a comment was before readers could see it (again): a client keeping a total of what its viewer may see needs it
 * (a moderator's total already counted a held or removed comment, its author's their own held one).
 */
export type PreviousStatus = 'pending' | 'removed';

/** Numbered room events, as stored in the catch-up log. */
export interface RoomEventPayloads {
  /** `previousStatus`: null for a comment just posted, else what it was until a moderator approved or restored it. */
  'comment.created': { comment: CommentDto; previousStatus: PreviousStatus | null };
  'comment.updated': { comment: CommentDto };
  'comment.deleted': { commentId: string };
  'comment.removed': { commentId: string };
  /** `previousStatus`: removed by a moderator, or sent back to review (`pending`) by an edit. */
  'comment.restored': { comment: CommentDto; previousStatus: PreviousStatus };
  'comment.voted': { commentId: string; score: number; upvotes: number; downvotes: number };
  'comment.featured': { commentId: string; featured: boolean };
  'article.updated': { settings: ArticleSettingsDto };
  'article.revised': { revision: number };
}

export type RoomEventType = keyof RoomEventPayloads;

/** Every numbered room event, for followers that track seq (the object's keys make the compiler check the list). */
const ROOM_EVENT_SET: Record<RoomEventType, true> = {
  'comment.created': true,
  'comment.updated': true,
  'comment.deleted': true,
  'comment.removed': true,
  'comment.restored': true,
  'comment.voted': true,
  'comment.featured': true,
  'article.updated': true,
  'article.revised': true,
};
export const ROOM_EVENT_TYPES = Object.keys(ROOM_EVENT_SET) as RoomEventType[];

export type RoomEvent<T extends RoomEventType = RoomEventType> = EventEnvelope & { type: T } & RoomEventPayloads[T];

/** Events for one user's connections or the moderators'. */
export interface PrivateEventPayloads {
  /** The author's own pending comment (only they and moderators see it). */
  'comment.created': { comment: CommentDto };
  'reply.received': { comment: CommentDto };
  /**
   * `cause`: a new comment held (`posted`), one sent back to review by its author's edit (`edited`), or a visible one
   * reported (`reported`); a moderator's total of the article's comments grows by the first only.
   */
  'moderation.queued': { comment: CommentDto; cause: QueueCause };
  /** A held comment left the queue unseen by readers: its author deleted it. */
  'moderation.withdrawn': { commentId: string };
  'user.banned': { until: string | null; reason: string };
  'user.unbanned': Record<string, never>;
  /** A new notification in the user's inbox, as they see it, and their unread count with it. */
  notification: { notification: NotificationDto; unreadCount: number };
}

/**
 * Sent to every connection of a server process that is stopping (a restart or a deploy), just before it closes them.
 * socket.io-client reconnects by itself, to this process once it is back or to another one, and `join` with `since`
 * hands over whatever happened meanwhile.
 */
export interface ServerClosingPayload {
  /** ISO-8601, UTC. */
  at: string;
  reconnect: true;
}

/**
 * Sent to every connection of a server process whose link to the other processes (the live fan-out) came back after
 * a loss: events written through another process meanwhile did not reach this one. A follower joins again with
 * `since` (after a short random delay, so that not every client asks at once) and gets what it missed.
 */
export interface ServerReconnectedPayload {
  /** ISO-8601, UTC. */
  at: string;
}

/**
 * To moderators' connections: how many comments wait in each moderation queue, when that may have changed (at most
 * once a second from each server process; the latest `at` is the current one). Like an account's events, about no
 * article and not numbered.
 */
export interface ModerationCountsPayload {
  pending: number;
  reported: number;
  removed: number;
}

export interface PresencePayload {
  article: string;
  count: number;
}

/** Why a comment entered the moderators' queue. */
export type QueueCause = 'posted' | 'edited' | 'reported';

type Emit<P> = (payload: P) => void;

/** The envelope of an event about the user's own account: about no article, and not numbered. */
export interface AccountEnvelope {
  seq: null;
  articleId: null;
  /** ISO-8601, UTC, milliseconds. */
  at: string;
}

export interface ServerToClientEvents {
  'comment.created': Emit<EventEnvelope & RoomEventPayloads['comment.created']>;
  'comment.updated': Emit<EventEnvelope & RoomEventPayloads['comment.updated']>;
  'comment.deleted': Emit<EventEnvelope & RoomEventPayloads['comment.deleted']>;
  'comment.removed': Emit<EventEnvelope & RoomEventPayloads['comment.removed']>;
  'comment.restored': Emit<EventEnvelope & RoomEventPayloads['comment.restored']>;
  'comment.voted': Emit<EventEnvelope & RoomEventPayloads['comment.voted']>;
  'comment.featured': Emit<EventEnvelope & RoomEventPayloads['comment.featured']>;
  'article.updated': Emit<EventEnvelope & RoomEventPayloads['article.updated']>;
  'article.revised': Emit<EventEnvelope & RoomEventPayloads['article.revised']>;
  'reply.received': Emit<EventEnvelope & PrivateEventPayloads['reply.received']>;
  'moderation.queued': Emit<EventEnvelope & PrivateEventPayloads['moderation.queued']>;
  'moderation.withdrawn': Emit<EventEnvelope & PrivateEventPayloads['moderation.withdrawn']>;
  'user.banned': Emit<AccountEnvelope & PrivateEventPayloads['user.banned']>;
  'user.unbanned': Emit<AccountEnvelope & PrivateEventPayloads['user.unbanned']>;
  notification: Emit<AccountEnvelope & PrivateEventPayloads['notification']>;
  'moderation.counts': Emit<AccountEnvelope & ModerationCountsPayload>;
  presence: Emit<PresencePayload>;
  'server.closing': Emit<ServerClosingPayload>;
  'server.reconnected': Emit<ServerReconnectedPayload>;
}

/** Every event the server sends, checked by the compiler against the map above (docs/live-protocol.md lists each). */
const SERVER_EVENT_SET: Record<keyof ServerToClientEvents, true> = {
  ...ROOM_EVENT_SET,
  'reply.received': true,
  'moderation.queued': true,
  'moderation.withdrawn': true,
  'moderation.counts': true,
  'user.banned': true,
  'user.unbanned': true,
  notification: true,
  presence: true,
  'server.closing': true,
  'server.reconnected': true,
};
export const SERVER_EVENT_TYPES = Object.keys(SERVER_EVENT_SET) as (keyof ServerToClientEvents)[];

export interface JoinRequest {
  article: string;
  since?: number;
}

export type JoinAck =
  | {
      ok: true;
      seq: number;
      presence: number;
      missed: (EventEnvelope & { type: RoomEventType } & Record<string, unknown>)[];
    }
  | { ok: true; seq: number; presence: number; resync: true }
  | { ok: false; error: string };

export interface ClientToServerEvents {
  join: (request: JoinRequest, ack: (answer: JoinAck) => void) => void;
  leave: (request: { article: string }, ack: (answer: { ok: true } | { ok: false; error: string }) => void) => void;
}

/** Every message a client may send, checked by the compiler against the map above. */
const CLIENT_MESSAGE_SET: Record<keyof ClientToServerEvents, true> = { join: true, leave: true };
export const CLIENT_MESSAGE_TYPES = Object.keys(CLIENT_MESSAGE_SET) as (keyof ClientToServerEvents)[];
