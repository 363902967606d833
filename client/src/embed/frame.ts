/**
 * The embedded discussion's side of the conversation with the publisher's page (embed.ts is the other). The page
 * names its origin in the frame's address (`?origin=`); the frame believes it only when it is one of the origins the
 * server lets frame it (EMBED_ORIGINS, in the head) and, where the browser tells, the origin of the page that really
 * holds the frame. It posts its height only there, and takes the colour scheme only from that window at that origin.
 * Sign-in goes through a first-party popup of the forum, which hands back a token (see bearer.ts).
 */
import { onBearerRefused, restoreBearerToken, setBearerToken } from '../bearer.js';
import { reconnectLive } from '../live.js';
import { loadSession, session } from '../session.js';
import { type AuthMode, signInWith } from '../ui.js';
import type { Article } from '../api.js';
import { MAX_QUOTE } from '../api.js';
import { requestQuote } from '../quoting.js';
import { Store } from '../store.js';
import {
  BLOCKS_MESSAGE,
  foldWhiteSpace,
  HEIGHT_MESSAGE,
  PASSAGE_MESSAGE,
  QUOTE_MESSAGE,
  SCHEME_MESSAGE,
  SIGNED_IN_MESSAGE,
} from './protocol.js';

/** A passage of the host page whose comments the reader asked to see (its count pressed there); the view filters. */
export const passageRequest = new Store<{ blockId: string } | null>(null);

/** The host page's origin once checked (startFrame); null: the frame tells its parent nothing. */
let host: string | null = null;

/** Tells the host page the essay's blocks and their counts, for its paragraphs' counts and quotes. */
export function tellHostBlocks(article: Article): void {
  if (!host) return;
  const blocks = article.blocks.map((b) => ({ id: b.id, text: foldWhiteSpace(b.text), count: b.commentCount }));
  window.parent.postMessage({ type: BLOCKS_MESSAGE, blocks }, host);
}

/** What the host page asks of the discussion: a quote of one of the essay's passages, or a passage's comments. */
function fromHost(data: { type?: unknown; blockId?: unknown; text?: unknown }): void {
  if (typeof data.blockId !== 'string') return;
  if (data.type === PASSAGE_MESSAGE) passageRequest.set({ blockId: data.blockId });
  if (data.type !== QUOTE_MESSAGE || typeof data.text !== 'string') return;
  // The server checks the quote against the block, as it checks every quote.
  const text = data.text.trim();
  if (text && text.length <= MAX_QUOTE) requestQuote({ source: 'article', blockId: data.blockId, text }, null);
}

/** The host page's origin, when it passed the checks; null: the frame says nothing to its parent. */
function hostOrigin(): string | null {
  const claimed = new URLSearchParams(window.location.search).get('origin');
  if (!claimed || window.parent === window) return null;
  const allowed = (document.querySelector('meta[name="forum-embed-origins"]')?.getAttribute('content') ?? '')
    .split(' ')
    .filter(Boolean);
  // Chromium and WebKit tell who holds the frame; elsewhere the browser's own check of postMessage's target decides.
  const actual = (window.location as { ancestorOrigins?: DOMStringList }).ancestorOrigins?.[0];
  return allowed.includes(claimed) && (actual === undefined || actual === claimed) ? claimed : null;
}

function applyScheme(scheme: unknown): void {
  if (scheme === 'light' || scheme === 'dark') document.documentElement.setAttribute('data-theme', scheme);
}

/** Tells the host page the content's height whenever it changes; the page sizes the frame to it. */
function reportHeight(origin: string): void {
  let last = -1;
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, origin);
  };
  new ResizeObserver(post).observe(document.documentElement);
  post();
}

/**
 * Opens the forum's sign-in page in a popup (its sign-up form when that was asked) and takes the token it posts back
 * (only from that window, of this origin). What the reader had started (`then`: their reply box, a quote) resumes once
 * the frame shows them signed in, as it does after the dialog in the forum itself; closed without signing in, nothing
 * resumes.
 */
function openSignIn({ mode, then }: { mode: AuthMode; then: (() => void) | null }): void {
  const popup = window.open(
    mode === 'sign-up' ? '/sign-in?mode=sign-up' : '/sign-in',
    'essay-forum-sign-in',
    'popup,width=480,height=640',
  );
  if (!popup) {
    window.alert('Allow pop-up windows for this page to sign in to the discussion.');
    return;
  }
  window.removeEventListener('message', waiting);
  waiting = (event: MessageEvent) => {
    const data = event.data as { type?: unknown; token?: unknown } | null;
    if (event.origin !== window.location.origin || event.source !== popup || data?.type !== SIGNED_IN_MESSAGE) return;
    window.removeEventListener('message', waiting);
    if (typeof data.token !== 'string') return;
    setBearerToken(data.token);
    reconnectLive();
    void loadSession().then(() => {
      // After the page has drawn the signed-in reader (the reply box in place of "Sign in to comment").
      if (then && session.value) setTimeout(then);
    });
  };
  window.addEventListener('message', waiting);
}

/** The listener for the popup opened last: a second press of Sign in replaces the first popup's, and its `then`. */
let waiting: (event: MessageEvent) => void = () => undefined;

/** Starts an embedded page: in a frame, its session, its links (to the forum, in a new tab), its height and colour scheme, its sign-in. */
export function startFrame(): void {
  document.documentElement.classList.add('embedded');
  // The frame shows one discussion: every link (a permalink, a profile) opens the forum beside the host page.
  document.addEventListener('click', (event) => {
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.getAttribute('href')?.startsWith('#')) return;
    anchor.target = '_blank';
    anchor.rel = 'noopener';
  });
  // Not in a frame (the sign-in popup, or a visit to the address itself): the forum's cookie is first-party there.
  if (window.parent === window) return;
  restoreBearerToken();
  signInWith(openSignIn);
  // The live connection follows by itself: the server closes a connection whose session ended.
  onBearerRefused(() => void loadSession());
  const origin = hostOrigin();
  if (!origin) return;
  applyScheme(new URLSearchParams(window.location.search).get('scheme'));
  host = origin;
  window.addEventListener('message', (event) => {
    const data = event.data as { type?: unknown; scheme?: unknown; blockId?: unknown; text?: unknown } | null;
    if (event.source !== window.parent || event.origin !== origin || !data) return;
    if (data.type === SCHEME_MESSAGE) applyScheme(data.scheme);
    else fromHost(data);
  });
  reportHeight(origin);
}
