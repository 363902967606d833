import { useEffect, useState } from 'preact/hooks';
import { ApiError, findApi, type SearchResult } from '../api.js';
import { timeAgo } from '../format.js';
import { location, queryParameter } from '../router.js';
import { useStore } from '../store.js';
import { AuthorName } from './AuthorName.js';
import { FormError } from './FormError.js';

function ResultItem({ result }: { result: SearchResult }) {
  const { article, comment } = result;
  const href = comment
    ? `/comments/${encodeURIComponent(comment.id)}`
    : `/articles/${encodeURIComponent(article.slug)}`;
  return (
    <li class="search-result">
      <p class="search-result-where">
        {comment ? (
          <>
            <span class="badge">Comment</span> {comment.author && <AuthorName user={comment.author} />} on{' '}
            <a href={`/articles/${encodeURIComponent(article.slug)}`}>{article.title}</a>{' '}
            <time class="muted" dateTime={comment.createdAt}>
              {timeAgo(comment.createdAt)}
            </time>
          </>
        ) : (
          <>
            <span class="badge">Essay</span> <a href={href}>{article.title}</a>
          </>
        )}
      </p>
      {/* The server escapes everything in a snippet but the <mark> around matched words. */}
      <p class="snippet" dangerouslySetInnerHTML={{ __html: result.snippet }} />
      {comment && (
        <p>
          <a href={href}>Open the comment in its thread</a>
        </p>
      )}
    </li>
  );
}

/** `/search?q=`: essays and comments that match, best first, a page at a time. */
export function SearchView() {
  const { search } = useStore(location);
  const q = (queryParameter('q') ?? '').trim();
  const [results, setResults] = useState<SearchResult[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [newestOnly, setNewestOnly] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async (from: string | null) => {
    try {
      const page = await findApi.search(q, from);
      setResults((shown) => [...(from ? (shown ?? []) : []), ...page.items]);
      setCursor(page.nextCursor);
      if (!from) setNewestOnly(page.newestMatchesOnly);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The search could not be done.');
    }
  };

  useEffect(() => {
    document.title = q ? `${q} · Search · Essay forum` : 'Search · Essay forum';
    setResults(null);
    setCursor(null);
    setNewestOnly(null);
    setError(null);
    if (q) void load(null);
  }, [search]);

  return (
    <section class="search" aria-labelledby="search-title">
      <h1 id="search-title">{q ? `Results for “${q}”` : 'Search'}</h1>
      <p class="muted search-help">
        Every word counts; “quoted words” as a phrase; -word leaves out; <em>or</em> between alternatives.
      </p>
      <FormError message={error} />
      {q && results === null && !error && <p class="muted">Searching…</p>}
      {results && results.length === 0 && <p class="muted">Nothing found.</p>}
      {results && newestOnly !== null && (
        <p class="search-newest-only">
          {`So many comments match that only the newest ${newestOnly.toLocaleString('en-US')} are listed, best first. ` +
            'Add a word or a “phrase” to reach older ones.'}
        </p>
      )}
      {results && results.length > 0 && (
        <ol class="plain search-results" aria-label="Results">
          {results.map((r) => (
            <ResultItem key={r.comment ? `c${r.comment.id}` : `a${r.article.id}`} result={r} />
          ))}
        </ol>
      )}
      {cursor && (
        <button type="button" onClick={() => void load(cursor)}>
          More results
        </button>
      )}
    </section>
  );
}
