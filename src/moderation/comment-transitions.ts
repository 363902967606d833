import { type ModerationAction } from '../audit/audit-log.entity.js';
import { type CommentStatus } from '../comments/comment.entity.js';

export type CommentAction = 'approve' | 'remove' | 'restore';

/** What each moderator action may start from, where it leads, and how the log names it. */
const TRANSITIONS: Record<CommentAction, { from: CommentStatus[]; to: CommentStatus; log: ModerationAction }> = {
  approve: { from: ['pending', 'visible'], to: 'visible', log: 'comment.approve' },
  remove: { from: ['pending', 'visible'], to: 'removed', log: 'comment.remove' },
  restore: { from: ['removed'], to: 'visible', log: 'comment.restore' },
};

const PAST: Record<CommentAction, string> = { approve: 'approved', remove: 'removed', restore: 'restored' };

/**
 * Where a moderator's action takes a comment, or why it cannot: approving a visible comment (a reported one) keeps
 * it visible; a deleted comment is its author's and takes no action; only a removed comment can be restored.
 */
export function transition(
  action: CommentAction,
  from: CommentStatus,
): { to: CommentStatus; log: ModerationAction } | { refused: string } {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(from)) return { refused: `A ${from} comment cannot be ${PAST[action]}.` };
  return { to: rule.to, log: rule.log };
}
