import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { type Server } from 'socket.io';
import { type CommentHeld, type CommentPublished, type CommentReported } from '../comments/comment.events.js';
import { LiveFanoutStatus } from '../common/live-fanout-status.js';
import { type ArticleEvents, type DomainEvents } from '../events/domain-events.js';
import { OnDomainEvent } from '../events/on-event.decorator.js';
import { MetricsService } from '../metrics/metrics.service.js';
import {
  type PrivateEventPayloads,
  type RoomEventPayloads,
  type ServerClosingPayload,
  type ServerReconnectedPayload,
} from './event-map.js';
import { MODERATORS_ROOM, sessionRoom, userRoom } from './rooms.js';

/**
 * The live fan-out of the unnumbered events, a listener of the domain events: it decides who hears of what (one user's
 * connections, the moderators') and emits through the Socket.IO adapter, which carries each emit to the connections
 * of every process. It holds no rule of the forum's own: what readers may see was decided where the event was
 * recorded. An article's numbered events reach its followers through ArticleStream, in the database's order.
 */
@Injectable()
export class LiveRouter implements BeforeApplicationShutdown {
  private server?: Server;

  constructor(
    fanout: LiveFanoutStatus,
    private readonly metrics: MetricsService,
  ) {
    fanout.onRecovered(() => this.fanoutRecovered());
  }

  attach(server: Server): void {
    this.server = server;
  }

  /** A reply readers can now see: its parent's author hears of it (not when answering themselves). */
  @OnDomainEvent('comment.published')
  replyToParentAuthor({ articleId, comment, authorId, parentAuthorId }: CommentPublished): void {
    if (parentAuthorId && parentAuthorId !== authorId)
      this.toUser(parentAuthorId, articleId, 'reply.received', { comment });
  }

  /** A held comment: a new one is shown to its author's other connections; the moderators' queue hears of it. */
  @OnDomainEvent('comment.held')
  held({ articleId, comment, authorId, isNew }: CommentHeld): void {
    if (isNew) this.toUser(authorId, articleId, 'comment.created', { comment });
    this.toModerators(articleId, 'moderation.queued', { comment, cause: isNew ? 'posted' : 'edited' });
  }

  /** A held comment its author deleted: the moderators' pages stop counting it. */
  @OnDomainEvent('comment.withdrawn')
  withdrawn({ articleId, commentId }: DomainEvents['comment.withdrawn']): void {
    this.toModerators(articleId, 'moderation.withdrawn', { commentId });
  }

  @OnDomainEvent('comment.reported')
  reported({ articleId, comment }: CommentReported): void {
    this.toModerators(articleId, 'moderation.queued', { comment, cause: 'reported' });
  }

  /** The banned user's connections are told, and a moderator's stop receiving the queue at once. */
  @OnDomainEvent('user.banned')
  banned({ userId, until, reason }: DomainEvents['user.banned']): void {
    this.toUser(userId, null, 'user.banned', { until, reason });
    this.setModeratorMembership(userId, false);
  }

  @OnDomainEvent('user.unbanned')
  unbanned({ userId, role }: DomainEvents['user.unbanned']): void {
    this.toUser(userId, null, 'user.unbanned', {});
    this.setModeratorMembership(userId, role !== 'reader');
  }

  @OnDomainEvent('user.role-changed')
  roleChanged({ userId, role, banInForce }: DomainEvents['user.role-changed']): void {
    this.setModeratorMembership(userId, role !== 'reader' && !banInForce);
  }

  /**
   * A logged-out session's connections are closed, in whichever process they are: they would otherwise go on
   * receiving that user's private events (replies, their pending comments, a moderator's queue).
   */
  @OnDomainEvent('session.ended')
  sessionEnded({ sessionId }: DomainEvents['session.ended']): void {
    this.server?.in(sessionRoom(sessionId)).disconnectSockets(true);
  }

  /**
   * The process is stopping (app.close(), after SIGTERM/SIGINT): tell this process's live connections before they are
   * closed, so clients can say "reconnecting" rather than "lost". Other processes' connections are not theirs to hear.
   */
  beforeApplicationShutdown(): void {
    const payload: ServerClosingPayload = { at: new Date().toISOString(), reconnect: true };
    this.server?.local.emit('server.closing', payload);
  }

  /** Emits to one room, through the adapter (every process). */
  emit(room: string, event: string, payload: Record<string, unknown>): void {
    this.server?.to(room).emit(event, payload);
    this.metrics.liveEventEmitted(event);
  }

  /**
   * The fan-out came back after a loss: this process's connections may have missed events written through another
   * process meanwhile. Followers join again with `since` and get them from the log, under the usual visibility rules.
   */
  private fanoutRecovered(): void {
    const payload: ServerReconnectedPayload = { at: new Date().toISOString() };
    this.server?.local.emit('server.reconnected', payload);
  }

  private toUser<T extends keyof PrivateEventPayloads>(
    userId: string,
    articleId: string | null,
    type: T,
    payload: PrivateEventPayloads[T],
  ): void {
    this.emit(userRoom(userId), type, { seq: null, articleId, at: new Date().toISOString(), ...payload });
  }

  private toModerators<T extends keyof PrivateEventPayloads>(
    articleId: string,
    type: T,
    payload: PrivateEventPayloads[T],
  ): void {
    this.emit(MODERATORS_ROOM, type, { seq: null, articleId, at: new Date().toISOString(), ...payload });
  }

  /** The user's open connections (in any process) join or leave the moderators' room. */
  private setModeratorMembership(userId: string, moderator: boolean): void {
    if (!this.server) return;
    const sockets = this.server.in(userRoom(userId));
    if (moderator) sockets.socketsJoin(MODERATORS_ROOM);
    else sockets.socketsLeave(MODERATORS_ROOM);
  }
}

/**
 * The domain's article events are the live protocol's room events, name for name and payload for payload: the
 * compiler checks both ways, so neither side can drift from the other (docs/live-protocol.md documents them).
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const ROOM_EVENTS_ARE_ARTICLE_EVENTS: Same<RoomEventPayloads, ArticleEvents> = true;
void ROOM_EVENTS_ARE_ARTICLE_EVENTS;
