import { formatDate } from '../format.js';
import { dismiss, notices } from '../notices.js';
import { ban } from '../session.js';
import { useStore } from '../store.js';

/** " until <date>", " until a moderator lifts the ban", or nothing when only a refused write told of the ban. */
function banEnd(banned: { until: string | null; refused?: boolean }): string {
  if (banned.refused) return '';
  return banned.until ? ` until ${formatDate(banned.until)}` : ' until a moderator lifts the ban';
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
          {banEnd(banned)}.{banned.reason && <> Reason: {banned.reason}</>} You can keep reading.
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
