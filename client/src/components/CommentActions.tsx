import { useRef, useState } from 'preact/hooks';
import {
  api,
  ApiError,
  COMMENT_BODY_MAX,
  type CommentNode,
  REPORT_NOTE_MAX,
  REPORT_REASONS,
  type ReportReason,
  type Revision,
} from '../api.js';
import { timeAgo } from '../format.js';
import type { DiffPart } from '../text-diff.js';
import type { ThreadContextValue } from './thread-context.js';
import { FormError } from './FormError.js';
import { MentionTextarea } from './MentionTextarea.js';

/** A report's reason as readers pick it, and as moderators read it. */
export const REPORT_REASON_LABELS: Record<ReportReason, string> = {
  spam: 'Spam',
  abuse: 'Abuse or harassment',
  'off-topic': 'Off topic',
  other: 'Something else',
};

/** Focus a field the first time it appears (a ref callback runs on every render). */
export function focusOnce(el: HTMLElement | null): void {
  if (el && !el.dataset.focused) {
    el.dataset.focused = '1';
    el.focus();
  }
}

/**
 * "edited", opening onto the earlier versions (loaded when first opened, a page at a time). Readers get only the
 * versions they could once read; the author and moderators also get those written while the comment was held, marked.
 */
export function EditedHistory({
  id,
  summary = 'edited',
  current,
}: {
  id: string;
  summary?: string;
  /** The comment's Markdown now, when the viewer may read it: the last edit's changes are shown against it. */
  current?: string | null;
}) {
  const [items, setItems] = useState<Revision[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState(false);
  const load = (from: string | null) =>
    api.history(id, from).then(
      (h) => {
        setItems((list) => [...(from ? (list ?? []) : []), ...h.items]);
        setCursor(h.nextCursor);
      },
      () => setError(true),
    );
  return (
    <details
      class="history"
      onToggle={(e) => {
        if (!e.currentTarget.open || items) return;
        void load(null);
      }}
    >
      <summary>{summary}</summary>
      {error && <p class="error">The earlier versions could not be loaded.</p>}
      {items === null && !error && <p class="muted">Loading…</p>}
      {items?.length === 0 && <p class="muted">No earlier version to show.</p>}
      {items && items.length > 0 && (
        <ol class="versions" aria-label="Earlier versions">
          {items.map((v, i) => (
            <li key={i} class={v.public ? undefined : 'held'}>
              <p class="muted">
                <time dateTime={v.createdAt}>{timeAgo(v.createdAt)}</time>
                {!v.public && (
                  <>
                    {' '}
                    <span class="badge held-badge">never shown to readers</span>
                  </>
                )}
              </p>
              <div class="comment-body" dangerouslySetInnerHTML={{ __html: v.html }} />
              <EditChanges before={v.body} after={items[i + 1]?.body ?? (cursor === null ? current : null)} />
            </li>
          ))}
        </ol>
      )}
      {cursor && (
        <button type="button" class="link" onClick={() => void load(cursor)}>
          Later versions
        </button>
      )}
    </details>
  );
}

/**
 * What the next edit changed in a version's Markdown, words struck out and words added, opened on demand. Text only:
 * the parts are rendered as text, never as html. Nothing when the next version is not known (a page not loaded yet).
 */
function EditChanges({ before, after }: { before: string; after: string | null | undefined }) {
  const [parts, setParts] = useState<DiffPart[] | null>(null);
  if (after === null || after === undefined || after === before) return null;
  return (
    <details
      class="edit-changes"
      onToggle={(e) => {
        // The comparison (and fast-diff with it) is loaded the first time a reader asks for it.
        if (!e.currentTarget.open || parts) return;
        void import('../text-diff.js').then(({ textDiff }) => setParts(textDiff(before, after)));
      }}
    >
      <summary>What the next edit changed</summary>
      {parts ? (
        <p class="diff">
          {parts.map((part, i) =>
            part.kind === 'added' ? (
              <ins key={i}>{part.text}</ins>
            ) : part.kind === 'removed' ? (
              <del key={i}>{part.text}</del>
            ) : (
              <span key={i}>{part.text}</span>
            ),
          )}
        </p>
      ) : (
        <p class="muted">Loading…</p>
      )}
    </details>
  );
}

/** The author's own comment rewritten in place. */
export function EditForm({
  node,
  t,
  onDone,
}: {
  node: CommentNode;
  t: ThreadContextValue;
  onDone: (saved: boolean) => void;
}) {
  const [body, setBody] = useState(node.body ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `edit-${node.id}`;
  const save = async (event: Event) => {
    event.preventDefault();
    if (!body.trim()) return setError('Write something first.');
    setBusy(true);
    try {
      t.updated(await api.editComment(node.id, body.trim()));
      onDone(true);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The change could not be saved; try again.');
      setBusy(false);
    }
  };
  return (
    <form class="reply-box edit-box" onSubmit={(e) => void save(e)}>
      <label for={id}>Edit your comment</label>
      <MentionTextarea
        id={id}
        rows={4}
        maxLength={COMMENT_BODY_MAX}
        value={body}
        onValue={setBody}
        textareaRef={focusOnce}
      />
      <div class="reply-tools">
        <span class="spacer" />
        <button type="button" class="link" onClick={() => onDone(false)}>
          Cancel
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}

/** A report on someone else's comment: a reason and, if the reader likes, a note. */
export function ReportForm({ node, onDone }: { node: CommentNode; onDone: () => void }) {
  const [reason, setReason] = useState<ReportReason>('spam');
  const [note, setNote] = useState('');
  const [state, setState] = useState<'writing' | 'busy' | 'sent'>('writing');
  const [error, setError] = useState<string | null>(null);
  const status = useRef<HTMLParagraphElement>(null);
  const send = async (event: Event) => {
    event.preventDefault();
    setState('busy');
    setError(null);
    try {
      await api.report(node.id, reason, note.trim() || undefined);
      setState('sent');
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setState('sent');
      else {
        setError(e instanceof ApiError ? e.message : 'The report could not be sent; try again.');
        setState('writing');
      }
    }
    queueMicrotask(() => status.current?.focus());
  };
  if (state === 'sent') {
    return (
      <p class="notice-inline" role="status" tabIndex={-1} ref={status}>
        Thank you: a moderator will look at this comment.{' '}
        <button type="button" class="link" onClick={onDone}>
          Close
        </button>
      </p>
    );
  }
  return (
    <form class="report-box" onSubmit={(e) => void send(e)} aria-label="Report this comment">
      <label>
        Why should a moderator look at it?{' '}
        <select
          name="reason"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value as ReportReason)}
          ref={focusOnce}
        >
          {REPORT_REASONS.map((r) => (
            <option key={r} value={r}>
              {REPORT_REASON_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Note <span class="hint">(optional)</span>
        <input name="note" maxLength={REPORT_NOTE_MAX} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <div class="reply-tools">
        <span class="spacer" />
        <button type="button" class="link" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" class="primary" disabled={state === 'busy'}>
          Send report
        </button>
      </div>
      {error && (
        <p class="error" role="alert" ref={status} tabIndex={-1}>
          {error}
        </p>
      )}
    </form>
  );
}

/** Phones share through the system's sheet (messages, mail…); wider screens copy, where a link is pasted. */
function shareable(): boolean {
  return typeof navigator.share === 'function' && window.matchMedia('(max-width: 40rem)').matches;
}

/**
 * "Copy link": the comment's own address (`/comments/:id`, absolute) on the clipboard, and a short confirmation read
 * out politely. On a narrow screen that can share, "Share" stands beside it. Where the clipboard is refused (an
 * insecure origin, a denied permission) the address is shown to copy by hand.
 */
export function CopyLink({ id }: { id: string }) {
  const [said, setSaid] = useState('');
  // Made when asked for: the page's own address is the base.
  const link = () => new URL(`/comments/${encodeURIComponent(id)}`, window.location.href).href;
  const copy = async () => {
    const href = link();
    try {
      await navigator.clipboard.writeText(href);
      setSaid('Link copied');
    } catch {
      setSaid(`Copy this link: ${href}`);
    }
  };
  const share = () =>
    navigator.share({ url: link() }).catch(() => {
      // Closed without sharing: nothing to say.
    });
  return (
    <>
      {shareable() && (
        <button type="button" class="link" onClick={() => void share()}>
          Share
        </button>
      )}
      <button
        type="button"
        class="link"
        onClick={() => void copy()}
        onBlur={() => said === 'Link copied' && setSaid('')}
      >
        Copy link
      </button>
      {/* Polite, like a status, without the role: the report's thanks is this comment's status message. */}
      <span class="copied" aria-live="polite">
        {said}
      </span>
    </>
  );
}
