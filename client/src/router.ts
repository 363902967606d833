import { Store } from './store.js';

export type Route =
  | { page: 'home' }
  | { page: 'article'; slug: string }
  | { page: 'article-new' }
  | { page: 'article-edit'; slug: string }
  | { page: 'article-revision'; slug: string; revision: number }
  | { page: 'comment'; id: string }
  | { page: 'moderation' }
  | { page: 'notifications' }
  | { page: 'account' }
  | { page: 'verify-email' }
  | { page: 'reset-password' }
  | { page: 'profile'; username: string }
  | { page: 'search' }
  | { page: 'not-found' };

/** Pages named by their path alone (the links mailed to readers carry a `?token=` that the page reads). */
const FIXED_PAGES = {
  '/moderation': 'moderation',
  '/notifications': 'notifications',
  '/account': 'account',
  '/verify-email': 'verify-email',
  '/reset-password': 'reset-password',
  '/search': 'search',
} as const;

/** The client's pages; the server answers each of these paths with index.html. */
export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' };
  const fixed = FIXED_PAGES[pathname.replace(/(.)\/$/, '$1') as keyof typeof FIXED_PAGES] as
    (typeof FIXED_PAGES)[keyof typeof FIXED_PAGES] | undefined;
  if (fixed) return { page: fixed };
  // The publish screen: no essay is given the slug `new` (src/articles/free-slug.ts).
  if (/^\/articles\/new\/?$/.test(pathname)) return { page: 'article-new' };
  const article = /^\/articles\/([^/]+)\/?$/.exec(pathname);
  const slug = article && decodeSegment(article[1]);
  if (slug) return { page: 'article', slug };
  const edit = /^\/articles\/([^/]+)\/edit\/?$/.exec(pathname);
  const editSlug = edit && decodeSegment(edit[1]);
  if (editSlug) return { page: 'article-edit', slug: editSlug };
  const revision = /^\/articles\/([^/]+)\/revisions\/([1-9]\d{0,8})\/?$/.exec(pathname);
  const revisionSlug = revision && decodeSegment(revision[1]);
  if (revision && revisionSlug) return { page: 'article-revision', slug: revisionSlug, revision: Number(revision[2]) };
  const profile = /^\/users\/([^/]+)\/?$/.exec(pathname);
  const username = profile && decodeSegment(profile[1]);
  if (username) return { page: 'profile', username };
  const comment = /^\/comments\/([^/]+)\/?$/.exec(pathname);
  const id = comment && decodeSegment(comment[1]);
  if (id) return { page: 'comment', id };
  return { page: 'not-found' };
}

/** A path segment decoded, or null when its percent-encoding is malformed (`%`, `%E0%A4%A`): such a path names nothing. */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export const location = new Store<{ path: string; hash: string; search: string }>({
  path: window.location.pathname,
  hash: window.location.hash,
  search: window.location.search,
});

/** A query parameter of the current address (`token` of a mailed link). */
export function queryParameter(name: string): string | null {
  return new URLSearchParams(window.location.search).get(name);
}

export function navigate(href: string): void {
  const url = new URL(href, window.location.href);
  if (url.pathname !== window.location.pathname || url.search !== window.location.search) window.scrollTo(0, 0);
  history.pushState(null, '', url.pathname + url.search + url.hash);
  location.set({ path: url.pathname, hash: url.hash, search: url.search });
}

/** Links to the client's own pages change the view without a page load; everything else (the API, other sites) loads. */
export function startRouter(): void {
  window.addEventListener('popstate', () =>
    location.set({ path: window.location.pathname, hash: window.location.hash, search: window.location.search }),
  );
  document.addEventListener('click', (event) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
    if (url.pathname === window.location.pathname && url.hash) return; // in-page anchor: the browser scrolls
    if (parseRoute(url.pathname).page === 'not-found') return;
    event.preventDefault();
    navigate(url.href);
  });
}
