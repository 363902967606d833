import type { OwnBan } from '../api.js';
import { formatDateTime } from '../format.js';
import { dismiss, notices } from '../notices.js';
import { ban } from '../session.js';
import { useStore } from '../store.js';

/** The thread's ban note: the controls a ban shuts point at it for the reason and the end (aria-describedby). */
export const BAN_NOTE_ID = 'thread-ban-note';

/** " until <date and time>", " until a moderator lifts the ban", or nothing when only a refused write told of it. */
function banEnd(banned: { until: string | null; refused?: boolean }): string {
  if (banned.refused) return '';
  return banned.until ? ` until ${formatDateTime(banned.until)}` : ' until a moderator lifts the ban';
}

/** The moderator's reason as a sentence of its own: closed with a full stop unless it ends in one already. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]["'”’)]?$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The ban in one line, for the controls it shuts: until when and why. */
export function banSummary(banned: OwnBan & { refused?: boolean }): string {
  return `You are banned: you cannot vote, report or write${banEnd(banned)}.${banned.reason ? ` Reason: ${sentence(banned.reason)}` : ''}`;
}

/**
 * Above the comments, where the shut vote and report buttons are (the banner may be a long essay away): why they are
 * shut and until when.
 */
export function ThreadBanNote() {
  const banned = useStore(ban);
  if (!banned) return null;
  return (
    <p class="notice-inline ban-note" id={BAN_NOTE_ID}>
      {banSummary(banned)}
    </p>
  );
}

/** The ban banner (writing is off meanwhile) and the small notices: a reply to the reader, a lifted ban. */
export function Notices() {
  const banned = useStore(ban);
  const list = useStore(notices);
  return (
    <>
      {banned && (
        <div class="ban-banner" role="alert">
          <strong>You are banned from writing</strong>
          {banEnd(banned)}.{banned.reason && <> Reason: {sentence(banned.reason)}</>} You can keep reading.
        </div>
      )}
      <div class="toasts" role="status" aria-live="polite">
        {list.map((n) => (
          <p key={n.id} class="toast">
            {n.text}{' '}
            {n.href && (
              <a href={n.href} onClick={() => dismiss(n.id)}>
                {n.link}
              </a>
            )}
            <button type="button" class="link dismiss" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
              ×
            </button>
          </p>
        ))}
      </div>
    </>
  );
}
