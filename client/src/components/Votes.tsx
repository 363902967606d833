import { useContext, useState } from 'preact/hooks';
import type { CommentNode } from '../api.js';
import { askToSignIn } from '../ui.js';
import { ThreadContext } from './thread-context.js';

export function Votes({ node }: { node: CommentNode }) {
  const t = useContext(ThreadContext);
  const [busy, setBusy] = useState(false);
  const mine = !!t?.me && node.author?.id === t.me.id;
  // Read out as "Score 3 (5 up, 2 down)": a label on a plain span is not announced, hidden text is.
  const score = (
    <span class="score" title={`${node.upvotes} up, ${node.downvotes} down`}>
      <span class="visually-hidden">Score </span>
      {node.score}
      <span class="visually-hidden">{` (${node.upvotes} up, ${node.downvotes} down)`}</span>
    </span>
  );
  if (!t || mine || node.status === 'deleted') return <span class="votes">{score}</span>;
  const cast = async (value: 1 | -1) => {
    if (!t.me) return askToSignIn();
    setBusy(true);
    try {
      await t.vote(node.id, node.myVote === value ? 0 : value);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="votes">
      <button
        type="button"
        class="vote up"
        aria-label="Upvote"
        aria-pressed={node.myVote === 1}
        disabled={busy}
        onClick={() => void cast(1)}
      >
        ▲
      </button>
      {score}
      <button
        type="button"
        class="vote down"
        aria-label="Downvote"
        aria-pressed={node.myVote === -1}
        disabled={busy}
        onClick={() => void cast(-1)}
      >
        ▼
      </button>
    </span>
  );
}
