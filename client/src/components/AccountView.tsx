import { useEffect, useState } from 'preact/hooks';
import {
  accountApi,
  DISPLAY_NAME_MAX,
  EMAIL_MAX,
  EMAIL_NOTIFICATIONS,
  type EmailNotifications,
  PASSWORD_MAX,
} from '../api.js';
import { account, accountChanged, accountGone, session } from '../session.js';
import { Store } from '../store.js';
import { useStore } from '../store.js';
import { askToSignIn } from '../ui.js';
import { FormError } from './FormError.js';
import { NewPasswordField } from './NewPasswordField.js';
import { useForm } from './use-form.js';

const SETTINGS: Record<EmailNotifications, { label: string; explained: string }> = {
  off: { label: 'Off', explained: 'No mail: your notifications wait for you here.' },
  instant: { label: 'Instant', explained: 'A mail within a minute of each notification (a few at once share one).' },
  daily: { label: 'Daily', explained: 'One digest a day of what is still unread.' },
};

function Done({ message }: { message: string | null }) {
  return message ? (
    <p class="form-done" role="status">
      {message}
    </p>
  ) : null;
}

function NameForm({ current }: { current: string }) {
  const [name, setName] = useState(current);
  const form = useForm();
  const save = (event: Event) => {
    event.preventDefault();
    void form.run(async () => {
      accountChanged(await accountApi.update({ displayName: name.trim() }));
      return 'Saved.';
    }, 'The name could not be saved; try again.');
  };
  return (
    <form class="settings-block" onSubmit={save} aria-labelledby="name-title">
      <h2 id="name-title">Display name</h2>
      <label>
        Shown beside your comments
        <input
          name="displayName"
          autoComplete="nickname"
          required
          maxLength={DISPLAY_NAME_MAX}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </label>
      <FormError message={form.error} />
      <Done message={form.done} />
      <button type="submit" disabled={form.busy}>
        Save the name
      </button>
    </form>
  );
}

function EmailForm() {
  const settings = useStore(account);
  const [email, setEmail] = useState(settings?.email ?? '');
  const form = useForm();
  if (!settings) return null;
  const save = (event: Event) => {
    event.preventDefault();
    const address = email.trim();
    void form.run(async () => {
      accountChanged(await accountApi.update({ email: address || null }));
      return address ? `We sent a link to ${address}: open it to verify the address.` : 'The address is removed.';
    }, 'The address could not be saved; try again.');
  };
  const resend = () => {
    const address = settings.email;
    if (!address) return;
    void form.run(async () => {
      await accountApi.resendVerification();
      return `We sent a new link to ${address}; earlier links no longer work.`;
    }, 'The link could not be sent; try again.');
  };
  return (
    <form class="settings-block" onSubmit={save} aria-labelledby="email-title">
      <h2 id="email-title">E-mail</h2>
      <p class="email-state" aria-live="polite">
        {settings.email === null ? (
          'No address: notifications reach you here only, and a forgotten password cannot be reset.'
        ) : settings.emailVerified ? (
          <>
            <strong>{settings.email}</strong> <span class="badge verified">verified</span>
          </>
        ) : (
          <>
            <strong>{settings.email}</strong> <span class="badge">not verified</span>: we sent a link to{' '}
            {settings.email}; open it to verify the address.{' '}
            <button type="button" class="link" disabled={form.busy} onClick={resend}>
              Send the link again
            </button>
          </>
        )}
      </p>
      <label>
        Address
        <input
          name="email"
          type="email"
          autoComplete="email"
          maxLength={EMAIL_MAX}
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
      </label>
      <FormError message={form.error} />
      <Done message={form.done} />
      <button type="submit" disabled={form.busy}>
        Save the address
      </button>
    </form>
  );
}

