import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { tellHostBlocks } from '../embed/frame.js';
import { SIGNED_IN_MESSAGE } from '../embed/protocol.js';
import { unreadCount } from '../inbox.js';
import { queryParameter } from '../router.js';
import { session, signOut } from '../session.js';
import { useStore } from '../store.js';
import { askToSignIn, authDialog } from '../ui.js';
import { ArticleView } from './ArticleView.js';
import { SignInDialog } from './Header.js';
import { Notices } from './Notices.js';
import { NotificationsView } from './NotificationsView.js';
import { PageNotice } from './PageNotice.js';
import { QuoteButton } from './QuoteButton.js';

/**
 * The frame's bar: whose discussion this is, and the reader's account (signing in or up opens the forum's popup). The
 * bell opens the reader's notifications inside the frame, where the token is: the forum's own page, in a tab beside
 * the publisher's, may not know them (it signs in by a cookie, and a reader may have signed in only here).
 */
function EmbedBar({ inbox, onInbox }: { inbox: boolean; onInbox: () => void }) {
  const user = useStore(session);
  const unread = useStore(unreadCount);
  const label = unread ? `Notifications, ${unread} unread` : 'Notifications, none unread';
  return (
    <header class="site-header embed-bar">
      <div class="bar">
        <a class="brand" href="/">
          Essay forum
        </a>
        <nav aria-label="Account" class="account">
          {user === undefined ? null : user ? (
            <>
              <button
                type="button"
                class={unread ? 'bell unread' : 'bell'}
                aria-label={label}
                title={label}
                aria-expanded={inbox}
                aria-controls="embed-inbox"
                onClick={onInbox}
              >
                <span class="bell-icon" aria-hidden="true" />
                {unread ? <span class="bell-count">{unread > 99 ? '99+' : unread}</span> : null}
              </button>
              <span class="whoami">
                <span class="whoami-label">Signed in as </span>
                <span title={user.displayName}>{user.displayName}</span>
              </span>
              <button type="button" class="link" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <>
              <button type="button" class="link" onClick={(event) => askToSignIn(event)}>
                Sign in
              </button>
              <button type="button" class="link" onClick={(event) => askToSignIn(event, { mode: 'sign-up' })}>
                Sign up
              </button>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}

/**
 * The thread of `/embed/articles/:slug`, or of the essay whose canonical address the publisher's page gave
 * (`/embed/articles/by-url?url=`: `by-url` is never a slug).
 */
function EmbedThread({ slug }: { slug: string }) {
  const [resolved, setResolved] = useState<string | null>(slug === 'by-url' ? null : slug);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (resolved !== null) return;
    const url = queryParameter('url') ?? '';
    api.articleByUrl(url).then(
      (article) => setResolved(article.slug),
      (e: unknown) =>
        setError(
          e instanceof ApiError && e.status === 404
            ? 'No discussion for this page yet.'
            : 'The discussion could not be loaded.',
        ),
    );
  }, []);
  if (error) return <PageNotice title={error} />;
  return resolved === null ? <p class="muted">Loading…</p> : <ArticleView slug={resolved} embedded={tellHostBlocks} />;
}

/**
 * The sign-in popup that the embedded discussion opens: the forum's own page, so its cookie is first-party. Once the
 * reader is signed in here (already, or with the form), it opens a session of the frame's own and posts its token to
 * the window that opened it, only if that window is of the forum's origin (the frame), then closes.
 */
function SignInPopup() {
  const user = useStore(session);
  const [error, setError] = useState<string | null>(null);
  const before = useRef(user);

  const handOver = async () => {
    setError(null);
    try {
      const { token } = await api.openSession();
      (window.opener as Window | null)?.postMessage({ type: SIGNED_IN_MESSAGE, token }, window.location.origin);
      window.close();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Something went wrong; try again.');
    }
  };
  // Signed out: the sign-in dialog opens at once; closed without signing in (Cancel, Escape), the popup goes, since
  // there is nothing else to do here.
  useEffect(() => {
    if (user !== null || !window.opener) return;
    askToSignIn(null, {
      mode: queryParameter('mode') === 'sign-up' ? 'sign-up' : 'sign-in',
      purpose: 'To join the discussion, sign in or create an account. This window then closes.',
    });
    return authDialog.subscribe((request) => {
      if (request === null && session.value === null) window.close();
    });
  }, [user === null]);
  // Signed in with the form just now: that was the reader's consent, go on at once.
  useEffect(() => {
    if (before.current === null && user) void handOver();
    before.current = user;
  }, [user]);

  if (!window.opener) {
    return (
      <PageNotice title="Sign in from the discussion" text="This window signs you in to an embedded discussion." />
    );
  }
  if (user === undefined) return <p class="muted">Loading…</p>;
  if (user) {
    return (
      <section class="notice">
        <h1>Join the discussion</h1>
        <p>You are signed in to Essay forum as {user.displayName}.</p>
        {error && <p role="alert">{error}</p>}
        <div class="actions">
          <button type="button" class="primary" onClick={() => void handOver()}>
            Continue as {user.displayName}
          </button>
          <button type="button" class="link" onClick={() => void signOut()}>
            Use another account
          </button>
        </div>
      </section>
    );
  }
  return <SignInDialog />;
}

/** A path segment decoded; null when its percent-encoding is malformed (the address names nothing). */
function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The client in a frame on a publisher's page (`/embed/articles/:slug`), or in the sign-in popup it opens (`/sign-in`). */
export function EmbedApp() {
  const path = window.location.pathname;
  const article = /^\/embed\/articles\/([^/]+)\/?$/.exec(path);
  if (/^\/sign-in\/?$/.test(path)) {
    return (
      <main id="main" class="embed-popup">
        <SignInPopup />
      </main>
    );
  }
  const slug = article && decoded(article[1]);
  return <EmbedFrame slug={slug} />;
}

/** The discussion, and the signed-in reader's notifications above it when they open them (the thread stays as it was). */
function EmbedFrame({ slug }: { slug: string | null }) {
  const user = useStore(session);
  const [inbox, setInbox] = useState(false);
  const open = inbox && !!user;
  return (
    <>
      <EmbedBar inbox={open} onInbox={() => setInbox(!open)} />
      <Notices />
      <main id="main" tabIndex={-1}>
        {open && (
          <div id="embed-inbox" class="embed-inbox">
            <NotificationsView />
            <button
              type="button"
              class="link"
              onClick={() => {
                setInbox(false);
                // The button goes with the list: the focus goes back to the bell that opened it.
                document.querySelector<HTMLElement>('.embed-bar .bell')?.focus();
              }}
            >
              Back to the discussion
            </button>
          </div>
        )}
        <div hidden={open}>{slug ? <EmbedThread slug={slug} /> : <PageNotice title="Not found" />}</div>
      </main>
      <QuoteButton />
    </>
  );
}
