import { useEffect, useState } from 'preact/hooks';
import { api, type ArticleSettings, type ArticleSummary } from '../api.js';
import { FormError } from './FormError.js';
import { announceChange, errorMessage } from './moderation-shared.js';

/** An essay's discussion settings: locked, premoderation, slow mode. */
export function ModerationSettings() {
  const [articles, setArticles] = useState<ArticleSummary[]>([]);
  const [slug, setSlug] = useState('');
  const [settings, setSettings] = useState<ArticleSettings | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      let cursor: string | null = null;
      const all: ArticleSummary[] = [];
      for (let page = 0; page < 10; page++) {
        const result = await api.articles(cursor);
        all.push(...result.items);
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
      }
      setArticles(all);
    })().catch(() => setError('The essays could not be loaded.'));
  }, []);

  useEffect(() => {
    setSettings(null);
    setStatus(null);
    if (slug)
      api.article(slug).then(
        (a) => setSettings(a.settings),
        () => setError('The essay could not be loaded.'),
      );
  }, [slug]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!settings) return;
    setError(null);
    try {
      setSettings(await api.settings(slug, settings));
      setStatus('Saved.');
      announceChange();
    } catch (e) {
      setError(errorMessage(e, 'The settings could not be saved.'));
    }
  };

  return (
    <section id="settings" class="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">An essay’s discussion</h2>
      <label>
        Essay{' '}
        <select value={slug} onChange={(e) => setSlug(e.currentTarget.value)}>
          <option value="">Pick an essay…</option>
          {articles.map((a) => (
            <option key={a.id} value={a.slug}>
              {a.title}
            </option>
          ))}
        </select>
      </label>
      {settings && (
        <form onSubmit={(e) => void save(e)} class="settings-form">
          <label class="check">
            <input
              type="checkbox"
              checked={settings.locked}
              onChange={(e) => setSettings({ ...settings, locked: e.currentTarget.checked })}
            />{' '}
            Locked (no new comments)
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={settings.premoderation}
              onChange={(e) => setSettings({ ...settings, premoderation: e.currentTarget.checked })}
            />{' '}
            Premoderation (new comments wait for a moderator)
          </label>
          <label>
            Slow mode, seconds between comments per reader{' '}
            <input
              type="number"
              min={0}
              max={86400}
              value={settings.slowModeSeconds}
              onInput={(e) => setSettings({ ...settings, slowModeSeconds: Number(e.currentTarget.value) || 0 })}
            />
          </label>
          <button type="submit" class="primary">
            Save the settings
          </button>
          {status && <p role="status">{status}</p>}
        </form>
      )}
      <FormError message={error} />
    </section>
  );
}
