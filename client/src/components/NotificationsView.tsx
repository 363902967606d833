import { useEffect, useRef, useState } from 'preact/hooks';
import { accountApi, ApiError, type Notification } from '../api.js';
import { formatDate, timeAgo } from '../format.js';
import { onNotification, setUnreadCount, unreadCount } from '../inbox.js';
import { session } from '../session.js';
import { useStore } from '../store.js';
import { askToSignIn } from '../ui.js';
import { FormError } from './FormError.js';
import { UsernameAndRole } from './AuthorName.js';

const PAGE = 20;

/** What happened, after the name of who did it: "replied to your comment", "removed your comment". */
const DID: Record<Notification['kind'], string> = {
  reply: 'replied to your comment',
  mention: 'mentioned you',
  quote: 'quoted your comment',
  followed: 'commented in a discussion you follow',
  approved: 'approved your comment',
  removed: 'removed your comment',
  restored: 'restored your comment',
};

const MODERATION_KINDS = new Set<Notification['kind']>(['approved', 'removed', 'restored']);

function dayKey(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

/** "Today", "Yesterday", or the date: the heading of one day's notifications. */
function dayTitle(iso: string, now = new Date()): string {
  const key = dayKey(iso);
  if (key === dayKey(now.toISOString())) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (key === dayKey(yesterday.toISOString())) return 'Yesterday';
  return formatDate(iso);
}

/**
 * Consecutive notifications of one day under one heading. By day rather than by essay: the list is newest first and
 * paged, so a group by day only ever grows at its end as pages load, and a notification that arrives live joins the
 * top group; groups by essay would reshuffle with every page.
 */
function byDay(items: Notification[]): { key: string; title: string; items: Notification[] }[] {
  const groups: { key: string; title: string; items: Notification[] }[] = [];
  for (const item of items) {
    const key = dayKey(item.createdAt);
    const last = groups[groups.length - 1];
    if (last?.key === key) last.items.push(item);
    else groups.push({ key, title: dayTitle(item.createdAt), items: [item] });
  }
  return groups;
}

function CommentShown({ notification }: { notification: Notification }) {
  const comment = notification.comment;
  if (!comment) return <p class="placeholder">This comment is no longer there.</p>;
  if (comment.html === null)
    return (
      <p class="placeholder">{comment.status === 'deleted' ? 'Deleted by its author.' : 'Removed by a moderator.'}</p>
    );
  // The server's sanitised rendering, as the reader may see the comment now.
  return <div class="comment-body" dangerouslySetInnerHTML={{ __html: comment.html }} />;
}

function NotificationItem({
  notification,
  onRead,
}: {
  notification: Notification;
  onRead: (id: string) => Promise<void>;
}) {
  const { kind, actor, article, comment } = notification;
  const unread = notification.readAt === null;
  const moderation = MODERATION_KINDS.has(kind);
  const who = actor?.displayName ?? (moderation ? 'A moderator' : 'Someone');
  return (
    <li class={unread ? 'notification unread' : 'notification'} data-notification-id={notification.id}>
      <p class="notification-what">
        {unread && <span class="badge unread-badge">Unread</span>} <strong>{who}</strong>{' '}
        {actor && (
          <>
            <UsernameAndRole user={actor} />{' '}
          </>
        )}
        {DID[kind]}
        {article && (
          <>
            {' in '}
            <a href={`/articles/${encodeURIComponent(article.slug)}`}>{article.title}</a>
          </>
        )}{' '}
        <time class="muted" dateTime={notification.createdAt}>
          {timeAgo(notification.createdAt)}
        </time>
      </p>
      {moderation && notification.reason && <p class="notification-reason">Reason: {notification.reason}</p>}
      <CommentShown notification={notification} />
      <p class="notification-actions">
        {comment && (
          <a
            href={`/comments/${encodeURIComponent(comment.id)}`}
            onClick={() => {
              // Opening it reads it; the page moves on meanwhile, and the request finishes by itself.
              if (unread) void onRead(notification.id);
            }}
          >
            Open the comment
          </a>
        )}
        {unread && (
          <button type="button" class="link" onClick={() => void onRead(notification.id)}>
            Mark read
          </button>
        )}
      </p>
    </li>
  );
}

/** The reader's inbox: newest first, grouped by day, unread ones marked; new ones arrive live at the top. */
export function NotificationsView() {
  const me = useStore(session);
  const unread = useStore(unreadCount);
  const [items, setItems] = useState<Notification[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [onlyUnread, setOnlyUnread] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const generation = useRef(0);

  useEffect(() => {
    document.title = 'Notifications · Essay forum';
  }, []);

  const load = async (from: string | null) => {
    const run = ++generation.current;
    setBusy(true);
    try {
      const page = await accountApi.notifications({ limit: PAGE, cursor: from, unread: onlyUnread });
      if (run !== generation.current) return;
      setItems((shown) =>
        from ? [...(shown ?? []), ...page.items.filter((n) => !shown?.some((s) => s.id === n.id))] : page.items,
      );
      setCursor(page.nextCursor);
      setUnreadCount(page.unreadCount);
      setError(null);
    } catch (e) {
      if (run === generation.current)
        setError(e instanceof ApiError ? e.message : 'The notifications could not be loaded.');
    } finally {
      if (run === generation.current) setBusy(false);
    }
  };

  // Another reader signed in on this page (signed out, then in with another account): nothing of the one before
  // stays on screen while their own list loads.
  const reader = useRef(me?.id);
  useEffect(() => {
    if (reader.current === me?.id) return;
    reader.current = me?.id;
    setItems(null);
    setCursor(null);
  }, [me?.id]);
  useEffect(() => {
    if (!me) return;
    void load(null);
  }, [me?.id, onlyUnread]);

  useEffect(
    () =>
      onNotification((notification) =>
        setItems((shown) => (shown && !shown.some((n) => n.id === notification.id) ? [notification, ...shown] : shown)),
      ),
    [],
  );

  const markRead = async (ids?: string[]) => {
    try {
      const answer = await accountApi.markRead(ids);
      setUnreadCount(answer.unreadCount);
      const now = new Date().toISOString();
      setItems(
        (shown) => shown?.map((n) => (!ids || ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n)) ?? shown,
      );
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The notifications could not be marked read; try again.');
    }
  };

  if (me === undefined) return <p class="muted page-loading">Loading…</p>;
  if (me === null)
    return (
      <section class="notice">
        <h1>Notifications</h1>
        <p>
          <button type="button" class="primary" onClick={askToSignIn}>
            Sign in to see your notifications
          </button>
        </p>
      </section>
    );

  return (
    <section class="inbox" aria-labelledby="inbox-title">
      <div class="inbox-head">
        <h1 id="inbox-title">Notifications</h1>
        <div class="inbox-tools">
          <label class="check">
            <input type="checkbox" checked={onlyUnread} onChange={(e) => setOnlyUnread(e.currentTarget.checked)} />
            Show only unread
          </label>
          <button type="button" disabled={!unread} onClick={() => void markRead()}>
            Mark all read
          </button>
        </div>
      </div>
      <FormError message={error} />
      {items === null && !error && <p class="muted">Loading…</p>}
      {items?.length === 0 && (
        <p class="muted">{onlyUnread ? 'Nothing unread.' : 'No notifications yet. Replies to you will show here.'}</p>
      )}
      {items &&
        byDay(items).map((group) => (
          <section key={group.key} class="inbox-day" aria-label={group.title}>
            <h2>{group.title}</h2>
            <ol class="notifications">
              {group.items.map((n) => (
                <NotificationItem key={n.id} notification={n} onRead={(id) => markRead([id])} />
              ))}
            </ol>
          </section>
        ))}
      {cursor && (
        <button type="button" class="more-comments" disabled={busy} onClick={() => void load(cursor)}>
          {busy ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