function MailSetting() {
  const settings = useStore(account);
  const form = useForm();
  // The choice shows at once; the server's answer confirms it, and a refusal puts the saved one back.
  const [chosen, setChosen] = useState<EmailNotifications | null>(null);
  if (!settings) return null;
  const choose = (value: EmailNotifications) => {
    setChosen(value);
    void form.run(async () => {
      try {
        accountChanged(await accountApi.update({ emailNotifications: value }));
        return 'Saved.';
      } finally {
        setChosen(null);
      }
    }, 'The setting could not be saved; try again.');
  };
  const shown = chosen ?? settings.emailNotifications;
  return (
    <section class="settings-block" aria-labelledby="mail-title">
      <h2 id="mail-title">Notification mail</h2>
      {!settings.emailVerified && <p class="hint">Mail goes only to a verified address.</p>}
      <fieldset class="choices">
        <legend class="visually-hidden">Notification mail</legend>
        {EMAIL_NOTIFICATIONS.map((value) => (
          <label key={value} class="choice">
            <input
              type="radio"
              name="emailNotifications"
              value={value}
              checked={shown === value}
              disabled={form.busy}
              onChange={() => choose(value)}
            />
            <span>
              <strong>{SETTINGS[value].label}</strong> <span class="hint">{SETTINGS[value].explained}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <FormError message={form.error} />
      <Done message={form.done} />
    </section>
  );
}

/** The zone this device's clock is set to, or null when the browser does not say. */
function deviceTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

/**
 * The choices of time zone: this device's first, then UTC (the default, stored as none), then every zone the browser
 * knows; a saved zone the browser does not list (an alias chosen elsewhere) is kept among them.
 */
function timeZoneChoices(saved: string | null): { value: string; label: string }[] {
  const device = deviceTimeZone();
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const rest = [...new Set([...(saved && saved !== 'UTC' ? [saved] : []), ...known])].filter(
    (zone) => zone !== device && zone !== 'UTC',
  );
  return [
    ...(device && device !== 'UTC' ? [{ value: device, label: `${device} (this device)` }] : []),
    { value: '', label: device === 'UTC' ? 'UTC (this device; the default)' : 'UTC (the default)' },
    ...rest.sort().map((zone) => ({ value: zone, label: zone })),
  ];
}

/** When the daily digest comes: at the same hour every day on the clocks of the reader's time zone. */
function TimeZoneSetting() {
  const settings = useStore(account);
  const form = useForm();
  const [chosen, setChosen] = useState<string | null>(null);
  if (!settings) return null;
  const saved = settings.timeZone;
  const choose = (value: string) => {
    setChosen(value);
    void form.run(async () => {
      try {
        accountChanged(await accountApi.update({ timeZone: value === '' ? null : value }));
        return 'Saved.';
      } finally {
        setChosen(null);
      }
    }, 'The time zone could not be saved; try again.');
  };
  return (
    <section class="settings-block" aria-labelledby="time-zone-title">
      <h2 id="time-zone-title">Time zone</h2>
      <label>
        Your time zone
        <select
          name="timeZone"
          value={chosen ?? (saved === 'UTC' ? '' : (saved ?? ''))}
          disabled={form.busy}
          onChange={(e) => choose(e.currentTarget.value)}
        >
          {timeZoneChoices(saved).map((zone) => (
            <option key={zone.value} value={zone.value}>
              {zone.label}
            </option>
          ))}
        </select>
      </label>
      <p class="hint">The daily digest comes at the same hour every day on this zone’s clocks.</p>
      <FormError message={form.error} />
      <Done message={form.done} />
    </section>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const form = useForm();
  const save = (event: Event) => {
    event.preventDefault();
    void form.run(async () => {
      await accountApi.changePassword(current, next);
      setCurrent('');
      setNext('');
      return 'Your password is changed. Your other sessions (other browsers and devices) were signed out.';
    }, 'The password could not be changed; try again.');
  };
  return (
    <form class="settings-block" onSubmit={save} aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <label>
        Current password
        <input
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          maxLength={PASSWORD_MAX}
          value={current}
          onInput={(e) => setCurrent(e.currentTarget.value)}
        />
      </label>
      <NewPasswordField name="newPassword" value={next} onInput={setNext} />
      <p class="hint">Changing it signs you out everywhere else.</p>
      <FormError message={form.error} />
      <Done message={form.done} />
      <button type="submit" disabled={form.busy}>
        Change the password
      </button>
    </form>
  );
}

/** Set once this page deleted the account: what it shows then, signed out. */
const deleted = new Store(false);

/** Everything the forum holds about the reader, as a JSON file: the server names it and sends it as a download. */
function DataExport({ username }: { username: string }) {
  return (
    <section class="settings-block" aria-labelledby="export-title">
      <h2 id="export-title">Your data</h2>
      <p class="hint">
        One JSON file with your account, your comments and every earlier version of them, your votes, your reports, your
        notifications and what you follow.
      </p>
      <a class="download-link" href="/api/auth/me/export" download={`essay-forum-${username}.json`}>
        Download my data
      </a>
    </section>
  );
}

function DeleteAccountForm() {
  const [password, setPassword] = useState('');
  const [sure, setSure] = useState(false);
  const form = useForm();
  const remove = (event: Event) => {
    event.preventDefault();
    void form.run(async () => {
      await accountApi.deleteAccount(password);
      deleted.set(true);
      accountGone();
      return '';
    }, 'The account could not be deleted; try again.');
  };
  return (
    <form class="settings-block" onSubmit={remove} aria-labelledby="delete-title">
      <h2 id="delete-title">Delete my account</h2>
      <p class="hint">This cannot be undone. At once:</p>
      <ul class="hint">
        <li>you are signed out everywhere, and nobody can sign in to this account again;</li>
        <li>your comments become “deleted” placeholders: their text and history are erased, replies to them stay;</li>
        <li>your votes are withdrawn, and your follows and notifications are gone;</li>
        <li>your username stays reserved: nobody can register it.</li>
      </ul>
      <p class="hint">Download your data first if you want to keep a copy.</p>
      <label>
        Your password
        <input
          name="deletePassword"
          type="password"
          autoComplete="current-password"
          required
          maxLength={PASSWORD_MAX}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </label>
      <label class="choice">
        <input type="checkbox" required checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} /> I
        understand that my account and the text of my comments are deleted for good
      </label>
      <FormError message={form.error} />
      <button type="submit" class="danger" disabled={form.busy}>
        Delete my account
      </button>
    </form>
  );
}

/** The reader's own settings: name, e-mail and its verification, notification mail, password; their data. */
export function AccountView() {
  const me = useStore(session);
  useEffect(() => {
    document.title = 'Your account · Essay forum';
  }, []);
  const gone = useStore(deleted);
  if (me === undefined) return <p class="muted page-loading">Loading…</p>;
  if (me === null && gone)
    return (
      <section class="notice" role="status">
        <h1>Your account is deleted</h1>
        <p>You are signed out. Your comments are placeholders now, and your username stays reserved.</p>
        <p>
          <a href="/">Back to the essays</a>
        </p>
      </section>
    );
  if (me === null)
    return (
      <section class="notice">
        <h1>Your account</h1>
        <p>
          <button type="button" class="primary" onClick={askToSignIn}>
            Sign in to see your account
          </button>
        </p>
      </section>
    );
  return (
    <section class="account-page" aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <p class="muted">
        Signed in as @{me.username}. <a href="/notifications">Your notifications</a>
      </p>
      <NameForm key={me.id} current={me.displayName} />
      <EmailForm key={me.id} />
      <MailSetting />
      <TimeZoneSetting />
      <PasswordForm key={me.id} />
      <DataExport username={me.username} />
      <DeleteAccountForm key={me.id} />
    </section>
  );
}
