import type { Comment } from './api.js';
import { listen } from './live.js';
import { session } from './session.js';
import { Store } from './store.js';

/** A short message for the reader: a reply to them, a lifted ban. */
export interface Notice {
  id: number;
  text: string;
  href?: string;
  link?: string;
}

export const notices = new Store<Notice[]>([]);
/**
 * Set while the signed-in user is banned: told live (until when, and why), or by a refused write (`refused`: the
 * server's message then says the rest, and the end is not known here).
 */
export const ban = new Store<{ until: string | null; reason: string; refused?: boolean } | null>(null);

let next = 0;

export function notify(text: string, href?: string, link?: string): void {
  const notice: Notice = { id: ++next, text, href, link };
  notices.set([...notices.value.slice(-2), notice]);
  setTimeout(() => dismiss(notice.id), 20_000);
}

export function dismiss(id: number): void {
  notices.set(notices.value.filter((n) => n.id !== id));
}

function replied(comment: Comment): void {
  notify(
    `${comment.author?.displayName ?? 'Someone'} replied to you.`,
    `/comments/${encodeURIComponent(comment.id)}`,
    'Read the reply',
  );
}

let started = false;

/** Once someone is signed in: the events meant for them alone. */
export function startPersonalEvents(): void {
  session.subscribe((user) => {
    if (!user) ban.set(null);
    if (!user || started) return;
    started = true;
    listen('reply.received', ({ comment }) => replied(comment));
    listen('user.banned', ({ until, reason }) => ban.set({ until, reason }));
    listen('user.unbanned', () => {
      ban.set(null);
      notify('Your ban has been lifted: you can write again.');
    });
  });
}
