import { useEffect, useState } from 'preact/hooks';
import { accountApi, ApiError } from '../api.js';
import { queryParameter } from '../router.js';
import { accountChanged, loadSession, session } from '../session.js';
import { askToSignIn } from '../ui.js';
import { FormError } from './FormError.js';
import { NewPasswordField } from './NewPasswordField.js';

/**
 * The address of a mailed link, without its token: once the page has read it, the token leaves the address bar and
 * the history (a shared screen or a later visitor of the same browser should not find it).
 */
function forgetToken(): void {
  history.replaceState(null, '', window.location.pathname);
}

/** `/verify-email?token=…`: uses the mailed link at once and says what happened. */
export function VerifyEmailView() {
  const [state, setState] = useState<{ outcome: 'working' | 'verified' | 'failed'; text?: string }>({
    outcome: 'working',
  });
  useEffect(() => {
    document.title = 'Verify your e-mail · Essay forum';
    const token = queryParameter('token');
    forgetToken();
    if (!token) {
      setState({ outcome: 'failed', text: 'This address has no link token: open the link from the mail again.' });
      return;
    }
    accountApi.verifyEmail(token).then(
      (answer) => {
        // The same user in this browser: the account page and the header show the new state.
        if (session.value?.id === answer.user.id) accountChanged(answer);
        setState({ outcome: 'verified', text: answer.account.email ?? undefined });
      },
      (e: unknown) =>
        setState({
          outcome: 'failed',
          text: e instanceof ApiError ? e.message : 'The link could not be checked; try again.',
        }),
    );
  }, []);
  return (
    <section class="notice token-page" aria-labelledby="verify-title">
      <h1 id="verify-title">Verify your e-mail</h1>
      {state.outcome === 'working' && <p class="muted">Checking the link…</p>}
      {state.outcome === 'verified' && (
        <p role="status">
          Your address {state.text && <strong>{state.text}</strong>} is verified. <a href="/account">Your account</a> ·{' '}
          <a href="/">the essays</a>
        </p>
      )}
      {state.outcome === 'failed' && (
        <>
          <FormError message={state.text} />
          <p>
            From <a href="/account">your account</a> you can have a new link sent.
          </p>
        </>
      )}
    </section>
  );
}

/** `/reset-password?token=…`: a new password for the account the link was mailed for, then sign in. */
export function ResetPasswordView() {
  const [token] = useState(() => queryParameter('token'));
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  useEffect(() => {
    document.title = 'Choose a new password · Essay forum';
    forgetToken();
  }, []);
  const save = async (event: Event) => {
    event.preventDefault();
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      await accountApi.confirmReset(token, password);
      setDone(true);
      // Every session of the account ended, this browser's too if it was signed in as that user.
      void loadSession();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The password could not be changed; try again.');
    } finally {
      setBusy(false);
    }
  };
  if (done)
    return (
      <section class="notice token-page" aria-labelledby="reset-title">
        <h1 id="reset-title">Choose a new password</h1>
        <p role="status">Your password is changed, and every session of your account was signed out.</p>
        <p>
          <button type="button" class="primary" onClick={askToSignIn}>
            Sign in with the new password
          </button>
        </p>
      </section>
    );
  return (
    <section class="notice token-page" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      {token ? (
        <form class="settings-block" onSubmit={(e) => void save(e)} aria-labelledby="reset-title">
          <NewPasswordField name="password" value={password} onInput={setPassword} />
          <FormError message={error} />
          <button type="submit" class="primary" disabled={busy}>
            Set the new password
          </button>
        </form>
      ) : (
        <FormError message="This address has no link token: open the link from the mail again." />
      )}
    </section>
  );
}
