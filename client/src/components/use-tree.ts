import { useState } from 'preact/hooks';
import { api, type CommentNode, PAGE_LIMIT_MAX, type ThreadSort } from '../api.js';
import { appendReplies, findNode, setVotes } from '../thread-state.js';
import { THREAD_DEPTH } from './thread-context.js';

/** A loaded comment tree with the two actions every thread view has: vote, and load more replies. */
export function useTree(sort: ThreadSort, baseDepth: number) {
  const [items, setItems] = useState<CommentNode[]>([]);
  const [cursors] = useState(() => new Map<string, string | null>());

  const vote = async (id: string, value: -1 | 0 | 1) => {
    const votes = await api.vote(id, value);
    setItems((nodes) => setVotes(nodes, id, votes));
  };

  const loadMore = async (id: string) => {
    const parent = findNode(items, id);
    const depth = Math.max(0, THREAD_DEPTH - (parent ? parent.depth + 1 - baseDepth : 0));
    // After the replies the thread included, or after the last page loaded here.
    const cursor = cursors.has(id) ? cursors.get(id) : parent?.repliesCursor;
    const page = await api.replies(id, { sort, depth, limit: 20, cursor });
    cursors.set(id, page.nextCursor);
    setItems((nodes) => {
      const shown = findNode(nodes, id);
      const fresh = page.items.filter((r) => !shown?.replies.some((s) => s.id === r.id)).length;
      const remaining = page.nextCursor ? Math.max(0, (shown?.moreReplies ?? 0) - fresh) : 0;
      return appendReplies(nodes, id, page.items, remaining);
    });
  };

  /**
   * `fresh`, the same thread read again for another viewer (who signed in or out), with the replies the reader had
   * opened in `shown` ("Load more replies") read again too: as many after each comment's included ones as were shown,
   * at every level, so that nothing the reader had open closes and each reply says what it says to the new viewer
   * (their vote, a moderator's view of a removed one). What is read is each branch's own page, so "Load more replies"
   * carries on from there (cursors start again from the nodes).
   */
  const reopen = async (fresh: CommentNode[], shown: CommentNode[]): Promise<CommentNode[]> => {
    cursors.clear();
    return reopenBranches(fresh, shown, sort, baseDepth);
  };

  return { items, setItems, vote, loadMore, reopen, resetCursors: () => cursors.clear() };
}

async function reopenBranches(
  fresh: CommentNode[],
  shown: readonly CommentNode[],
  sort: ThreadSort,
  baseDepth: number,
): Promise<CommentNode[]> {
  return Promise.all(
    fresh.map(async (node) => {
      const was = shown.find((s) => s.id === node.id);
      if (!was || was.replies.length === 0) return node;
      let { replies, moreReplies, repliesCursor } = node;
      const missing = was.replies.filter((r) => !replies.some((n) => n.id === r.id)).length;
      if (missing > 0 && moreReplies > 0) {
        const depth = Math.max(0, THREAD_DEPTH - (node.depth + 1 - baseDepth));
        const page = await api.replies(node.id, {
          sort,
          depth,
          limit: Math.min(PAGE_LIMIT_MAX, missing),
          cursor: repliesCursor,
        });
        const added = page.items.filter((r) => !replies.some((n) => n.id === r.id));
        replies = [...replies, ...added];
        moreReplies = page.nextCursor ? Math.max(0, moreReplies - added.length) : 0;
        repliesCursor = page.nextCursor;
      }
      return {
        ...node,
        replies: await reopenBranches(replies, was.replies, sort, baseDepth),
        moreReplies,
        repliesCursor,
      };
    }),
  );
}
