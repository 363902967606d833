import { useState } from 'preact/hooks';
import { api, MODERATION_REASON_MAX, type User } from '../api.js';
import { FormError } from './FormError.js';
import { announceChange, errorMessage } from './moderation-shared.js';

/**
 * Bans a user (a queued comment's author, or one named by username), with a reason and an optional end; `onDone` gets
 * what to announce (null: cancelled).
 */
export function BanForm({ author, onDone }: { author: User; onDone: (text: string | null) => void }) {
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const result = await api.ban(author.id, reason.trim(), until ? new Date(until).toISOString() : undefined);
      announceChange();
      onDone(
        `${author.displayName} is banned${result.until ? ` until ${new Date(result.until).toLocaleString()}` : ''}.`,
      );
    } catch (e) {
      setError(errorMessage(e, 'The ban could not be set.'));
    }
  };
  return (
    <form class="ban-form" onSubmit={(e) => void submit(e)} aria-label={`Ban ${author.displayName}`}>
      <label>
        Reason for the ban
        <input
          required
          maxLength={MODERATION_REASON_MAX}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </label>
      <label>
        Until <span class="hint">(empty: no end)</span>
        <input type="datetime-local" value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
      </label>
      <div class="reply-tools">
        <span class="spacer" />
        <button type="button" class="link" onClick={() => onDone(null)}>
          Cancel
        </button>
        <button type="submit" class="danger">
          Ban {author.displayName}
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}
