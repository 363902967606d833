import { useEffect, useState } from 'preact/hooks';
import { SEARCH_QUERY_MAX } from '../api.js';
import { navigate } from '../router.js';

/** The search box, in the header of every page: it opens `/search?q=`. */
export function SearchForm({ id, initial = '' }: { id: string; initial?: string }) {
  const [q, setQ] = useState(initial);
  useEffect(() => setQ(initial), [initial]);
  return (
    <form
      class="search-form"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        const query = q.trim();
        if (query) navigate(`/search?q=${encodeURIComponent(query)}`);
      }}
    >
      <label class="visually-hidden" for={id}>
        Search essays and comments
      </label>
      <input
        id={id}
        type="search"
        value={q}
        maxLength={SEARCH_QUERY_MAX}
        placeholder="Search"
        onInput={(e) => setQ(e.currentTarget.value)}
      />
      <button type="submit">Search</button>
    </form>
  );
}
