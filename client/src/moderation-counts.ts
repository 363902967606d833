import { moderationApi, type QueueCounts } from './api.js';
import { listen, onConnected } from './live.js';
import { isModerator, session } from './session.js';
import { Store } from './store.js';

/** How many comments wait in each moderation queue, for a moderator's header link and queue tabs; null otherwise. */
export const queueCounts = new Store<QueueCounts | null>(null);

/** Comments waiting for a decision: pending ones and reported ones (removed ones are decided already). */
export function waiting(counts: QueueCounts): number {
  return counts.pending + counts.reported;
}

/**
 * Counts heard since a read was sent, and the time of the newest heard: a live event is newer than a read that was on
 * its way when it arrived (that read's answer is dropped), and two processes may each send one in the same second
 * (the one with the later `at` wins).
 */
let readsSince = 0;
let newestAt = '';

async function load(): Promise<void> {
  const before = ++readsSince;
  try {
    const counts = await moderationApi.summary();
    if (readsSince === before && isModerator(session.value)) queueCounts.set(counts);
  } catch {
    // Signed out, no longer a moderator, or offline: the next connection asks again.
  }
}

let started = false;

/**
 * Once a moderator is signed in: the counts are read, then kept by the live `moderation.counts` events sent to the
 * moderators' connections, and read again at each reconnection (events sent while it was down are not replayed).
 */
export function startModerationCounts(): void {
  let moderatorId: string | null = null;
  session.subscribe((user) => {
    if (!user || !isModerator(user)) {
      moderatorId = null;
      queueCounts.set(null);
      return;
    }
    if (user.id !== moderatorId) {
      moderatorId = user.id;
      void load();
    }
    if (started) return;
    started = true;
    onConnected(() => {
      if (isModerator(session.value)) void load();
    });
    listen('moderation.counts', ({ at, pending, reported, removed }) => {
      if (at < newestAt || !isModerator(session.value)) return;
      newestAt = at;
      readsSince++;
      queueCounts.set({ pending, reported, removed });
    });
  });
}
