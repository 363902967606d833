import { useEffect, useState } from 'preact/hooks';
import { moderationApi } from '../api.js';
import { plural } from '../format.js';
import { FormError } from './FormError.js';
import { announceChange, errorMessage } from './moderation-shared.js';

/** The banned-word list, one word or phrase per line; the server normalises it and says what is wrong with it. */
export function ModerationWords() {
  const [text, setText] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    moderationApi.bannedWords().then(
      ({ words }) => setText(words.join('\n')),
      (e: unknown) => setError(errorMessage(e, 'The banned words could not be loaded.')),
    );
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    const words = (text ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    setBusy(true);
    setError(null);
    setStatus('');
    try {
      const saved = (await moderationApi.saveBannedWords(words)).words;
      setText(saved.join('\n'));
      setStatus(saved.length ? `Saved: ${plural(saved.length, 'entry', 'entries')}.` : 'Saved: the list is empty.');
      announceChange();
    } catch (e) {
      setError(errorMessage(e, 'The list could not be saved.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section id="banned-words" class="mod-section" aria-labelledby="words-title">
      <h2 id="words-title">Banned words</h2>
      {text === null ? (
        !error && <p class="muted">Loading…</p>
      ) : (
        <form class="words-form" onSubmit={(e) => void save(e)}>
          <label for="banned-words-text">Banned words and phrases, one per line</label>
          <p class="hint" id="banned-words-hint">
            A comment containing one, as a whole word in any case, waits in the pending queue.
          </p>
          <textarea
            id="banned-words-text"
            rows={6}
            value={text}
            aria-describedby="banned-words-hint"
            spellcheck={false}
            autocapitalize="off"
            onInput={(e) => {
              setText(e.currentTarget.value);
              setStatus('');
            }}
          />
          <div class="reply-tools">
            <button type="submit" class="primary" disabled={busy}>
              Save the list
            </button>
            <span role="status">{status}</span>
          </div>
        </form>
      )}
      <FormError message={error} />
    </section>
  );
}
