import type { ModerationMenu } from './components/ModerationMenu.js';
import { Store } from './store.js';

/**
 * The moderators' menu on each comment, once its chunk has arrived (null until then). It is asked for only when a
 * moderator is signed in, so a reader's page never downloads it. Held in an object: a store's value is handed to
 * `useState`, which would call a bare component as an updater.
 */
export const moderatorTools = new Store<{ Menu: typeof ModerationMenu } | null>(null);

let asked = false;

export function loadModeratorTools(): void {
  if (asked) return;
  asked = true;
  import('./components/ModerationMenu.js').then(
    ({ ModerationMenu: Menu }) => moderatorTools.set({ Menu }),
    () => {
      // A failed download (the network, a new deployment): the next comment to render asks again.
      asked = false;
    },
  );
}
