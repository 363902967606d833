import { Store } from './store.js';

/** Whether the sign-in panel is open, and in which mode: any "sign in to reply" button opens it. */
export const authPanel = new Store<'closed' | 'sign-in' | 'sign-up' | 'forgot'>('closed');

export function askToSignIn(): void {
  authPanel.set('sign-in');
  window.scrollTo({ top: 0 });
  queueMicrotask(() => document.getElementById('auth-username')?.focus());
}
