import { type BeforeApplicationShutdown, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { type Server } from 'socket.io';
import { DataSource } from 'typeorm';
import { LiveFanoutStatus } from '../common/live-fanout-status.js';
import {
  ARTICLE_EVENTS_CHANNEL,
  type AnnouncedEvent,
  ArticleEventLog,
} from '../events/article-event-log.repository.js';
import { type NumberedArticleEvent } from '../events/domain-events.js';
import { OnArticleEvent } from '../events/on-event.decorator.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { CatchUps } from './catch-up.js';
import { PgListener } from './pg-listener.js';
import { articleRoom } from './rooms.js';

/**
 * How long a missing number may keep later ones waiting before it is read from the log. PostgreSQL announces an
 * article's events in `seq` order, so a number goes missing only when the listening connection lost announcements
 * (which the reconnection fills at once) or an announcement could not be read: this is the backstop.
 */
export const GAP_GRACE_MS = 500;

/** A room event as followers receive it: its name, and its payload with `seq`, `articleId` and `at`. */
interface LiveEvent {
  type: string;
  payload: Record<string, unknown>;
}

/** One followed article in this process: the last number emitted and the announcements waiting for their turn. */
interface Line {
  last: number | null;
  /** seq → the event, or null when it must be read from the log (announced by number only). */
  waiting: Map<number, LiveEvent | null>;
  /** The work on this article, one piece after another. */
  work: Promise<void>;
  /** The highest number this process committed for the article while it was followed here (null: none). */
  committedHere: number | null;
  gapTimer?: NodeJS.Timeout;
}

/**
 * Article events to this process's followers, in `seq` order, as the database ordered them. Each event is announced
 * by NOTIFY in the transaction that logs it (ArticleEventLog.append); every process listens on its own connection and
 * emits to its own followers only, so no process depends on another staying alive to deliver what was committed, and
 * the order never depends on which process wrote an event. A large event, announced by number, is read from the log
 * while the later ones of its article wait. A number that did not arrive (announcements lost while the connection
 * was down) is read from the log: at once for every followed article when the connection is back, and after
 * GAP_GRACE_MS when a later number shows the gap. Readers get what catch-up would give them: a comment hidden since
 * is sent as its placeholder.
 */
@Injectable()
export class ArticleStream implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('ArticleStream');
  private server?: Server;
  private listener?: PgListener;
  private readonly lines = new Map<string, Line>();
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: ArticleEventLog,
    private readonly catchUps: CatchUps,
    private readonly status: LiveFanoutStatus,
    private readonly metrics: MetricsService,
  ) {}

  attach(server: Server): void {
    this.server = server;
  }

  async onModuleInit(): Promise<void> {
    const databaseUrl = (this.dataSource.options as { url?: string }).url;
    if (!databaseUrl) throw new Error('The article stream needs the database URL of the data source.');
    this.listener = new PgListener({
      databaseUrl,
      applicationName: 'essay-forum-article-events',
      logName: 'ArticleStream',
      reconnectMs: { min: 250, max: 5_000 },
      pingIntervalMs: 5_000,
      connectTimeoutMs: 3_000,
      queryTimeoutMs: 3_000,
      onNotification: (notification) => this.announced(notification),
      onListening: (recovered) => {
        if (recovered) this.catchUpAll();
      },
    });
    this.listener.listen(ARTICLE_EVENTS_CHANNEL);
    this.status.attachArticleEvents(() => this.listener?.listening ?? false);
    await this.listener.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const line of this.lines.values()) clearTimeout(line.gapTimer);
    this.lines.clear();
    await this.listener?.close(1_000);
  }

  private announced(notification: pg.Notification): void {
    if (this.stopping || notification.channel !== ARTICLE_EVENTS_CHANNEL || !notification.payload) return;
    let announced: AnnouncedEvent;
    try {
      announced = JSON.parse(notification.payload) as AnnouncedEvent;
    } catch {
      this.logger.warn('an article event announcement was not JSON; ignored');
      return;
    }
    const { articleId, seq } = announced;
    if (!this.followedHere(articleId)) {
      this.lines.delete(articleId);
      return;
    }
    const line = this.lineOf(articleId);
    if (line.last !== null && seq <= line.last) return;
    line.last ??= seq - 1;
    line.waiting.set(seq, toLiveEvent(announced));
    this.schedule(articleId, line, () => this.drain(articleId, line));
  }

  /** Emits what is next in line; reads from the log what was announced by number; waits a little for a gap. */
  private async drain(articleId: string, line: Line): Promise<void> {
    for (;;) {
      const last = line.last ?? 0;
      if (!line.waiting.has(last + 1)) break;
      const next = line.waiting.get(last + 1);
      if (next) {
        line.waiting.delete(last + 1);
        this.emit(articleId, line, last + 1, next);
      } else {
        await this.fill(articleId, line, Math.max(...line.waiting.keys()));
        if (line.last === last) break; // the log could not give it: the gap timer tries again
      }
    }
    clearTimeout(line.gapTimer);
    line.gapTimer = undefined;
    if (line.waiting.size > 0) {
      line.gapTimer = setTimeout(() => {
        line.gapTimer = undefined;
        this.schedule(articleId, line, () => this.fill(articleId, line, Math.max(...line.waiting.keys())));
      }, GAP_GRACE_MS);
      line.gapTimer.unref();
    }
  }

  /**
   * Reads the events after the last one emitted, up to `upTo`, from the log, and emits them in order. Events pruned
   * from the log meanwhile are skipped: the followers see the jump and resync by their own gap rule.
   */
  private async fill(articleId: string, line: Line, upTo: number): Promise<void> {
    const after = line.last ?? 0;
    if (upTo <= after) return;
    try {
      const stored = await this.log.findRange(articleId, after, upTo);
      if (stored.length > 0) this.metrics.liveGapFilled();
      for (const event of await this.catchUps.asReadersSeeThem(articleId, stored)) {
        const { type, ...payload } = event as { type: string; seq: number } & Record<string, unknown>;
        if (payload.seq > (line.last ?? 0)) this.emit(articleId, line, payload.seq, { type, payload });
      }
    } catch (error) {
      this.logger.warn(`could not read article events from the log: ${(error as Error).message}`);
    }
    for (const seq of line.waiting.keys()) if (seq <= (line.last ?? 0)) line.waiting.delete(seq);
    if (line.waiting.size > 0) this.schedule(articleId, line, () => this.drain(articleId, line));
  }

  /**
   * A connection of this process follows the article from `seq` on (the number its join answered with): from here,
   * numbers after it that do not arrive are read from the log, even on an article that was quiet until then.
   */
  followed(articleId: string, seq: number): void {
    const line = this.lineOf(articleId);
    line.last ??= seq;
  }

  /**
   * The number of the last event this process sent to the article's followers, when every later one is sure to follow
   * it to them: the announcements are being received, and none was lost since the article's line was last known to be
   * current (a line that fell behind while nobody followed is dropped on recovery, below). Null: only the log can say.
   * A connection that is already in the article's room and gets this number misses nothing after it: the events after
   * it are sent to the room, in order, from now on (read from the log where an announcement went missing).
   */
  lastSent(articleId: string): number | null {
    if (this.stopping || !this.listener?.listening) return null;
    const line = this.lines.get(articleId);
    if (!line || line.last === null) return null;
    // An event this process committed and has not sent yet (its announcement is on its way): a writer that joins
    // right after its own write reads it in the join's answer, not later, live.
    return line.committedHere !== null && line.committedHere > line.last ? null : line.last;
  }

  /** This process committed an article event: see lastSent. */
  @OnArticleEvent()
  committed(event: NumberedArticleEvent): void {
    const line = this.lines.get(event.articleId);
    if (line && (line.committedHere === null || event.seq > line.committedHere)) line.committedHere = event.seq;
  }

  /** The connection is back: announcements may have been lost meanwhile, for any followed article. */
  private catchUpAll(): void {
    // A line nobody follows here is not caught up: it may have missed announcements, so it is forgotten (its next
    // follower's join reads the log) rather than trusted by lastSent.
    for (const id of this.lines.keys()) if (!this.followedHere(id)) this.lines.delete(id);
    const ids = [...this.lines.keys()];
    if (ids.length === 0) return;
    this.log.latestOf(ids).then(
      (latest) => {
        for (const [id, upTo] of latest) {
          const line = this.lines.get(id);
          if (line) this.schedule(id, line, () => this.fill(id, line, upTo));
        }
      },
      (error: Error) => this.logger.warn(`could not read the articles' latest events: ${error.message}`),
    );
  }

  private emit(articleId: string, line: Line, seq: number, event: LiveEvent): void {
    line.last = seq;
    this.server?.local.to(articleRoom(articleId)).emit(event.type, event.payload);
    this.metrics.liveEventEmitted(event.type, event.payload.at as string);
  }

  private schedule(articleId: string, line: Line, work: () => Promise<void>): void {
    line.work = line.work.then(work).catch((error: Error) => {
      this.logger.warn(`article ${articleId}: ${error.message}`);
    });
  }

  private lineOf(articleId: string): Line {
    let line = this.lines.get(articleId);
    if (!line) {
      line = { last: null, waiting: new Map(), work: Promise.resolve(), committedHere: null };
      this.lines.set(articleId, line);
    }
    return line;
  }

  /** Whether a connection of this process follows the article. */
  private followedHere(articleId: string): boolean {
    return (this.server?.of('/').adapter.rooms.get(articleRoom(articleId))?.size ?? 0) > 0;
  }
}

/** The announced event as followers receive it, or null when it was announced by number only. */
function toLiveEvent(announced: AnnouncedEvent): LiveEvent | null {
  if (announced.type === undefined || announced.payload === undefined || announced.at === undefined) return null;
  const { articleId, seq, type, payload } = announced;
  return { type, payload: { seq, articleId, at: new Date(announced.at).toISOString(), ...payload } };
}
