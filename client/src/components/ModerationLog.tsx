import type { ComponentChildren } from 'preact';
import { type LogEntry, moderationApi } from '../api.js';
import { AuthorName } from './AuthorName.js';
import { FormError } from './FormError.js';
import { dateTime, usePagedList } from './moderation-shared.js';

/** One changed setting, as a person would say it. */
function setting(key: string, value: unknown): string {
  const said = typeof value === 'boolean' ? (value ? 'on' : 'off') : JSON.stringify(value);
  if (key === 'slowModeSeconds') return value ? `slow mode ${said} s` : 'slow mode off';
  return `${key} ${said}`;
}

function words(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((w): w is string => typeof w === 'string') : [];
}

function userOf(entry: LogEntry): string {
  if (entry.user) return `${entry.user.displayName} (@${entry.user.username})`;
  return entry.userId ? `user ${entry.userId}` : 'a user';
}

function onArticle(entry: LogEntry): ComponentChildren {
  if (!entry.article) return null;
  return (
    <>
      {' on '}
      <a href={`/articles/${encodeURIComponent(entry.article.slug)}`}>{entry.article.title}</a>
    </>
  );
}

const COMMENT_VERBS = {
  'comment.approve': 'approved',
  'comment.remove': 'removed',
  'comment.restore': 'restored',
  'comment.feature': 'featured',
  'comment.unfeature': 'took the featured mark off',
};

/** What an entry says was done, to what: text and links only, never the server's strings as html. */
function whatWasDone(entry: LogEntry): ComponentChildren {
  const details = (
    entry.details && typeof entry.details === 'object' && !Array.isArray(entry.details) ? entry.details : {}
  ) as Record<string, unknown>;
  const comment = entry.commentId && (
    <a href={`/comments/${encodeURIComponent(entry.commentId)}`}>comment {entry.commentId}</a>
  );
  switch (entry.action) {
    case 'comment.approve':
    case 'comment.remove':
    case 'comment.restore':
    case 'comment.feature':
    case 'comment.unfeature':
      return (
        <>
          {COMMENT_VERBS[entry.action]} {comment}
          {onArticle(entry)}
        </>
      );
    case 'user.ban': {
      const until = typeof details.until === 'string' ? ` until ${dateTime(details.until)}` : ' without an end date';
      return `banned ${userOf(entry)}${until}`;
    }
    case 'user.unban':
      return `lifted the ban on ${userOf(entry)}`;
    case 'user.role':
      return typeof details.role === 'string'
        ? `made ${userOf(entry)} ${details.role === 'admin' ? 'an' : 'a'} ${details.role}`
        : `changed the role of ${userOf(entry)}`;
    case 'banned-words.update': {
      const added = words(details.added);
      const removed = words(details.removed);
      const changes = [
        added.length ? `added ${added.join(', ')}` : '',
        removed.length ? `removed ${removed.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      return `updated the banned words${changes ? `: ${changes}` : ' (no change)'}`;
    }
    case 'article.create':
      return entry.article ? (
        <>
          published <a href={`/articles/${encodeURIComponent(entry.article.slug)}`}>{entry.article.title}</a>
        </>
      ) : (
        'published an essay'
      );
    case 'article.revise':
      return entry.article ? (
        <>
          revised <a href={`/articles/${encodeURIComponent(entry.article.slug)}`}>{entry.article.title}</a>
        </>
      ) : (
        'revised an essay'
      );
    case 'article.settings': {
      const changes = Object.entries(details)
        .map(([key, value]) => setting(key, value))
        .join(', ');
      return (
        <>
          changed the settings{onArticle(entry)}
          {changes && `: ${changes}`}
        </>
      );
    }
  }
}

/** Every moderator and admin action, newest first, paged. */
export function ModerationLog() {
  const list = usePagedList(moderationApi.log, 'log', (e) => e.id);
  const { items } = list;
  return (
    <section id="log" class="mod-section" aria-labelledby="log-title">
      <h2 id="log-title">Log</h2>
      <FormError message={list.error} />
      {items === null && !list.error && <p class="muted">Loading…</p>}
      {items?.length === 0 && <p class="muted">No moderator has acted yet.</p>}
      {items && items.length > 0 && (
        <ol class="plain mod-list" aria-label="Moderation log">
          {items.map((entry) => (
            <li key={entry.id} class="log-entry">
              <p>
                <span class="actor">
                  <AuthorName user={entry.actor} />
                </span>{' '}
                {whatWasDone(entry)}
              </p>
              {entry.reason && <p class="mod-reason">Reason: {entry.reason}</p>}
              <p class="muted">
                <time dateTime={entry.createdAt}>{dateTime(entry.createdAt)}</time>
              </p>
            </li>
          ))}
        </ol>
      )}
      {list.cursor && (
        <button type="button" disabled={list.loading} onClick={list.more}>
          More of the log
        </button>
      )}
    </section>
  );
}
