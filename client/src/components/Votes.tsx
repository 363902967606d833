import { useContext, useState } from 'preact/hooks';
import { ApiError, type CommentNode } from '../api.js';
import { ban } from '../session.js';
import { useStore } from '../store.js';
import { askToSignIn } from '../ui.js';
import { BAN_NOTE_ID, banSummary } from './Notices.js';
import { ThreadContext } from './thread-context.js';

export function Votes({ node }: { node: CommentNode }) {
  const t = useContext(ThreadContext);
  const banned = useStore(ban);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
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
  const cast = async (value: 1 | -1, event: Event) => {
    // Signed in, the reader is back at this comment, the focus on the button they pressed: one more press votes.
    if (!t.me) return askToSignIn(event, { purpose: 'To vote, sign in or create an account. You come back here.' });
    if (banned) return;
    setBusy(true);
    setProblem(null);
    try {
      await t.vote(node.id, node.myVote === value ? 0 : value);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403 && /bann/i.test(e.message)) {
        // A ban this page was not told of (it was offline): from now on the buttons say so.
        ban.set(ban.value ?? { until: null, reason: '', refused: true });
      }
      setProblem(e instanceof ApiError ? e.message : 'The vote could not be counted; try again.');
    } finally {
      setBusy(false);
    }
  };
  // A banned reader still sees the buttons, shut (aria-disabled keeps them focusable, so the reason can be read).
  const shut = banned
    ? { 'aria-disabled': true as const, title: banSummary(banned), 'aria-describedby': BAN_NOTE_ID }
    : { disabled: busy };
  return (
    <span class="votes">
      <button
        type="button"
        class="vote up"
        aria-label="Upvote"
        aria-pressed={node.myVote === 1}
        {...shut}
        onClick={(e) => void cast(1, e)}
      >
        ▲
      </button>
      {score}
      <button
        type="button"
        class="vote down"
        aria-label="Downvote"
        aria-pressed={node.myVote === -1}
        {...shut}
        onClick={(e) => void cast(-1, e)}
      >
        ▼
      </button>
      {problem && (
        <span class="error vote-error" role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}
