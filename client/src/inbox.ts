import { accountApi, type Notification } from './api.js';
import { listen, onConnected } from './live.js';
import { session } from './session.js';
import { Store } from './store.js';

/** The signed-in reader's unread notifications, for the bell; null when nobody is signed in or it is not known yet. */
export const unreadCount = new Store<number | null>(null);

/** A moderator's decision on one of the reader's own comments, as its notification told it. */
export interface Decision {
  kind: 'approved' | 'removed' | 'restored';
  reason: string | null;
}

/**
 * The decisions heard live during this visit, by comment id: a removed comment's placeholder can then say why, on
 * the page where its author is waiting for the verdict.
 */
export const decisions = new Store<Record<string, Decision>>({});

const listeners = new Set<(notification: Notification) => void>();

/** Every notification that arrives live while the page is open; returns the way to stop. */
export function onNotification(listener: (notification: Notification) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Counts heard since a read of the count was sent: a live event's count is newer than a read that was on its way
 * when the event arrived, so that read's answer is dropped.
 */
let readsSince = 0;

/** A count the server gave (an answer to mark-read, say): the newest word on it. */
export function setUnreadCount(count: number): void {
  readsSince++;
  unreadCount.set(count);
}

async function loadCount(): Promise<void> {
  const before = ++readsSince;
  try {
    const page = await accountApi.notifications({ limit: 1 });
    if (readsSince === before && session.value) unreadCount.set(page.unreadCount);
  } catch {
    // Signed out meanwhile, or offline: the next connection asks again.
  }
}

let started = false;

/**
 * Once someone is signed in: the count is read, then kept by the live `notification` events on the page's one
 * connection, and read again at each reconnection (events sent while it was down are not replayed).
 */
export function startInbox(): void {
  let userId: string | null = null;
  session.subscribe((user) => {
    if (!user) {
      userId = null;
      unreadCount.set(null);
      decisions.set({});
      return;
    }
    if (user.id !== userId) {
      userId = user.id;
      void loadCount();
    }
    if (started) return;
    started = true;
    onConnected(() => {
      if (session.value) void loadCount();
    });
    listen('notification', ({ notification, unreadCount: count }) => {
      setUnreadCount(count);
      const { kind } = notification;
      if ((kind === 'approved' || kind === 'removed' || kind === 'restored') && notification.comment)
        decisions.set({ ...decisions.value, [notification.comment.id]: { kind, reason: notification.reason } });
      for (const listener of listeners) listener(notification);
    });
  });
}
