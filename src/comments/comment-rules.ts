import { htmlToText } from '../common/markdown/markdown.js';
import { type CommentStatus } from './comment.entity.js';
import { quoteStandsIn } from './quote-verification.js';

/**
 * How a status change moves the counters: the article's and its quoted blocks' visible-comment counts (a comment
 * counts while visible) and the parent's reply count (a reply counts once readers have seen it, and still counts as
 * a placeholder when it is hidden again). `from` is null for a new comment; `published` says whether readers had seen
 * the comment before this change.
 */
export function counterDeltas(
  from: CommentStatus | null,
  to: CommentStatus,
  published: boolean,
): { visible: number; replies: number } {
  const visible = Number(to === 'visible') - Number(from === 'visible');
  const seenBefore = from !== null && published;
  const seenAfter = seenBefore || to === 'visible';
  return { visible, replies: Number(seenAfter) - Number(seenBefore) };
}

/**
 * Slow mode: whole seconds a reader still has to wait before their next comment on the article (0: they may post),
 * given when they last posted there.
 */
export function slowModeWaitSeconds(lastPostedAt: Date | null, everySeconds: number, now: number): number {
  if (!lastPostedAt || everySeconds <= 0) return 0;
  const waitMs = lastPostedAt.getTime() + everySeconds * 1000 - now;
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}

/**
 * Whether a quote taken from a comment still stands in it: readers must be able to read the comment (it is visible)
 * and the quoted words must stand in its text as rendered now.
 */
export function quoteStandsInComment(quoteText: string, comment: { status: CommentStatus; html: string }): boolean {
  if (comment.status !== 'visible') return false;
  const text = htmlToText(comment.html);
  return text.length > 0 && quoteStandsIn(quoteText, text);
}
