import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { type DomainEvents, type NumberedArticleEvent } from '../events/domain-events.js';
import { OnArticleEvent, OnDomainEvent } from '../events/on-event.decorator.js';
import { ModerationSummary } from '../moderation/moderation-summary.js';
import { type AccountEnvelope, type ModerationCountsPayload } from './event-map.js';
import { LiveRouter } from './live-router.js';
import { MODERATORS_ROOM } from './rooms.js';

/** At most one `moderation.counts` per this many milliseconds from a process. */
export const MODERATION_COUNTS_INTERVAL_MS = 1_000;

/**
 * Tells moderators' connections the size of each queue when it may have changed: a comment held, reported, decided
 * on, withdrawn or deleted by its author. The process that recorded the change reads the counts fresh (three index
 * counts) and emits them to the moderators' room through the adapter, so every process's moderators hear it.
 *
 * At most once a second per process: the first change is told at once, any later ones in the same second are folded
 * into one emit at the end of that second, which reads the counts as they are then. A burst of posts into a
 * premoderated essay thus costs one read a second, not one per post.
 */
@Injectable()
export class ModerationCountsFeed implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ModerationCountsFeed');
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly summary: ModerationSummary,
    private readonly router: LiveRouter,
  ) {}

  @OnDomainEvent('comment.held')
  held(_event: DomainEvents['comment.held']): void {
    this.changed();
  }

  @OnDomainEvent('comment.reported')
  reported(_event: DomainEvents['comment.reported']): void {
    this.changed();
  }

  @OnDomainEvent('comment.moderated')
  moderated(_event: DomainEvents['comment.moderated']): void {
    this.changed();
  }

  @OnDomainEvent('comment.withdrawn')
  withdrawn(_event: DomainEvents['comment.withdrawn']): void {
    this.changed();
  }

  /** A deleted comment leaves the reported or removed queue it was in. */
  @OnArticleEvent('comment.deleted')
  deleted(_event: NumberedArticleEvent<'comment.deleted'>): void {
    this.changed();
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private changed(): void {
    if (this.stopping || this.timer) return;
    const wait = this.lastSentAt + MODERATION_COUNTS_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      void this.send();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.send();
    }, wait);
    this.timer.unref();
  }

  private async send(): Promise<void> {
    this.lastSentAt = Date.now();
    try {
      const counts = await this.summary.current();
      if (this.stopping) return;
      const payload: AccountEnvelope & ModerationCountsPayload = {
        seq: null,
        articleId: null,
        at: new Date().toISOString(),
        ...counts,
      };
      this.router.emit(MODERATORS_ROOM, 'moderation.counts', { ...payload });
    } catch (error) {
      this.logger.warn(`moderation counts not sent: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
