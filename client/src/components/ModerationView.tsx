import { useEffect } from 'preact/hooks';
import { isModerator, session } from '../session.js';
import { useStore } from '../store.js';
import { ModerationBans } from './ModerationBans.js';
import { ModerationLog } from './ModerationLog.js';
import { ModerationQueues } from './ModerationQueues.js';
import { ModerationSettings } from './ModerationSettings.js';
import { ModerationWords } from './ModerationWords.js';

const SECTIONS = [
  ['queues', 'Queues'],
  ['bans', 'Bans'],
  ['banned-words', 'Banned words'],
  ['settings', 'An essay’s discussion'],
  ['log', 'Log'],
] as const;

/** The moderators' view: the three queues (live), the bans, the banned words, an essay's settings and the log. */
export function ModerationView() {
  const user = useStore(session);
  useEffect(() => {
    document.title = 'Moderation · Essay forum';
  }, []);
  if (user === undefined) return <p class="muted page-loading">Loading…</p>;
  if (!isModerator(user)) {
    return (
      <section class="notice">
        <h1>Moderation</h1>
        <p>
          This page is for moderators{user ? '' : ': sign in with a moderator’s account'}.{' '}
          <a href="/">Back to the essays.</a>
        </p>
      </section>
    );
  }
  return (
    <div class="moderation">
      <h1>Moderation</h1>
      <nav aria-label="Moderation sections" class="mod-nav">
        <ul class="plain">
          {SECTIONS.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <ModerationQueues />
      <ModerationBans />
      <ModerationWords />
      <ModerationSettings />
      <ModerationLog />
    </div>
  );
}
