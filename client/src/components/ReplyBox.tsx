import { useContext, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Comment, newIdempotencyKey, type Stance, STANCES } from '../api.js';
import { ThreadContext } from './thread-context.js';

let boxes = 0;

const STANCE_CHOICES: Record<Stance, string> = {
  agree: 'I agree',
  disagree: 'I disagree',
  question: 'I have a question',
  evidence: 'I add evidence',
};

/** A reply to the essay (no parent) or to a comment. The draft keeps its Idempotency-Key until it is posted. */
export function ReplyBox({ parent, onDone }: { parent?: Comment; onDone?: () => void }) {
  const t = useContext(ThreadContext);
  const [body, setBody] = useState('');
  const [stance, setStance] = useState<Stance | ''>('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useRef(`reply-${++boxes}`).current;
  // One key per attempt at the same text: a retry after a network failure cannot post twice.
  const attempt = useRef<{ key: string; body: string; stance: string } | null>(null);
  if (!t) return null;

  const submit = async (event: Event) => {
    event.preventDefault();
    const text = body.trim();
    if (!text) {
      setError('Write something first.');
      return;
    }
    if (!attempt.current || attempt.current.body !== text || attempt.current.stance !== stance) {
      attempt.current = { key: newIdempotencyKey(), body: text, stance };
    }
    setBusy(true);
    setError(null);
    try {
      const comment = await api.postComment(
        t.slug,
        { body: text, ...(parent ? { parentId: parent.id } : {}), ...(stance ? { stance } : {}) },
        attempt.current.key,
      );
      attempt.current = null;
      setBody('');
      setStance('');
      t.posted(comment);
      onDone?.();
    } catch (e) {
      if (e instanceof ApiError && e.status === 429 && e.retryAfter)
        setError(`${e.message} Try again in ${e.retryAfter} s.`);
      else setError(e instanceof ApiError ? e.message : 'The reply could not be posted; try again.');
    } finally {
      setBusy(false);
    }
  };

  const label = parent ? `Reply to ${parent.author?.displayName ?? 'this comment'}` : 'Your comment on the essay';
  return (
    <form class="reply-box" onSubmit={(e) => void submit(e)}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name="body"
        rows={parent ? 4 : 5}
        maxLength={10_000}
        value={body}
        onInput={(e) => setBody(e.currentTarget.value)}
      />
      <div class="reply-tools">
        <label class="stance-picker">
          Stance{' '}
          <select name="stance" value={stance} onChange={(e) => setStance(e.currentTarget.value as Stance | '')}>
            <option value="">No stance</option>
            {STANCES.map((s) => (
              <option key={s} value={s}>
                {STANCE_CHOICES[s]}
              </option>
            ))}
          </select>
        </label>
        <span class="spacer" />
        {onDone && (
          <button type="button" class="link" onClick={onDone}>
            Cancel
          </button>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Posting…' : parent ? 'Post reply' : 'Post comment'}
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
