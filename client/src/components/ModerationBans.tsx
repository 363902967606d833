import { useRef, useState } from 'preact/hooks';
import { ApiError, type BannedUser, findApi, LOGIN_USERNAME_MAX, moderationApi, type User } from '../api.js';
import { timeAgo } from '../format.js';
import { AuthorName } from './AuthorName.js';
import { BanForm } from './ModerationBanForm.js';
import { FormError } from './FormError.js';
import { announceChange, dateTime, errorMessage, usePagedList } from './moderation-shared.js';

function BanItem({ ban, onUnban }: { ban: BannedUser; onUnban: (ban: BannedUser) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const { user } = ban;
  return (
    <li class="mod-row" id={`ban-${user.id}`} tabIndex={-1}>
      <div class="mod-row-text">
        <p class="mod-row-title">
          <AuthorName user={user} />
        </p>
        <p class="muted">
          {ban.until ? (
            <>
              Until <time dateTime={ban.until}>{dateTime(ban.until)}</time>
            </>
          ) : (
            'No end date'
          )}
          {ban.bannedAt && (
            <>
              {' · banned '}
              <time dateTime={ban.bannedAt} title={dateTime(ban.bannedAt)}>
                {timeAgo(ban.bannedAt)}
              </time>
            </>
          )}
          {ban.bannedBy && (
            <>
              {' by '}
              <span class="actor">
                <AuthorName user={ban.bannedBy} />
              </span>
            </>
          )}
        </p>
        <p class="mod-reason">Reason: {ban.reason}</p>
      </div>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void onUnban(ban).finally(() => setBusy(false));
        }}
      >
        Unban<span class="visually-hidden"> {user.displayName}</span>
      </button>
    </li>
  );
}

/**
 * Bans a user named by their username, for someone a moderator hears of elsewhere than the queues: the name is looked
 * up (the public profile), then the same ban form as in the queues.
 */
function BanByUsername({ onBanned }: { onBanned: (text: string) => void }) {
  const [username, setUsername] = useState('');
  const [found, setFound] = useState<User | null>(null);
  const [error, setError] = useState<string | null>(null);
  const find = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setFound(null);
    const name = username.trim().replace(/^@/, '');
    if (!name) return;
    try {
      setFound((await findApi.profile(name)).user);
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 404
          ? `No one has the username “${name}”.`
          : errorMessage(e, 'The user could not be looked up.'),
      );
    }
  };
  return (
    <details class="ban-by-name">
      <summary>Ban someone by username</summary>
      <form class="inline-form" onSubmit={(e) => void find(e)}>
        <label>
          Username
          <input
            value={username}
            maxLength={LOGIN_USERNAME_MAX}
            autocomplete="off"
            onInput={(e) => {
              setUsername(e.currentTarget.value);
              setFound(null);
            }}
          />
        </label>
        <button type="submit">Find</button>
      </form>
      <FormError message={error} />
      {found && (
        <BanForm
          author={found}
          onDone={(text) => {
            setFound(null);
            if (text) {
              setUsername('');
              onBanned(text);
            }
          }}
        />
      )}
    </details>
  );
}

/** The users under a ban in force, newest ban first, each with a way to lift it; a ban by username. */
export function ModerationBans() {
  const list = usePagedList(moderationApi.bans, 'bans', (b) => b.user.id);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const unban = async (ban: BannedUser) => {
    setError(null);
    try {
      await moderationApi.unban(ban.user.id);
    } catch (e) {
      setError(errorMessage(e, 'The ban could not be lifted.'));
      return;
    }
    const shown = list.items ?? [];
    const index = shown.findIndex((b) => b.user.id === ban.user.id);
    const rest = shown.filter((b) => b.user.id !== ban.user.id);
    list.setItems(rest);
    setStatus(`${ban.user.displayName} may write again.`);
    const next = rest[Math.min(index, rest.length - 1)];
    queueMicrotask(() => (next ? document.getElementById(`ban-${next.user.id}`) : heading.current)?.focus());
    announceChange();
  };

  const { items } = list;
  return (
    <section id="bans" class="mod-section" aria-labelledby="bans-title">
      <h2 id="bans-title" tabIndex={-1} ref={heading}>
        Bans
      </h2>
      <p role="status" class="mod-status">
        {status}
      </p>
      <FormError message={error ?? list.error} />
      <BanByUsername onBanned={setStatus} />
      {items === null && !list.error && <p class="muted">Loading…</p>}
      {items?.length === 0 && <p class="muted">No one is banned.</p>}
      {items && items.length > 0 && (
        <ul class="plain mod-list" aria-label="Banned users">
          {items.map((ban) => (
            <BanItem key={ban.user.id} ban={ban} onUnban={unban} />
          ))}
        </ul>
      )}
      {list.cursor && (
        <button type="button" disabled={list.loading} onClick={list.more}>
          More bans
        </button>
      )}
    </section>
  );
}
