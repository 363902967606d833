import { api, type User } from './api.js';
import { reconnectLive } from './live.js';
import { Store } from './store.js';

/** Who is reading: undefined while the first /auth/me is on its way, null when nobody is signed in. */
export const session = new Store<User | null | undefined>(undefined);

export async function loadSession(): Promise<void> {
  try {
    session.set((await api.me()).user);
  } catch {
    session.set(null);
  }
}

export async function signIn(username: string, password: string): Promise<void> {
  session.set((await api.login(username, password)).user);
  reconnectLive();
}

export async function signUp(username: string, password: string, displayName?: string): Promise<void> {
  session.set((await api.register(username, password, displayName)).user);
  reconnectLive();
}

export async function signOut(): Promise<void> {
  await api.logout().catch(() => undefined);
  session.set(null);
  reconnectLive();
}

export function isModerator(user: User | null | undefined): boolean {
  return user?.role === 'moderator' || user?.role === 'admin';
}
