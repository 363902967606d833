import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { FormError } from './FormError.js';

/**
 * Follow or unfollow (an essay, a thread): the state is the server's `following`, changed only once the server said
 * yes, so the button never shows a follow that does not exist.
 */
export function FollowButton({
  following,
  label,
  hint,
  change,
}: {
  following: boolean;
  /** What is followed, after "Follow"/"Unfollow": "this essay"; empty for a comment's own action row. */
  label?: string;
  hint: string;
  change: (follow: boolean) => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      await change(!following);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'That did not work; try again.');
    } finally {
      setBusy(false);
    }
  };
  const text = `${following ? 'Unfollow' : 'Follow'}${label ? ` ${label}` : ''}`;
  return (
    <>
      <button
        type="button"
        class={following ? 'link follow following' : 'link follow'}
        title={hint}
        disabled={busy}
        onClick={() => void toggle()}
      >
        {text}
      </button>
      <FormError message={error} />
    </>
  );
}
