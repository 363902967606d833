import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { accountApi, DISPLAY_NAME_MAX, EMAIL_MAX, LOGIN_USERNAME_MAX, PASSWORD_MAX, USERNAME_MAX } from '../api.js';
import {
  type AuthField,
  checkFields,
  type FieldErrors,
  PASSWORD_RULE,
  refusalOf,
  USERNAME_RULE,
} from '../auth-form.js';
import { signIn, signUp } from '../session.js';
import { type AuthMode, type AuthRequest, authDialog } from '../ui.js';
import { FormError } from './FormError.js';
import { useForm } from './use-form.js';

const TITLES: Record<AuthMode, string> = {
  'sign-in': 'Sign in',
  'sign-up': 'Create an account',
  forgot: 'Forgot your password?',
};

/**
 * Signing in, signing up or asking for a reset link, in a modal dialog over the page the reader is on: nothing
 * scrolls, and what they were doing is there when it closes. Closed without signing in (Escape, Cancel, Close), the
 * focus goes back to the control that opened it; signed in, the request's `then` resumes what they were doing (their
 * reply box takes the focus), or the focus goes back to the opener if it is still on the page.
 */
export function AuthDialog({ request }: { request: AuthRequest }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [mode, setMode] = useState<AuthMode>(request.mode);
  const signedIn = useRef(false);

  useLayoutEffect(() => {
    const element = dialog.current!;
    element.showModal();
    return () => {
      if (element.open) element.close();
    };
  }, []);

  // However it closes (Escape included, which the browser handles), the page takes over from here.
  const closed = () => {
    authDialog.set(null);
    const { opener, openerTop, then } = request;
    if (!signedIn.current) {
      opener?.focus({ preventScroll: true });
      return;
    }
    // After the page has drawn the signed-in reader. What it added above the opener (the essay's reply box in place of
    // "Sign in to comment", when both were on screen) would push the reader's place down: it is put back.
    setTimeout(() => {
      if (opener?.isConnected) window.scrollBy(0, opener.getBoundingClientRect().top - openerTop);
      if (then) then();
      else if (opener?.isConnected) opener.focus({ preventScroll: true });
      else document.getElementById('main')?.focus({ preventScroll: true });
    });
  };
  const close = () => dialog.current?.close();
  const done = () => {
    signedIn.current = true;
    close();
  };

  return (
    <dialog
      ref={dialog}
      class="auth-dialog"
      aria-labelledby="auth-title"
      aria-describedby={request.purpose ? 'auth-purpose' : undefined}
      onClose={closed}
    >
      <div class="auth-dialog-head">
        <h2 id="auth-title">{TITLES[mode]}</h2>
        <button type="button" class="dialog-close" aria-label="Close" title="Close" onClick={close}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {request.purpose && (
        <p class="auth-purpose" id="auth-purpose">
          {request.purpose}
        </p>
      )}
      {mode === 'forgot' ? (
        <ForgotPasswordForm onMode={setMode} onCancel={close} />
      ) : (
        <AccountForm key={mode} signingUp={mode === 'sign-up'} onMode={setMode} onDone={done} onCancel={close} />
      )}
    </dialog>
  );
}

