import { Store } from './store.js';

export type AuthMode = 'sign-in' | 'sign-up' | 'forgot';

/**
 * How this page signs a reader in instead of the dialog: the embedded discussion opens its sign-in popup, in the mode
 * asked, and resumes `then` once the popup has signed the frame in.
 */
let signInElsewhere: ((request: { mode: AuthMode; then: (() => void) | null }) => void) | null = null;

export function signInWith(open: (request: { mode: AuthMode; then: (() => void) | null }) => void): void {
  signInElsewhere = open;
}

/**
 * A reader asked to sign in (or was asked to, by an action that needs an account): the dialog opens over the page
 * where they are, and they stay there.
 */
export interface AuthRequest {
  mode: AuthMode;
  /** The control that asked: the focus goes back to it when the dialog closes without anyone signing in. */
  opener: HTMLElement | null;
  /** Where the opener was in the window: signed in, the page is scrolled so that it is there again. */
  openerTop: number;
  /** What the reader was doing, resumed once they are signed in (their reply box, with the focus in it). */
  then: (() => void) | null;
  /** Why they are asked, in a sentence shown under the dialog's title. */
  purpose: string | null;
}

export const authDialog = new Store<AuthRequest | null>(null);

/**
 * Opens the sign-in dialog. `from` is the click (or submit) that asked, whose control takes the focus back on close;
 * `then` runs once the reader is signed in and the page shows them so.
 */
export function askToSignIn(
  from?: Event | null,
  {
    mode = 'sign-in',
    then = null,
    purpose = null,
  }: { mode?: AuthMode; then?: (() => void) | null; purpose?: string | null } = {},
): void {
  if (signInElsewhere) return signInElsewhere({ mode, then });
  const submitter = from && 'submitter' in from ? (from as SubmitEvent).submitter : null;
  const target = submitter ?? from?.currentTarget ?? document.activeElement;
  const opener = target instanceof HTMLElement && target !== document.body ? target : null;
  authDialog.set({ mode, opener, openerTop: opener?.getBoundingClientRect().top ?? 0, then, purpose });
}
