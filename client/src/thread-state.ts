import type { Article, Comment, CommentNode, Notification } from './api.js';
import type { LiveEvent } from './live-event.js';
import { withQuotesOf } from './highlights.js';

/** Pure updates of a loaded comment tree: every live event and every local write goes through these. */

/** A comment with none of its replies loaded yet: all of them are "more". */
export function toNode(comment: Comment): CommentNode {
  return { ...comment, replies: [], moreReplies: comment.replyCount, repliesCursor: null };
}

export function contains(nodes: readonly CommentNode[], id: string): boolean {
  return nodes.some((n) => n.id === id || contains(n.replies, id));
}

export function findNode(nodes: readonly CommentNode[], id: string): CommentNode | undefined {
  for (const node of nodes) {
    if (node.id === id) return node;
    const inner = findNode(node.replies, id);
    if (inner) return inner;
  }
  return undefined;
}

/** Applies `change` to the node with this id, wherever it is; the same array when it is not there. */
export function updateNode(
  nodes: CommentNode[],
  id: string,
  change: (node: CommentNode) => CommentNode,
): CommentNode[] {
  let changed = false;
  const next = nodes.map((node) => {
    if (node.id === id) {
      changed = true;
      return change(node);
    }
    if (node.replies.length === 0) return node;
    const replies = updateNode(node.replies, id, change);
    if (replies === node.replies) return node;
    changed = true;
    return { ...node, replies };
  });
  return changed ? next : nodes;
}

/** New content for a comment, keeping its loaded replies. */
export function replaceComment(nodes: CommentNode[], comment: Comment): CommentNode[] {
  return updateNode(nodes, comment.id, (node) => ({
    ...node,
    ...comment,
    replies: node.replies,
    moreReplies: node.moreReplies,
  }));
}

/**
 * A comment as a live event brings it: live events are the same for every reader (`myVote` 0, `following` false), so
 * the reader's own facts about the comment stay as the tree has them.
 */
export function replaceFromEvent(nodes: CommentNode[], comment: Comment): CommentNode[] {
  return updateNode(nodes, comment.id, (node) => ({
    ...node,
    ...comment,
    myVote: node.myVote,
    following: node.following,
    replies: node.replies,
    moreReplies: node.moreReplies,
  }));
}

/** A reply under its parent, once (a reply already there is only refreshed). */
export function addReply(nodes: CommentNode[], reply: Comment): CommentNode[] {
  if (contains(nodes, reply.id)) return replaceComment(nodes, reply);
  return updateNode(nodes, reply.parentId ?? '', (parent) => ({
    ...parent,
    replies: [...parent.replies, toNode(reply)],
    replyCount: parent.replyCount + (reply.status === 'pending' ? 0 : 1),
  }));
}

/** More replies loaded for a comment, without the ones already shown. */
export function appendReplies(
  nodes: CommentNode[],
  parentId: string,
  more: CommentNode[],
  remaining: number,
): CommentNode[] {
  return updateNode(nodes, parentId, (parent) => {
    const fresh = more.filter((r) => !parent.replies.some((shown) => shown.id === r.id));
    return { ...parent, replies: [...parent.replies, ...fresh], moreReplies: remaining };
  });
}

/** A placeholder: the body goes, the place (and the replies) stay. Moderators keep seeing a removed body. */
export function markGone(
  nodes: CommentNode[],
  id: string,
  status: 'deleted' | 'removed',
  keepBody: boolean,
): CommentNode[] {
  return updateNode(nodes, id, (node) =>
    status === 'removed' && keepBody
      ? { ...node, status }
      : { ...node, status, body: null, html: null, author: null, quote: null, quotes: [] },
  );
}

export function setVotes(
  nodes: CommentNode[],
  id: string,
  votes: { score: number; upvotes: number; downvotes: number; myVote?: number },
): CommentNode[] {
  return updateNode(nodes, id, (node) => ({ ...node, ...votes }));
}

/**
 * A numbered room event on a loaded tree: replies go under their parent (when it is loaded), edits, votes, removals,
 * restorations and a moderator's featuring change the comment in place. Top-level comments are the view's business (they wait behind a button).
 */
export function applyLiveEvent(nodes: CommentNode[], event: LiveEvent, keepRemovedBody: boolean): CommentNode[] {
  switch (event.type) {
    case 'comment.created':
      return event.comment.parentId === null || contains(nodes, event.comment.id)
        ? replaceFromEvent(nodes, event.comment)
        : addReply(nodes, event.comment);
    case 'comment.updated':
    case 'comment.restored':
      return replaceFromEvent(nodes, event.comment);
    case 'comment.deleted':
      return markGone(nodes, event.commentId, 'deleted', false);
    case 'comment.removed':
      return markGone(nodes, event.commentId, 'removed', keepRemovedBody);
    case 'comment.voted':
      return setVotes(nodes, event.commentId, {
        score: event.score,
        upvotes: event.upvotes,
        downvotes: event.downvotes,
      });
    case 'comment.featured':
      return updateNode(nodes, event.commentId, (node) => ({ ...node, featured: event.featured }));
    case 'article.updated':
    case 'article.revised':
      return nodes;
  }
}

