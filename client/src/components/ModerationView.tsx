import { useEffect } from 'preact/hooks';
import { isModerator, session } from '../session.js';
import { useStore } from '../store.js';

/** The moderators' view is not built yet (issue 7): this page only says so. */
export function ModerationView() {
  const user = useStore(session);
  useEffect(() => {
    document.title = 'Moderation · Essay forum';
  }, []);
  return (
    <section class="notice">
      <h1>Moderation</h1>
      {isModerator(user) ? (
        <p>The moderators' queues are not in the web client yet; use the API under /api/moderation meanwhile.</p>
      ) : (
        <p>This page is for moderators. Sign in with a moderator's account.</p>
      )}
    </section>
  );
}
