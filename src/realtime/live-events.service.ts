import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type Server } from 'socket.io';
import { type Tx } from '../database/unit-of-work.js';
import { CommentsRepository } from '../comments/comments.repository.js';
import { type PrivateEventPayloads, type RoomEventPayloads, type RoomEventType } from './event-map.js';
import { EventsRepository } from './events.repository.js';
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
 * Domain events to live followers. Services record room events in their transaction (numbered there) and publish
 * the emissions after commit; events for one user or the moderators are not numbered. Emitting goes through the
 * Socket.IO adapter, which carries it to the followers connected to any process.
 */
@Injectable()
export class LiveEvents implements OnModuleInit, OnModuleDestroy {
  private server?: Server;
  private pruner?: NodeJS.Timeout;

  constructor(
    private readonly events: EventsRepository,
    private readonly comments: CommentsRepository,
  ) {}

  onModuleInit(): void {
    this.pruner = setInterval(() => void this.events.prune(KEEP_EVENTS, KEEP_HOURS).catch(() => undefined), PRUNE_EVERY_MS);
    this.pruner.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pruner);
  }

  attach(server: Server): void {
    this.server = server;
  }

  /** Numbers and logs a room event in the caller's transaction. */
  async room<T extends RoomEventType>(tx: Tx, articleId: string, type: T, payload: RoomEventPayloads[T]): Promise<Emission> {
    const { seq, at } = await this.events.append(tx, articleId, type, payload);
    return { room: articleRoom(articleId), event: type, payload: { seq, articleId, at: at.toISOString(), ...payload } };
  }

  toUser<T extends keyof PrivateEventPayloads>(userId: string, articleId: string | null, type: T, payload: PrivateEventPayloads[T]): Emission {
    return { room: userRoom(userId), event: type, payload: { seq: null, articleId, at: new Date().toISOString(), ...payload } };
  }

  toModerators<T extends keyof PrivateEventPayloads>(articleId: string, type: T, payload: PrivateEventPayloads[T]): Emission {
    return { room: MODERATORS_ROOM, event: type, payload: { seq: null, articleId, at: new Date().toISOString(), ...payload } };
  }

  /** After commit. Emissions of one request go out in the order given (room events in seq order). */
  publish(emissions: Emission[]): void {
    if (!this.server) return;
    for (const e of emissions) this.server.to(e.room).emit(e.event, e.payload);
  }

  /**
   * What a follower missed since `since`, under the same rules as live: nothing pending was ever logged, and a
   * comment removed or deleted since then is sent without its body. Too old, or from the future: resync.
   */
  async catchUp(articleId: string, since: number | undefined): Promise<CatchUp> {
    const { latest, oldest } = await this.events.bounds(articleId);
    if (since === undefined) return { seq: latest, missed: [] };
    if (since > latest) return { seq: latest, resync: true };
    if (since === latest) return { seq: latest, missed: [] };
    if (oldest === null || since < oldest - 1 || latest - since > KEEP_EVENTS) return { seq: latest, resync: true };
    const stored = await this.events.findAfter(articleId, since, KEEP_EVENTS);
    const shown = await this.comments.findStatuses(stored.flatMap((e) => (isCommentPayload(e.payload) ? [e.payload.comment.id] : [])));
    const missed = stored.map((e) => {
      const payload = isCommentPayload(e.payload) ? withCurrentVisibility(e.payload, shown) : e.payload;
      return { type: e.type, seq: e.seq, articleId, at: e.at.toISOString(), ...payload };
    });
    return { seq: latest, missed };
  }
}

interface CommentPayload {
  comment: { id: string; status: string; body: unknown; html: unknown; author: unknown; quote: unknown; quotes: unknown; stance: unknown };
}

function isCommentPayload(payload: Record<string, unknown>): payload is Record<string, unknown> & CommentPayload {
  const comment = payload.comment as { id?: unknown } | undefined;
  return typeof comment === 'object' && comment !== null && typeof comment.id === 'string';
}

/** A comment that has since been removed or deleted goes out as a placeholder. */
function withCurrentVisibility(payload: Record<string, unknown> & CommentPayload, statuses: Map<string, string>): Record<string, unknown> {
  const status = statuses.get(payload.comment.id);
  if (status !== 'removed' && status !== 'deleted') return payload;
  return { ...payload, comment: { ...payload.comment, status, body: null, html: null, author: null, quote: null, quotes: [], stance: null } };
}
