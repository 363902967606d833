import { useState } from 'preact/hooks';
import { api, type CommentNode, type ThreadSort } from '../api.js';
import { appendReplies, setVotes } from '../thread-state.js';
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
    const parent = find(items, id);
    const depth = Math.max(0, THREAD_DEPTH - (parent ? parent.depth + 1 - baseDepth : 0));
    // After the replies the thread included, or after the last page loaded here.
    const cursor = cursors.has(id) ? cursors.get(id) : parent?.repliesCursor;
    const page = await api.replies(id, { sort, depth, limit: 20, cursor });
    cursors.set(id, page.nextCursor);
    setItems((nodes) => {
      const shown = find(nodes, id);
      const fresh = page.items.filter((r) => !shown?.replies.some((s) => s.id === r.id)).length;
      const remaining = page.nextCursor ? Math.max(0, (shown?.moreReplies ?? 0) - fresh) : 0;
      return appendReplies(nodes, id, page.items, remaining);
    });
  };

  return { items, setItems, vote, loadMore, resetCursors: () => cursors.clear() };
}

function find(nodes: CommentNode[], id: string): CommentNode | undefined {
  for (const node of nodes) {
    if (node.id === id) return node;
    const inner = find(node.replies, id);
    if (inner) return inner;
  }
  return undefined;
}
