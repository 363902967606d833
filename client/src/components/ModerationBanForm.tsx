import { useState } from 'preact/hooks';
import { api, MODERATION_REASON_MAX, type User } from '../api.js';
import { formatDateTime } from '../format.js';
import { focusOnce } from './CommentActions.js';
import { FormError } from './FormError.js';
import { announceChange, errorMessage } from './moderation-shared.js';

const HOUR = 3_600_000;
const PRESETS = [
  ['hour', 'An hour', HOUR],
  ['day', 'A day', 24 * HOUR],
  ['week', 'A week', 7 * 24 * HOUR],
  ['never', 'No end', null],
  ['date', 'Until a date and time', null],
] as const;
type Preset = (typeof PRESETS)[number][0];

/** When a ban chosen now would end (null: no end; undefined: a date still to be picked). */
function endOf(preset: Preset, until: string, now: number): Date | null | undefined {
  if (preset === 'never') return null;
  if (preset === 'date') return until ? new Date(until) : undefined;
  const length = PRESETS.find(([key]) => key === preset)?.[2] ?? HOUR;
  return new Date(now + length);
}

/**
 * Bans a user (a comment's author, or one named by username), with a reason and an end: an hour, a day, a week, none,
 * or a date and time typed in the moderator's own time zone (the end is shown back in it, with the zone named, before
 * the ban is set). `onDone` gets what to announce (null: cancelled).
 */
export function BanForm({ author, onDone }: { author: User; onDone: (text: string | null) => void }) {
  const [reason, setReason] = useState('');
  const [preset, setPreset] = useState<Preset>('day');
  const [until, setUntil] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `ban-${author.id}`;
  const end = endOf(preset, until, Date.now());
  const submit = async (event: Event) => {
    event.preventDefault();
    // Counted from the moment the moderator confirms, not from when the form opened.
    const chosen = endOf(preset, until, Date.now());
    if (chosen === undefined) return setError('Pick the date and time the ban ends.');
    if (chosen && Number.isNaN(chosen.getTime())) return setError('That date and time could not be read.');
    setBusy(true);
    setError(null);
    try {
      const result = await api.ban(author.id, reason.trim(), chosen?.toISOString());
      announceChange();
      onDone(
        `${author.displayName} is banned${result.until ? ` until ${formatDateTime(result.until)}` : ' without an end date'}.`,
      );
    } catch (e) {
      setError(errorMessage(e, 'The ban could not be set.'));
      setBusy(false);
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
          ref={focusOnce}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </label>
      <fieldset class="ban-length">
        <legend>How long</legend>
        {PRESETS.map(([key, label]) => (
          <label key={key} class="choice">
            <input
              type="radio"
              name={`${id}-length`}
              value={key}
              checked={preset === key}
              onChange={() => setPreset(key)}
            />
            {label}
          </label>
        ))}
        {/* Beside its choice, which names it to the eye; typing a date picks that choice. */}
        <input
          type="datetime-local"
          class="ban-until"
          aria-label="Until (date and time)"
          value={until}
          onInput={(e) => {
            setUntil(e.currentTarget.value);
            setPreset('date');
          }}
        />
      </fieldset>
      <p class="hint" id={`${id}-end`} aria-live="polite">
        {end === undefined
          ? 'Pick the date and time the ban ends.'
          : end === null
            ? 'The ban has no end: a moderator lifts it.'
            : Number.isNaN(end.getTime())
              ? ''
              : `Ends ${formatDateTime(end.toISOString())}.`}
      </p>
      <div class="reply-tools">
        <span class="spacer" />
        <button type="button" class="link" onClick={() => onDone(null)}>
          Cancel
        </button>
        <button type="submit" class="danger" disabled={busy} aria-describedby={`${id}-end`}>
          Ban {author.displayName}
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}
