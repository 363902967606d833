import { useEffect, useState } from 'preact/hooks';
import { unreadCount } from '../inbox.js';
import { queueCounts, waiting } from '../moderation-counts.js';
import { notify } from '../notices.js';
import { isModerator, session, signOut } from '../session.js';
import { location } from '../router.js';
import { useStore } from '../store.js';
import { askToSignIn, authDialog } from '../ui.js';
import { SearchForm } from './SearchForm.js';

type AuthDialogModule = typeof import('./AuthDialog.js');

/**
 * The sign-in dialog, whenever something asks for it. Its code is a chunk of its own, loaded the first time: a reader
 * who never signs in never downloads it.
 */
export function SignInDialog() {
  const request = useStore(authDialog);
  const [loaded, setLoaded] = useState<AuthDialogModule | null>(null);
  useEffect(() => {
    if (!request || loaded) return;
    import('./AuthDialog.js').then(setLoaded, () => {
      authDialog.set(null);
      request.opener?.focus({ preventScroll: true });
      notify('The sign-in form could not be loaded. Check the connection and try again.');
    });
  }, [request]);
  return request && loaded ? <loaded.AuthDialog request={request} /> : null;
}

/** The bell: how many notifications are unread, in words for screen readers and as a number on the bell. */
function Bell() {
  const count = useStore(unreadCount);
  const label = count ? `Notifications, ${count} unread` : 'Notifications, none unread';
  return (
    <a class={count ? 'bell unread' : 'bell'} href="/notifications" aria-label={label} title={label}>
      <span class="bell-icon" aria-hidden="true" />
      {count ? <span class="bell-count">{count > 99 ? '99+' : count}</span> : null}
    </a>
  );
}

/** The moderators' link, with the comments waiting for a decision (pending and reported) as a number on it. */
function ModerationLink() {
  const counts = useStore(queueCounts);
  const count = counts ? waiting(counts) : 0;
  // The name is the visible word followed by the count in words, so that what is seen is what a voice user says.
  return (
    <a class="mod-link" href="/moderation">
      Moderation
      {count ? (
        <>
          <span class="bell-count" aria-hidden="true">
            {count > 99 ? '99+' : count}
          </span>
          <span class="visually-hidden">, {count} waiting</span>
        </>
      ) : null}
    </a>
  );
}

export function Header() {
  const user = useStore(session);
  // On the results page the box holds what was searched, to refine it.
  const { path, search } = useStore(location);
  const searched = path === '/search' ? search : '';
  return (
    <header class="site-header">
      <div class="bar">
        <a class="brand" href="/">
          Essay forum
        </a>
        <SearchForm id="header-search-q" initial={new URLSearchParams(searched).get('q') ?? ''} />
        <nav aria-label="Account" class={user && isModerator(user) ? 'account moderating' : 'account'}>
          {user === undefined ? null : user ? (
            <>
              {isModerator(user) && <ModerationLink />}
              <Bell />
              {/* A long name is cut short on screen (whole on hover and for screen readers); on a phone the words
                  before it are for screen readers only, so that Sign out keeps its place on the line. */}
              <span class="whoami">
                <span class="whoami-label">Signed in as </span>
                <a href="/account" title={user.displayName}>
                  {user.displayName}
                </a>
              </span>
              <button type="button" class="link" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <>
              <button type="button" class="link" aria-haspopup="dialog" onClick={(e) => askToSignIn(e)}>
                Sign in
              </button>
              <button
                type="button"
                class="link"
                aria-haspopup="dialog"
                onClick={(e) => askToSignIn(e, { mode: 'sign-up' })}
              >
                Sign up
              </button>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
