import { Injectable } from '@nestjs/common';
import { ReaderViews } from '../comments/reader-views.js';
import { ArticleEventLog, type StoredEvent } from '../events/article-event-log.repository.js';

export type CatchUp = { seq: number; missed: Record<string, unknown>[] } | { seq: number; resync: true };

/**
 * One catch-up answer carries at most this many events and this many bytes of event payloads (as JSON): beyond either,
 * the follower is asked to resync (reload), which costs it one thread page instead of megabytes in one answer.
 */
export const MAX_CATCH_UP_EVENTS = 500;
export const MAX_CATCH_UP_BYTES = 1_000_000;

/** What a follower missed, from the articles' event log. */
@Injectable()
export class CatchUps {
  constructor(
    private readonly log: ArticleEventLog,
    private readonly readerViews: ReaderViews,
  ) {}

  /**
   * What a follower missed since `since`, under the same rules as live: nothing pending was ever logged, and a
   * comment readers can no longer read is sent as the placeholder a reader is shown now. Too old, from the future, or
   * more than one answer may carry (MAX_CATCH_UP_EVENTS, MAX_CATCH_UP_BYTES): resync.
   */
  async since(articleId: string, since: number | undefined): Promise<CatchUp> {
    const { latest, oldest } = await this.log.bounds(articleId);
    if (since === undefined) return { seq: latest, missed: [] };
    if (since > latest) return { seq: latest, resync: true };
    if (since === latest) return { seq: latest, missed: [] };
    if (oldest === null || since < oldest - 1 || latest - since > MAX_CATCH_UP_EVENTS)
      return { seq: latest, resync: true };
    const stored = await this.log.findAfter(articleId, since, latest - since, MAX_CATCH_UP_BYTES);
    // Fewer than the numbers say: over the byte budget (or pruned meanwhile).
    if (stored.length < latest - since) return { seq: latest, resync: true };
    return { seq: latest, missed: await this.asReadersSeeThem(articleId, stored) };
  }

  /**
   * Logged events as a reader is shown them now: a comment readers can no longer read becomes the placeholder. For
   * catch-up, and for the live stream when it fills a gap from the log.
   */
  async asReadersSeeThem(articleId: string, stored: StoredEvent[]): Promise<Record<string, unknown>[]> {
    const ids = [...new Set(stored.flatMap((e) => (isCommentPayload(e.payload) ? [e.payload.comment.id] : [])))];
    const hidden = await this.readerViews.placeholdersOfHidden(ids);
    return stored.map((e) => {
      const placeholder = isCommentPayload(e.payload) ? hidden.get(e.payload.comment.id) : undefined;
      const payload = placeholder ? { ...e.payload, comment: placeholder } : e.payload;
      return { type: e.type, seq: e.seq, articleId, at: e.at.toISOString(), ...payload };
    });
  }
}

interface CommentPayload {
  comment: { id: string };
}

function isCommentPayload(payload: Record<string, unknown>): payload is Record<string, unknown> & CommentPayload {
  const comment = payload.comment as { id?: unknown } | undefined;
  return typeof comment === 'object' && comment !== null && typeof comment.id === 'string';
}
