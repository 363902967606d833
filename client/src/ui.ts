import { Store } from './store.js';

/** Whether the sign-in panel is open, and in which mode: any "sign in to reply" button opens it. */
export const authPanel = new Store<'closed' | 'sign-in' | 'sign-up' | 'forgot'>('closed');

/** How this page signs a reader in instead of the panel: the embedded discussion opens its sign-in popup. */
let signInElsewhere: (() => void) | null = null;

export function signInWith(open: () => void): void {
  signInElsewhere = open;
}

export function askToSignIn(): void {
  if (signInElsewhere) return signInElsewhere();
  authPanel.set('sign-in');
  window.scrollTo({ top: 0 });
  queueMicrotask(() => document.getElementById('auth-username')?.focus());
}
