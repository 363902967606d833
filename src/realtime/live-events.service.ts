import { type BeforeApplicationShutdown, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type Server } from 'socket.io';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { InOrder } from './in-order.js';
import { ANONYMOUS } from '../auth/viewer.js';
import { type CommentRow, CommentsRepository } from '../comments/comments.repository.js';
import { toCommentDto } from '../comments/dto/comment.mapper.js';
import {
  type PrivateEventPayloads,
  type RoomEventPayloads,
  type RoomEventType,
  type ServerClosingPayload,
  type ServerReconnectedPayload,
} from './event-map.js';
import { EventsRepository } from './events.repository.js';
import { LiveFanoutStatus } from '../common/live-fanout-status.js';
import { PeriodicTask } from '../common/periodic-task.js';
import { MODERATORS_ROOM, articleRoom, userRoom } from './rooms.js';

/** Something to send once the transaction that caused it has committed. */
export interface Emission {
  room: string;
  event: string;
  payload: Record<string, unknown>;
}

export type CatchUp = { seq: number; missed: Record<string, unknown>[] } | { seq: number; resync: true };

/** Events kept per article for catch-up (at least), and for at least this many hours. */
const KEEP_EVENTS = 1_000;
const KEEP_HOURS = 24;
const PRUNE_EVERY_MS = 600_000;
/**
 * One catch-up answer carries at most this many events and this many bytes of event payloads (as JSON): beyond either,
 * the follower is asked to resync (reload), which costs it one thread page instead of megabytes in one answer.
 */
export const MAX_CATCH_UP_EVENTS = 500;
export const MAX_CATCH_UP_BYTES = 1_000_000;

/**
 * Domain events to live followers. Services record room events in their transaction (numbered there) and publish
 * the emissions after commit; events for one user or the moderators are not numbered. Emitting goes through the
 * Socket.IO adapter, which carries it to the followers connected to any process.
 */
