import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type ArticleSummary } from '../api.js';
import { formatDate, plural } from '../format.js';
import { session } from '../session.js';
import { useStore } from '../store.js';
import { FormError } from './FormError.js';

export function ArticleList() {
  const me = useStore(session);
  const [articles, setArticles] = useState<ArticleSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async (from: string | null) => {
    try {
      const page = await api.articles(from);
      setArticles((shown) => [...(from ? (shown ?? []) : []), ...page.items]);
      setCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The essays could not be loaded.');
    }
  };

  useEffect(() => {
    void load(null);
  }, []);

  return (
    <section class="article-list" aria-labelledby="list-title">
      <h1 id="list-title">Essays</h1>
      {me?.role === 'admin' && (
        <p class="essay-admin list-admin">
          <a href="/articles/new">Publish an essay</a>
        </p>
      )}
      <FormError message={error} />
      {articles === null && !error && <p class="muted">Loading…</p>}
      {articles && articles.length === 0 && <p class="muted">No essays yet.</p>}
      {articles && (
        <ul class="plain">
          {articles.map((a) => (
            <li key={a.id} class="article-card">
              <h2>
                <a href={`/articles/${encodeURIComponent(a.slug)}`}>{a.title}</a>
              </h2>
              <p class="byline">
                {a.author}
                {a.publishedAt && (
                  <>
                    {' · '}
                    <time dateTime={a.publishedAt}>{formatDate(a.publishedAt)}</time>
                  </>
                )}
                {' · '}
                <span class="count">{plural(a.commentCount, 'comment')}</span>
              </p>
              <p class="excerpt">{a.excerpt}</p>
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" onClick={() => void load(cursor)}>
          More essays
        </button>
      )}
    </section>
  );
}
