import { isModerator, session, signOut } from '../session.js';
import { useStore } from '../store.js';
import { authPanel } from '../ui.js';
import { AuthForm } from './AuthForm.js';

export function Header() {
  const user = useStore(session);
  const panel = useStore(authPanel);
  return (
    <header class="site-header">
      <div class="bar">
        <a class="brand" href="/">
          Essay forum
        </a>
        <nav aria-label="Account" class="account">
          {user === undefined ? null : user ? (
            <>
              {isModerator(user) && <a href="/moderation">Moderation</a>}
              <span class="whoami">
                Signed in as <strong>{user.displayName}</strong>
              </span>
              <button type="button" class="link" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <>
              <button
                type="button"
                class="link"
                aria-expanded={panel === 'sign-in'}
                onClick={() => authPanel.set(panel === 'sign-in' ? 'closed' : 'sign-in')}
              >
                Sign in
              </button>
              <button
                type="button"
                class="link"
                aria-expanded={panel === 'sign-up'}
                onClick={() => authPanel.set(panel === 'sign-up' ? 'closed' : 'sign-up')}
              >
                Sign up
              </button>
            </>
          )}
        </nav>
      </div>
      {!user && panel !== 'closed' && <AuthForm mode={panel} />}
    </header>
  );
}