/** A field with its label, its rule (when it has one) and its error, which the input is described by. */
function Field({
  id,
  label,
  optional,
  rule,
  error,
  children,
}: {
  id: string;
  label: string;
  optional?: boolean;
  rule?: string;
  error?: string;
  children: (described: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ComponentChildren;
}) {
  const describedBy = [rule ? `${id}-rule` : '', error ? `${id}-error` : ''].join(' ').trim();
  return (
    <div class="auth-field">
      <label for={id}>
        {label}
        {optional && <span class="hint"> (optional)</span>}
      </label>
      {rule && (
        <p class="hint field-rule" id={`${id}-rule`}>
          {rule}
        </p>
      )}
      {children({
        id,
        ...(error ? { 'aria-invalid': true } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {error && (
        <p class="error field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * Sign in, or create an account. Creating one shows the rules of the username and the password from the start; the
 * browser's own checks are off (its "Please match the requested format" names no rule): the form checks what it can,
 * then the server, and each refusal stands under the field it is about, the first such field taking the focus.
 */
function AccountForm({
  signingUp,
  onMode,
  onDone,
  onCancel,
}: {
  signingUp: boolean;
  onMode: (mode: AuthMode) => void;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fields: Record<AuthField, RefObject<HTMLInputElement | null>> = {
    username: useRef<HTMLInputElement>(null),
    displayName: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
  };
  useEffect(() => fields.username.current?.focus(), []);

  /** Shows the errors; the first field in the form's order that has one takes the focus. */
  const refuse = (found: FieldErrors, form: string | null) => {
    setErrors(found);
    setError(form);
    const first = (['username', 'displayName', 'password'] as const).find((name) => found[name]);
    if (first) fields[first].current?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const name = username.trim();
    const found = checkFields(signingUp, name, password);
    if (Object.keys(found).length > 0) return refuse(found, null);
    setBusy(true);
    setErrors({});
    setError(null);
    try {
      if (signingUp) await signUp(name, password, displayName.trim() || undefined);
      else await signIn(name, password);
      onDone();
    } catch (e) {
      const { fields: refused, form } = refusalOf(e);
      refuse(refused, form);
      setBusy(false);
    }
  };

  const form = signingUp ? 'auth-sign-up' : 'auth-sign-in';
  return (
    <form class="auth-form" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="auth-title">
      <Field
        id={`${form}-username`}
        label="Username"
        rule={signingUp ? USERNAME_RULE : undefined}
        error={errors.username}
      >
        {(described) => (
          <input
            {...described}
            ref={fields.username}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellcheck={false}
            required
            maxLength={signingUp ? USERNAME_MAX : LOGIN_USERNAME_MAX}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        )}
      </Field>
      {signingUp && (
        <Field
          id={`${form}-display-name`}
          label="Display name"
          optional
          rule={`Shown beside your comments; your username if left empty. Up to ${DISPLAY_NAME_MAX} characters.`}
          error={errors.displayName}
        >
          {(described) => (
            <input
              {...described}
              ref={fields.displayName}
              name="displayName"
              autoComplete="nickname"
              maxLength={DISPLAY_NAME_MAX}
              value={displayName}
              onInput={(e) => setDisplayName(e.currentTarget.value)}
            />
          )}
        </Field>
      )}
      <Field
        id={`${form}-password`}
        label="Password"
        rule={signingUp ? PASSWORD_RULE : undefined}
        error={errors.password}
      >
        {(described) => (
          <input
            {...described}
            ref={fields.password}
            name="password"
            type="password"
            autoComplete={signingUp ? 'new-password' : 'current-password'}
            required
            maxLength={PASSWORD_MAX}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        )}
      </Field>
      <FormError message={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {signingUp ? 'Sign up' : 'Sign in'}
        </button>
        <button type="button" class="link" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <p class="auth-switch">
        {signingUp ? 'Already have an account? ' : 'New here? '}
        <button type="button" class="link" onClick={() => onMode(signingUp ? 'sign-in' : 'sign-up')}>
          {signingUp ? 'Sign in instead' : 'Create an account'}
        </button>
      </p>
      {/* A line of its own: beside the other, it wrapped in the narrow dialog and left a separator at a line's end. */}
      {!signingUp && (
        <p class="auth-switch">
          <button type="button" class="link" onClick={() => onMode('forgot')}>
            Forgot your password?
          </button>
        </p>
      )}
    </form>
  );
}

/**
 * A reset link by mail. The answer is the same whether or not an account has the address (the server's too), so the
 * form cannot be used to learn who has an account here.
 */
function ForgotPasswordForm({ onMode, onCancel }: { onMode: (mode: AuthMode) => void; onCancel: () => void }) {
  const [email, setEmail] = useState('');
  const form = useForm();
  const sent = form.done !== null;
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  const submit = (event: Event) => {
    event.preventDefault();
    void form.run(async () => {
      await accountApi.requestReset(email.trim());
      return 'If an account has this verified address, a link is on its way. It works once, for one hour.';
    }, 'Something went wrong; try again.');
  };
  return (
    <form class="auth-form" onSubmit={submit} aria-labelledby="auth-title">
      {sent ? (
        <p role="status">{form.done}</p>
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
      <FormError message={form.error} />
      <div class="actions">
        {!sent && (
          <button type="submit" class="primary" disabled={form.busy}>
            Send me a link
          </button>
        )}
        <button type="button" class="link" onClick={() => onMode('sign-in')}>
          Back to sign in
        </button>
        <button type="button" class="link" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
