import { useState } from 'preact/hooks';
import { api, MODERATION_REASON_MAX, type ModerationAct, type Queue, type QueueItem } from '../api.js';
import { plural, timeAgo } from '../format.js';
import { AuthorName, UsernameAndRole } from './AuthorName.js';
import { EditedHistory, REPORT_REASON_LABELS } from './CommentActions.js';
import { FormError } from './FormError.js';
import { announceChange, errorMessage } from './moderation-shared.js';
import { BanForm } from './ModerationBanForm.js';
import { QueueHistory } from './ModerationRecords.js';

const ACTS: Record<Queue, ModerationAct[]> = {
  pending: ['approve', 'remove'],
  reported: ['approve', 'remove'],
  removed: ['restore'],
};
const ACT_LABELS: Record<ModerationAct, string> = { approve: 'Approve', remove: 'Remove', restore: 'Restore' };

/** One comment of a queue: what it says, its reports, and the moderator's actions on it (and on its author). */
export function ModerationQueueItem({
  item,
  queue,
  onGone,
}: {
  item: QueueItem;
  queue: Queue;
  onGone: (id: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [banning, setBanning] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const act = async (what: ModerationAct) => {
    setBusy(true);
    setError(null);
    try {
      await api.moderate(what, item.id, reason.trim() || undefined);
      onGone(item.id);
      announceChange();
    } catch (e) {
      setError(errorMessage(e, 'That did not work; try again.'));
      setBusy(false);
    }
  };
  const name = item.author?.displayName ?? '[gone]';
  const open = item.reports.filter((r) => r.status === 'open');
  return (
    <li class="queue-item" id={`queued-${item.id}`} tabIndex={-1}>
      <article aria-label={`Comment by ${name}`}>
        <header class="comment-meta">
          {item.author ? <AuthorName user={item.author} /> : <span class="author">{name}</span>}
          <span class="muted">
            on <a href={`/articles/${encodeURIComponent(item.articleSlug)}`}>{item.articleSlug}</a>
          </span>
          <a class="when" href={`/comments/${encodeURIComponent(item.id)}`}>
            <time dateTime={item.createdAt}>{timeAgo(item.createdAt)}</time>
          </a>
          {open.length > 0 && <span class="badge">{plural(open.length, 'report')}</span>}
        </header>
        {item.quote && (
          <blockquote class="comment-quote">
            <p>{item.quote.text}</p>
          </blockquote>
        )}
        <div class="comment-body" dangerouslySetInnerHTML={{ __html: item.html ?? '' }} />
        {/* Every earlier version, held ones included: what the author wrote before this text matters to the decision. */}
        {item.editedAt && <EditedHistory key={item.editedAt} id={item.id} summary="Edit history" current={item.body} />}
        {item.reports.length > 0 && (
          <ul class="reports" aria-label="Reports">
            {item.reports.map((r) => (
              <li key={r.id}>
                <strong>{REPORT_REASON_LABELS[r.reason]}</strong> by {r.reporter.displayName}{' '}
                <UsernameAndRole user={r.reporter} />
                {r.note && <>: “{r.note}”</>}
                {r.status === 'closed' && <span class="muted"> (closed)</span>}
              </li>
            ))}
          </ul>
        )}
        <QueueHistory item={item} />
        <div class="mod-actions">
          <label>
            Reason <span class="hint">(optional)</span>
            <input maxLength={MODERATION_REASON_MAX} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          {ACTS[queue].map((what) => (
            <button
              key={what}
              type="button"
              class={what === 'remove' ? 'danger' : 'primary'}
              disabled={busy}
              onClick={() => void act(what)}
            >
              {ACT_LABELS[what]}
            </button>
          ))}
          {item.author && (
            <button type="button" class="link" aria-expanded={banning} onClick={() => setBanning(!banning)}>
              Ban the author
            </button>
          )}
        </div>
        {banning && item.author && (
          <BanForm
            author={item.author}
            onDone={(text) => {
              setBanning(false);
              setDone(text);
            }}
          />
        )}
        {done && <p role="status">{done}</p>}
        <FormError message={error} />
      </article>
    </li>
  );
}
