import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  type ArticleSettings,
  type ArticleSummary,
  MODERATION_REASON_MAX,
  type ModerationAct,
  type Queue,
  type QueueItem,
  QUEUES,
} from '../api.js';
import { plural, timeAgo } from '../format.js';
import { listen } from '../live.js';
import { isModerator, session } from '../session.js';
import { useStore } from '../store.js';
import { EditedHistory } from './CommentActions.js';
import { FormError } from './FormError.js';
import { announceChange, errorMessage } from './moderation-shared.js';
import { ModerationBans } from './ModerationBans.js';
import { ModerationLog } from './ModerationLog.js';
import { ModerationWords } from './ModerationWords.js';
import { AuthorName, UsernameAndRole } from './AuthorName.js';

const QUEUE_LABELS: Record<Queue, string> = { pending: 'Pending', reported: 'Reported', removed: 'Removed' };
const ACTS: Record<Queue, ModerationAct[]> = {
  pending: ['approve', 'remove'],
  reported: ['approve', 'remove'],
  removed: ['restore'],
};
const ACT_LABELS: Record<ModerationAct, string> = { approve: 'Approve', remove: 'Remove', restore: 'Restore' };

function BanForm({ item, onDone }: { item: QueueItem; onDone: (text: string | null) => void }) {
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [error, setError] = useState<string | null>(null);
  const author = item.author;
  if (!author) return null;
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
        <input required maxLength={MODERATION_REASON_MAX} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
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

function QueueCard({ item, queue, onGone }: { item: QueueItem; queue: Queue; onGone: (id: string) => void }) {
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
        {item.editedAt && <EditedHistory key={item.editedAt} id={item.id} summary="Edit history" />}
        {item.reports.length > 0 && (
          <ul class="reports" aria-label="Reports">
            {item.reports.map((r) => (
              <li key={r.id}>
                <strong>{r.reason}</strong> by {r.reporter.displayName} <UsernameAndRole user={r.reporter} />
                {r.note && <>: “{r.note}”</>}
                {r.status === 'closed' && <span class="muted"> (closed)</span>}
              </li>
            ))}
          </ul>
        )}
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
        {banning && (
          <BanForm
            item={item}
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

function Queues() {
  const [queue, setQueue] = useState<Queue>('pending');
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [arrived, setArrived] = useState(0);
  const shown = useRef(queue);
  shown.current = queue;
  const heading = useRef<HTMLHeadingElement>(null);

  const load = async (which: Queue, from: string | null) => {
    try {
      const page = await api.queue(which, from);
      if (shown.current !== which) return;
      setItems((list) => [
        ...(from ? (list ?? []) : []),
        ...page.items.filter((i) => !from || !list?.some((s) => s.id === i.id)),
      ]);
      setCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(errorMessage(e, 'The queue could not be loaded.'));
    }
  };

  useEffect(() => {
    setItems(null);
    if (queue === 'pending') setArrived(0);
    void load(queue, null);
  }, [queue]);

  // New pending comments arrive live (sent to the moderators' connections): no polling.
  useEffect(
    () =>
      listen('moderation.queued', ({ comment }) => {
        // A new pending comment, or a visible one just reported.
        const target: Queue = comment.status === 'pending' ? 'pending' : 'reported';
        if (shown.current !== target) {
          if (target === 'pending') setArrived((n) => n + 1);
          return;
        }
        // The event names the article by id: the queue's own item brings the slug and the reports.
        void api.queue(target).then((page) => {
          const full = page.items.find((i) => i.id === comment.id);
          if (!full || shown.current !== target) return;
          setItems((list) =>
            list?.some((i) => i.id === full.id)
              ? list.map((i) => (i.id === full.id ? full : i))
              : [...(list ?? []), full],
          );
        });
      }),
    [],
  );

  const gone = (id: string) => {
    setItems((list) => {
      const index = list?.findIndex((i) => i.id === id) ?? -1;
      const next = list?.filter((i) => i.id !== id) ?? null;
      const focus = next?.[Math.min(index, next.length - 1)];
      queueMicrotask(() => (focus ? document.getElementById(`queued-${focus.id}`) : heading.current)?.focus());
      return next;
    });
  };

  return (
    <section id="queues" class="queues" aria-labelledby="queue-title">
      <h2 id="queue-title" tabIndex={-1} ref={heading}>
        Queues
      </h2>
      <div class="sort" role="group" aria-label="Queue">
        {QUEUES.map((q) => (
          <button key={q} type="button" aria-pressed={q === queue} onClick={() => setQueue(q)}>
            {QUEUE_LABELS[q]}
            {q === 'pending' && arrived > 0 && ` (${arrived} new)`}
          </button>
        ))}
      </div>
      <FormError message={error} />
      {items === null && !error && <p class="muted">Loading…</p>}
      {items?.length === 0 && <p class="muted">Nothing here. Well done.</p>}
      {items && items.length > 0 && (
        <ol class="queue plain" aria-label={`${QUEUE_LABELS[queue]} comments`} aria-live="polite">
          {items.map((item) => (
            <QueueCard key={item.id} item={item} queue={queue} onGone={gone} />
          ))}
        </ol>
      )}
      {cursor && (
        <button type="button" onClick={() => void load(queue, cursor)}>
          More
        </button>
      )}
    </section>
  );
}

function Settings() {
  const [articles, setArticles] = useState<ArticleSummary[]>([]);
  const [slug, setSlug] = useState('');
  const [settings, setSettings] = useState<ArticleSettings | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      let cursor: string | null = null;
      const all: ArticleSummary[] = [];
      for (let page = 0; page < 10; page++) {
        const result = await api.articles(cursor);
        all.push(...result.items);
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
      }
      setArticles(all);
    })().catch(() => setError('The essays could not be loaded.'));
  }, []);

  useEffect(() => {
    setSettings(null);
    setStatus(null);
    if (slug)
      api.article(slug).then(
        (a) => setSettings(a.settings),
        () => setError('The essay could not be loaded.'),
      );
  }, [slug]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!settings) return;
    setError(null);
    try {
      setSettings(await api.settings(slug, settings));
      setStatus('Saved.');
      announceChange();
    } catch (e) {
      setError(errorMessage(e, 'The settings could not be saved.'));
    }
  };

  return (
    <section id="settings" class="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">An essay’s discussion</h2>
      <label>
        Essay{' '}
        <select value={slug} onChange={(e) => setSlug(e.currentTarget.value)}>
          <option value="">Pick an essay…</option>
          {articles.map((a) => (
            <option key={a.id} value={a.slug}>
              {a.title}
            </option>
          ))}
        </select>
      </label>
      {settings && (
        <form onSubmit={(e) => void save(e)} class="settings-form">
          <label class="check">
            <input
              type="checkbox"
              checked={settings.locked}
              onChange={(e) => setSettings({ ...settings, locked: e.currentTarget.checked })}
            />{' '}
            Locked (no new comments)
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={settings.premoderation}
              onChange={(e) => setSettings({ ...settings, premoderation: e.currentTarget.checked })}
            />{' '}
            Premoderation (new comments wait for a moderator)
          </label>
          <label>
            Slow mode, seconds between comments per reader{' '}
            <input
              type="number"
              min={0}
              max={86400}
              value={settings.slowModeSeconds}
              onInput={(e) => setSettings({ ...settings, slowModeSeconds: Number(e.currentTarget.value) || 0 })}
            />
          </label>
          <button type="submit" class="primary">
            Save the settings
          </button>
          {status && <p role="status">{status}</p>}
        </form>
      )}
      <FormError message={error} />
    </section>
  );
}

const SECTIONS = [
  ['queues', 'Queues'],
  ['bans', 'Bans'],
  ['banned-words', 'Banned words'],
  ['settings', 'An essay’s discussion'],
  ['log', 'Log'],
] as const;

/** The moderators' view: the three queues (live), the bans, the banned words, an essay's settings and the log. */
export function ModerationView() {
  const user = useStore(session);
  useEffect(() => {
    document.title = 'Moderation · Essay forum';
  }, []);
  if (user === undefined) return <p class="muted page-loading">Loading…</p>;
  if (!isModerator(user)) {
    return (
      <section class="notice">
        <h1>Moderation</h1>
        <p>
          This page is for moderators{user ? '' : ': sign in with a moderator’s account'}.{' '}
          <a href="/">Back to the essays.</a>
        </p>
      </section>
    );
  }
  return (
    <div class="moderation">
      <h1>Moderation</h1>
      <nav aria-label="Moderation sections" class="mod-nav">
        <ul class="plain">
          {SECTIONS.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <Queues />
      <ModerationBans />
      <ModerationWords />
      <Settings />
      <ModerationLog />
    </div>
  );
}
