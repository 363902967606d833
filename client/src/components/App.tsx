import { type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { location, parseRoute } from '../router.js';
import { useStore } from '../store.js';
import { ArticleList } from './ArticleList.js';
import { ArticleView } from './ArticleView.js';
import { EssayEditor } from './EssayEditor.js';
import { EssayPublisher } from './EssayPublisher.js';
import { RevisionView } from './RevisionView.js';
import { Header, SignInDialog } from './Header.js';
import { Notices } from './Notices.js';
import { PermalinkView } from './PermalinkView.js';
import { QuoteButton } from './QuoteButton.js';
import { PageNotice } from './PageNotice.js';
import { NotificationsView } from './NotificationsView.js';
import { AccountView } from './AccountView.js';
import { ThemeToggle } from './ThemeToggle.js';
import { ResetPasswordView, VerifyEmailView } from './TokenPages.js';

/**
 * A page loaded as a chunk of its own on first use (profiles, search, the moderators' view), so the reading view's
 * bundle does not carry it. `load` gives the module's component; until it arrives the page says it is loading.
 */
function Lazy<P extends object>({ load, props }: { load: () => Promise<ComponentType<P>>; props: P }) {
  const [Page, setPage] = useState<ComponentType<P> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    load().then(
      (component) => setPage(() => component),
      () => setFailed(true),
    );
  }, [load]);
  if (failed) return <PageNotice title="Not loaded" text="This page could not be loaded. Try again." />;
  return Page ? <Page {...props} /> : <p class="muted">Loading…</p>;
}

const loadProfile = () => import('./ProfileView.js').then((m) => m.ProfileView);
const loadSearch = () => import('./SearchView.js').then((m) => m.SearchView);
const loadModeration = () => import('./ModerationView.js').then((m) => m.ModerationView);

export function App() {
  const { path } = useStore(location);
  const route = parseRoute(path);
  useEffect(() => {
    if (route.page === 'home') document.title = 'Essay forum';
    if (route.page === 'not-found') document.title = 'Not found · Essay forum';
  }, [route.page]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <Header />
      <Notices />
      <main id="main" tabIndex={-1}>
        {route.page === 'home' && <ArticleList />}
        {route.page === 'article' && <ArticleView key={route.slug} slug={route.slug} />}
        {route.page === 'article-new' && <EssayPublisher />}
        {route.page === 'article-edit' && <EssayEditor key={route.slug} slug={route.slug} />}
        {route.page === 'article-revision' && (
          <RevisionView key={`${route.slug}/${route.revision}`} slug={route.slug} revision={route.revision} />
        )}
        {route.page === 'comment' && <PermalinkView key={route.id} id={route.id} />}
        {route.page === 'moderation' && <Lazy load={loadModeration} props={{}} />}
        {route.page === 'notifications' && <NotificationsView />}
        {route.page === 'account' && <AccountView />}
        {route.page === 'verify-email' && <VerifyEmailView />}
        {route.page === 'reset-password' && <ResetPasswordView />}
        {route.page === 'profile' && (
          <Lazy key={route.username} load={loadProfile} props={{ username: route.username }} />
        )}
        {route.page === 'search' && <Lazy load={loadSearch} props={{}} />}
        {route.page === 'not-found' && <PageNotice title="Not found" text="There is nothing at this address." />}
      </main>
      <footer class="site-footer">
        <ThemeToggle />
      </footer>
      {(route.page === 'article' || route.page === 'comment') && <QuoteButton />}
      <SignInDialog />
    </>
  );
}