/** Who reads the thread, as far as its total is concerned. */
export interface TotalViewer {
  moderator: boolean;
  userId: string | null;
  /** Whether the total counts this comment as held: the reader's own held comment, any held one for a moderator. */
  countsHeld(id: string): boolean;
}

/**
 * How a room event changes the thread's total, counted as the server counts it for this viewer: a reader counts the
 * visible comments and their own held ones; a moderator the held and removed ones too (not the deleted ones). A
 * comment approved or restored was already counted when it was held (by a moderator, or by its author) or removed
 * (by a moderator): the event says what it was.
 */
export function totalChange(event: LiveEvent, viewer: TotalViewer): number {
  switch (event.type) {
    case 'comment.created':
    case 'comment.restored': {
      const { previousStatus, comment } = event;
      if (viewer.moderator) return previousStatus ? 0 : 1;
      const own = viewer.userId !== null && comment.author?.id === viewer.userId;
      return own && (previousStatus === 'pending' || viewer.countsHeld(comment.id)) ? 0 : 1;
    }
    case 'comment.removed':
      // Removed or sent back to review, it stays in a moderator's count, and in its author's while held.
      return viewer.moderator || viewer.countsHeld(event.commentId) ? 0 : -1;
    case 'comment.deleted':
      return -1;
    default:
      return 0;
  }
}

/** Distinct essay blocks a comment quotes. */
export function quotedBlocks(comment: Comment): Set<string> {
  return new Set(comment.quotes.flatMap((q) => (q.source === 'article' && q.blockId ? [q.blockId] : [])));
}

/**
 * A numbered room event on the essay: a new comment raises the margin counts (and the stance tallies) of the passages
 * it quotes, marks the words it quotes and, top-level with a stance, raises the essay's tally; settings change in place. (Which passages a deleted,
 * removed or restored comment quoted is the server's to say: the view reads the essay again for those.)
 */
export function applyToArticle(article: Article, event: LiveEvent): Article {
  switch (event.type) {
    case 'comment.created': {
      const { stance, parentId } = event.comment;
      const blocks = quotedBlocks(event.comment);
      const towardsEssay = stance !== null && parentId === null;
      if (blocks.size === 0 && !towardsEssay) return article;
      return {
        ...article,
        stances: towardsEssay ? { ...article.stances, [stance]: article.stances[stance] + 1 } : article.stances,
        blocks: article.blocks.map((b) =>
          blocks.has(b.id)
            ? {
                ...b,
                commentCount: b.commentCount + 1,
                stances: stance ? { ...b.stances, [stance]: b.stances[stance] + 1 } : b.stances,
                highlights: withQuotesOf(b, event.comment),
              }
            : b,
        ),
      };
    }
    case 'article.updated':
      return { ...article, settings: event.settings };
    default:
      return article;
  }
}

/**
 * The live events a view has seen lately, so that data read at some `seq` can be brought up to date with the events
 * after it that arrived while it was on its way. (A thread page may already hold some of those: the tree updates
 * state results, not changes, so applying them again changes nothing.)
 */
export class RecentEvents {
  private readonly events: LiveEvent[] = [];

  constructor(private readonly keep = 500) {}

  add(event: LiveEvent): void {
    this.events.push(event);
    if (this.events.length > this.keep) this.events.shift();
  }

  after(seq: number): LiveEvent[] {
    return this.events.filter((e) => e.seq !== null && e.seq > seq);
  }
}

/**
 * A moderator's decision on the reader's own comment, as their notification brings it: approved or restored, the
 * comment as they may see it now replaces the "awaiting moderation" one; removed, its placeholder takes its place.
 */
export function applyDecision(nodes: CommentNode[], notification: Notification): CommentNode[] {
  const comment = notification.comment;
  if (!comment) return nodes;
  switch (notification.kind) {
    case 'approved':
    case 'restored':
      return comment.html === null ? markGone(nodes, comment.id, 'removed', false) : replaceComment(nodes, comment);
    case 'removed':
      return markGone(nodes, comment.id, 'removed', false);
    default:
      return nodes;
  }
}

/**
 * Whether a live event can change the featured list a page shows (`shown`: the ids on it): a comment featured or not
 * any more, one coming back featured, or a change to a comment on the list. Any other event leaves it as it is, so a
 * busy thread does not make every open page read the list again at each edit.
 */
export function touchesFeatured(event: LiveEvent, shown: ReadonlySet<string>): boolean {
  switch (event.type) {
    case 'comment.featured':
      return true;
    case 'comment.restored':
      return event.comment.featured || shown.has(event.comment.id);
    case 'comment.updated':
      return shown.has(event.comment.id);
    case 'comment.removed':
    case 'comment.deleted':
      return shown.has(event.commentId);
    default:
      return false;
  }
}