@Injectable()
export class LiveEvents implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private server?: Server;
  private readonly pruner = new PeriodicTask('live event log pruning', PRUNE_EVERY_MS, () =>
    this.events.prune(KEEP_EVENTS, KEEP_HOURS),
  );
  private readonly order = new InOrder<Emission>((e) => this.emit(e));

  constructor(
    private readonly events: EventsRepository,
    private readonly comments: CommentsRepository,
    private readonly uow: UnitOfWork,
    fanout: LiveFanoutStatus,
  ) {
    fanout.onRecovered(() => this.fanoutRecovered());
  }

  onModuleInit(): void {
    this.pruner.start();
  }

  onModuleDestroy(): void {
    this.pruner.stop();
    this.order.close();
  }

  /**
   * The process is stopping (app.close(), after SIGTERM/SIGINT): tell this process's live connections before they are
   * closed, so clients can say "reconnecting" rather than "lost". Other processes' connections are not theirs to hear.
   */
  beforeApplicationShutdown(): void {
    const payload: ServerClosingPayload = { at: new Date().toISOString(), reconnect: true };
    this.server?.local.emit('server.closing', payload);
  }

  /**
   * The fan-out came back after a loss: this process's connections may have missed events written through another
   * process meanwhile. Followers join again with `since` and get them from the log, under the usual visibility rules.
   */
  private fanoutRecovered(): void {
    const payload: ServerReconnectedPayload = { at: new Date().toISOString() };
    this.server?.local.emit('server.reconnected', payload);
  }

  attach(server: Server): void {
    this.server = server;
  }

  /**
   * Numbers and logs a room event in the caller's transaction. The number is held as "in flight" in this process
   * until it is published (after commit) or forgotten (rollback), so that publish keeps each article's order.
   */
  async room<T extends RoomEventType>(tx: Tx, articleId: string, type: T, payload: RoomEventPayloads[T]): Promise<Emission> {
    const { seq, at } = await this.events.append(tx, articleId, type, payload);
    this.order.taken(articleId, seq);
    this.uow.onRollback(tx, () => this.order.forget(articleId, seq));
    return { room: articleRoom(articleId), event: type, payload: { seq, articleId, at: at.toISOString(), ...payload } };
  }

  toUser<T extends keyof PrivateEventPayloads>(userId: string, articleId: string | null, type: T, payload: PrivateEventPayloads[T]): Emission {
    return { room: userRoom(userId), event: type, payload: { seq: null, articleId, at: new Date().toISOString(), ...payload } };
  }

  toModerators<T extends keyof PrivateEventPayloads>(articleId: string, type: T, payload: PrivateEventPayloads[T]): Emission {
    return { room: MODERATORS_ROOM, event: type, payload: { seq: null, articleId, at: new Date().toISOString(), ...payload } };
  }

  /**
   * After a role change or a ban: the user's open connections (in any process) join or leave the moderators' room,
   * so a demoted or banned moderator stops receiving the queue at once.
   */
  setModeratorMembership(userId: string, moderator: boolean): void {
    if (!this.server) return;
    const sockets = this.server.in(userRoom(userId));
    if (moderator) sockets.socketsJoin(MODERATORS_ROOM);
    else sockets.socketsLeave(MODERATORS_ROOM);
  }

  /**
   * After commit. Room events go out in seq order per article: one whose predecessor (numbered by this process) has
   * not been published yet waits for it. Commits are ordered by the article row's lock, but two requests can learn
   * of their commits in either order; this puts them back in line. Other events go out at once.
   */
  publish(emissions: Emission[]): void {
    for (const e of emissions) {
      const seq = e.payload.seq;
      const articleId = e.payload.articleId;
      if (typeof seq === 'number' && typeof articleId === 'string') this.order.ready(articleId, seq, e);
      else this.emit(e);
    }
  }

  private emit(e: Emission): void {
    this.server?.to(e.room).emit(e.event, e.payload);
  }

  /**
   * What a follower missed since `since`, under the same rules as live: nothing pending was ever logged, and a
   * comment removed or deleted since then is sent without its body. Too old, from the future, or more than one answer
   * may carry (MAX_CATCH_UP_EVENTS, MAX_CATCH_UP_BYTES): resync.
   */
  async catchUp(articleId: string, since: number | undefined): Promise<CatchUp> {
    const { latest, oldest } = await this.events.bounds(articleId);
    if (since === undefined) return { seq: latest, missed: [] };
    if (since > latest) return { seq: latest, resync: true };
    if (since === latest) return { seq: latest, missed: [] };
    if (oldest === null || since < oldest - 1 || latest - since > MAX_CATCH_UP_EVENTS) return { seq: latest, resync: true };
    const stored = await this.events.findAfter(articleId, since, latest - since, MAX_CATCH_UP_BYTES);
    // Fewer than the numbers say: over the byte budget (or pruned meanwhile).
    if (stored.length < latest - since) return { seq: latest, resync: true };
    const ids = [...new Set(stored.flatMap((e) => (isCommentPayload(e.payload) ? [e.payload.comment.id] : [])))];
    const current = new Map((await this.comments.findByIdsInOrder(ids)).map((row) => [row.id, row]));
    const missed = stored.map((e) => {
      const payload = isCommentPayload(e.payload) ? withCurrentVisibility(e.payload, current) : e.payload;
      return { type: e.type, seq: e.seq, articleId, at: e.at.toISOString(), ...payload };
    });
    return { seq: latest, missed };
  }
}

interface CommentPayload {
  comment: { id: string };
}

function isCommentPayload(payload: Record<string, unknown>): payload is Record<string, unknown> & CommentPayload {
  const comment = payload.comment as { id?: unknown } | undefined;
  return typeof comment === 'object' && comment !== null && typeof comment.id === 'string';
}

/**
 * A comment readers can no longer read (removed, deleted, or sent back to review by an edit: live followers got
 * `comment.removed` or `comment.deleted` for it) goes out as the placeholder a reader would be shown now, the one
 * the thread shows: nothing of the comment's own (no author, body, votes or edit time) is carried over from the
 * logged event.
 */
function withCurrentVisibility(payload: Record<string, unknown> & CommentPayload, current: Map<string, CommentRow>): Record<string, unknown> {
  const row = current.get(payload.comment.id);
  if (!row || row.status === 'visible') return payload;
  return { ...payload, comment: toCommentDto(row, [], ANONYMOUS, 0) };
}
