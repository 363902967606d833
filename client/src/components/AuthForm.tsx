import { useEffect, useRef, useState } from 'preact/hooks';
import {
  accountApi,
  ApiError,
  DISPLAY_NAME_MAX,
  EMAIL_MAX,
  PASSWORD_MAX,
  PASSWORD_MIN,
  USERNAME_MAX,
  USERNAME_MIN,
} from '../api.js';
import { signIn, signUp } from '../session.js';
import { authPanel } from '../ui.js';
import { FormError } from './FormError.js';

export function AuthForm({ mode }: { mode: 'sign-in' | 'sign-up' }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signingUp = mode === 'sign-up';

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (signingUp) await signUp(username.trim(), password, displayName.trim() || undefined);
      else await signIn(username.trim(), password);
      authPanel.set('closed');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Something went wrong; try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="auth-form" onSubmit={(e) => void submit(e)} aria-labelledby="auth-title">
      <h2 id="auth-title">{signingUp ? 'Create an account' : 'Sign in'}</h2>
      <label>
        Username
        <input
          id="auth-username"
          name="username"
          autoComplete="username"
          required
          minLength={USERNAME_MIN}
          maxLength={USERNAME_MAX}
          pattern="[A-Za-z0-9_\-]+"
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
        />
      </label>
      {signingUp && (
        <label>
          <span>
            Display name <span class="hint">(optional)</span>
          </span>
          <input
            name="displayName"
            autoComplete="nickname"
            maxLength={DISPLAY_NAME_MAX}
            value={displayName}
            onInput={(e) => setDisplayName(e.currentTarget.value)}
          />
        </label>
      )}
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete={signingUp ? 'new-password' : 'current-password'}
          required
          minLength={PASSWORD_MIN}
          maxLength={PASSWORD_MAX}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </label>
      <FormError message={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {signingUp ? 'Sign up' : 'Sign in'}
        </button>
        <button type="button" class="link" onClick={() => authPanel.set(signingUp ? 'sign-in' : 'sign-up')}>
          {signingUp ? 'I have an account' : 'Create an account instead'}
        </button>
        {!signingUp && (
          <button type="button" class="link" onClick={() => authPanel.set('forgot')}>
            Forgot your password?
          </button>
        )}
        <button type="button" class="link" onClick={() => authPanel.set('closed')}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * A reset link by mail. The answer is the same whether or not an account has the address (the server's too), so the
 * form cannot be used to learn who has an account here.
 */
export function ForgotPasswordForm() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await accountApi.requestReset(email.trim());
      setSent(true);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Something went wrong; try again.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="auth-form" onSubmit={(e) => void submit(e)} aria-labelledby="auth-title">
      <h2 id="auth-title">Forgot your password?</h2>
      {sent ? (
        <p role="status">If an account has this verified address, a link is on its way. It works once, for one hour.</p>
      ) : (
        <label>
          The e-mail address of your account
          <input
            ref={field}
            name="email"
            type="email"
            autoComplete="email"
            required
            maxLength={EMAIL_MAX}
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
      )}
      <FormError message={error} />
      <div class="actions">
        {!sent && (
          <button type="submit" class="primary" disabled={busy}>
            Send me a link
          </button>
        )}
        <button type="button" class="link" onClick={() => authPanel.set('sign-in')}>
          Back to sign in
        </button>
        <button type="button" class="link" onClick={() => authPanel.set('closed')}>
          Cancel
        </button>
      </div>
    </form>
  );
}
