import { type Account, api, type OwnBan, type User } from './api.js';
import { setBearerToken } from './bearer.js';
import { reconnectLive } from './live.js';
import { Store } from './store.js';

/** Who is reading: undefined while the first /auth/me is on its way, null when nobody is signed in. */
export const session = new Store<User | null | undefined>(undefined);

/**
 * Set while the signed-in user is banned: known at sign-in and after a reload, told live (until when, and why), or by
 * a refused write (`refused`: the server's message then says the rest, and the end is not known here).
 */
export const ban = new Store<(OwnBan & { refused?: boolean }) | null>(null);

/** The signed-in user's own settings (e-mail and its state, notification mail); null when nobody is signed in. */
export const account = new Store<Account | null>(null);

function signedIn(answer: { user: User; ban: OwnBan | null; account: Account }): void {
  ban.set(answer.ban);
  account.set(answer.account);
  session.set(answer.user);
}

/** The account page changed the name or the settings: the header and the page show the server's answer. */
export function accountChanged(answer: { user: User; account: Account }): void {
  account.set(answer.account);
  if (session.value) session.set(answer.user);
}

export async function loadSession(): Promise<void> {
  try {
    signedIn(await api.me());
  } catch {
    ban.set(null);
    account.set(null);
    session.set(null);
  }
}

export async function signIn(username: string, password: string): Promise<void> {
  signedIn(await api.login(username, password));
  reconnectLive();
}

export async function signUp(username: string, password: string, displayName?: string): Promise<void> {
  signedIn(await api.register(username, password, displayName));
  reconnectLive();
}

export async function signOut(): Promise<void> {
  await api.logout().catch(() => undefined);
  setBearerToken(null);
  ban.set(null);
  account.set(null);
  session.set(null);
  reconnectLive();
}

/**
 * The account was deleted: its sessions ended on the server (the cookie too), so the page forgets the user at once and
 * the live connection starts again as a reader's.
 */
export function accountGone(): void {
  ban.set(null);
  account.set(null);
  session.set(null);
  reconnectLive();
}

export function isModerator(user: User | null | undefined): boolean {
  return user?.role === 'moderator' || user?.role === 'admin';
}
