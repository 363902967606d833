import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { listen } from '../live.js';
import { api, type AuthorRecord, type LogEntry, moderationApi, type QueueItem, type User } from '../api.js';
import { plural } from '../format.js';
import { AuthorName } from './AuthorName.js';
import { REPORT_REASON_LABELS } from './CommentActions.js';
import { FormError } from './FormError.js';
import { dateTime, usePagedList } from './moderation-shared.js';

/**
 * A comment's reports, newest first, open and closed, with what each reporter said; `onDismiss` (when the comment is
 * visible) closes the open ones, keeping the comment. A report made while they are shown appears: the moderators'
 * connections hear of each (`moderation.queued`), and the first page is read again, keeping the pages below it.
 */
export function CommentReports({ id, onDismiss }: { id: string; onDismiss?: () => Promise<void> }) {
  const [open, setOpen] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const list = usePagedList(
    (cursor) =>
      moderationApi.commentReports(id, cursor).then((page) => {
        if (!cursor) setOpen(page.open);
        return page;
      }),
    'reports',
    (r) => r.id,
  );
  const { reload } = list;
  useEffect(
    () =>
      listen('moderation.queued', ({ comment }) => {
        if (comment.id === id) reload();
      }),
    [id],
  );
  const { items } = list;
  const dismiss = async () => {
    if (!onDismiss) return;
    setBusy(true);
    try {
      await onDismiss();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="comment-reports">
      <FormError message={list.error} />
      {items === null && !list.error && <p class="muted">Loading…</p>}
      {items?.length === 0 && <p class="muted">Nobody has reported this comment.</p>}
      {items && items.length > 0 && (
        <>
          <p>{open === 0 ? 'Every report is closed.' : `${plural(open ?? 0, 'report')} open.`}</p>
          <ul class="reports plain" aria-label="Reports">
            {items.map((r) => (
              <li key={r.id} class={r.status === 'closed' ? 'closed' : undefined}>
                <strong>{REPORT_REASON_LABELS[r.reason]}</strong>, by <AuthorName user={r.reporter} />
                {r.note && <>: “{r.note}”</>}{' '}
                <span class="muted">
                  <time dateTime={r.createdAt}>{dateTime(r.createdAt)}</time>
                  {r.status === 'closed' && ' (closed)'}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {list.cursor && (
        <button type="button" class="link" disabled={list.loading} onClick={list.more}>
          More reports
        </button>
      )}
      {onDismiss && !!open && (
        <button type="button" class="primary" disabled={busy} onClick={() => void dismiss()}>
          Dismiss the open reports
        </button>
      )}
    </div>
  );
}

const VERBS: Partial<Record<LogEntry['action'], string>> = {
  'comment.approve': 'approved',
  'comment.remove': 'removed',
  'comment.restore': 'restored',
  'comment.feature': 'featured',
  'comment.unfeature': 'took the featured mark off',
};

/**
 * An entry in a few words, about the comment or the user whose history it is (`it`, `them`): the comment named only
 * when the record is a person's (a link to it), the user never named again.
 */
function said(entry: LogEntry, about: 'comment' | 'author'): ComponentChildren {
  const details = (entry.details ?? {}) as { until?: unknown; role?: unknown };
  const verb = VERBS[entry.action];
  if (verb) {
    if (about === 'comment' || !entry.commentId) return `${verb} it`;
    return (
      <>
        {verb} <a href={`/comments/${encodeURIComponent(entry.commentId)}`}>a comment</a>
      </>
    );
  }
  switch (entry.action) {
    case 'user.ban':
      return typeof details.until === 'string'
        ? `banned them until ${dateTime(details.until)}`
        : 'banned them without an end date';
    case 'user.unban':
      return 'lifted their ban';
    case 'user.role':
      return typeof details.role === 'string'
        ? `made them ${details.role === 'admin' ? 'an' : 'a'} ${details.role}`
        : 'changed their role';
    default:
      return entry.action;
  }
}

/** A line of a history: a moderator's log entry, or an edit by the comment's author (null: a deleted account). */
type Line = { at: string } & ({ entry: LogEntry } | { edit: User | null });

/** Log entries (and edits) as short lines: when, who, what, why. */
function Entries({ lines, label, about }: { lines: Line[]; label: string; about: 'comment' | 'author' }) {
  return (
    <ol class="plain mod-entries" aria-label={label}>
      {lines.map((line) => (
        <li key={'entry' in line ? line.entry.id : `edit-${line.at}`}>
          <time class="muted" dateTime={line.at}>
            {dateTime(line.at)}
          </time>{' '}
          {'entry' in line ? (
            <>
              {line.entry.actor.displayName} {said(line.entry, about)}
              {line.entry.reason && <span class="mod-reason">: “{line.entry.reason}”</span>}
            </>
          ) : (
            `${line.edit?.displayName ?? 'The author'} (the author) edited it`
          )}
        </li>
      ))}
    </ol>
  );
}

/**
 * When the author edited the comment, oldest first, from its edit history (every earlier version, which moderators
 * read whole: at most MAX_EDITS, one page): each version gave way at the next one's date, the last at `editedAt`.
 */
async function editTimes(item: QueueItem): Promise<string[]> {
  if (!item.editedAt) return [];
  const versions = await api.history(item.id);
  return [...versions.items.slice(1).map((v) => v.createdAt), item.editedAt];
}

/**
 * What moderators did to the comment, newest first, and where the author's edits fall among their actions (an edit
 * may be what put it back in a queue). An edit shows once the page of actions reaches its date.
 */
function CommentHistory({ item }: { item: QueueItem }) {
  const { id } = item;
  const list = usePagedList(
    (cursor) => moderationApi.commentHistory(id, cursor),
    'history',
    (e) => e.id,
  );
  const [edits, setEdits] = useState<string[]>([]);
  useEffect(() => {
    editTimes(item).then(setEdits, () => setEdits([]));
  }, [id, item.editedAt]);
  const { items } = list;
  const reached = items && list.cursor ? items.at(-1)?.createdAt : undefined;
  const shownEdits = items ? edits.filter((at) => !reached || at >= reached) : [];
  const lines: Line[] = [
    ...(items ?? []).map((entry) => ({ at: entry.createdAt, entry })),
    ...shownEdits.map((at) => ({ at, edit: item.author })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return (
    <section class="mod-history-part" aria-label="What moderators did to this comment">
      <h3>This comment</h3>
      <FormError message={list.error} />
      {items === null && !list.error && <p class="muted">Loading…</p>}
      {items?.length === 0 && shownEdits.length === 0 && <p class="muted">No moderator has acted on it yet.</p>}
      {lines.length > 0 && <Entries lines={lines} label="Moderation of this comment" about="comment" />}
      {list.cursor && (
        <button type="button" class="link" disabled={list.loading} onClick={list.more}>
          Earlier actions
        </button>
      )}
    </section>
  );
}

/** The author's removals and bans: counted, the ban in force, and the entries behind the numbers. */
function AuthorRecordView({ author }: { author: User }) {
  const [record, setRecord] = useState<AuthorRecord | null>(null);
  const list = usePagedList(
    (cursor) =>
      moderationApi.authorRecord(author.id, cursor).then((page) => {
        if (!cursor) setRecord(page);
        return page;
      }),
    'record',
    (e) => e.id,
  );
  const { items } = list;
  return (
    <section class="mod-history-part" aria-label={`${author.displayName}’s record`}>
      <h3>{author.displayName}’s record</h3>
      <FormError message={list.error} />
      {record && (
        <p>
          {`${plural(record.removals, 'comment')} removed, ${plural(record.bans, 'ban')} over all time.`}
          {record.ban && (
            <strong>
              {' '}
              Banned now
              {record.ban.until ? ` until ${dateTime(record.ban.until)}` : ', without an end date'}.
            </strong>
          )}
        </p>
      )}
      {items === null && !list.error && <p class="muted">Loading…</p>}
      {items && items.length > 0 && (
        <Entries
          lines={items.map((entry) => ({ at: entry.createdAt, entry }))}
          label={`${author.displayName}’s record`}
          about="author"
        />
      )}
      {list.cursor && (
        <button type="button" class="link" disabled={list.loading} onClick={list.more}>
          Earlier entries
        </button>
      )}
    </section>
  );
}

/**
 * A queued comment's moderation history and its author's record, folded until asked for (each opened one reads two
 * short pages; a queue of twenty reads none).
 */
export function QueueHistory({ item }: { item: QueueItem }) {
  const [open, setOpen] = useState(false);
  return (
    <details class="mod-history" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{item.author ? 'History and the author’s record' : 'History'}</summary>
      {open && (
        <>
          <CommentHistory item={item} />
          {item.author && <AuthorRecordView author={item.author} />}
        </>
      )}
    </details>
  );
}
