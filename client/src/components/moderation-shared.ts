import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { Store, useStore } from '../store.js';

/** Counts the moderator's actions taken on this page: the lists that an action changes (bans, log) reload on it. */
export const moderationChanges = new Store(0);

export function announceChange(): void {
  moderationChanges.set(moderationChanges.value + 1);
}

/** The server's message for a failed request, or the fallback for anything else. */
export function errorMessage(e: unknown, fallback: string): string {
  return e instanceof ApiError ? e.message : fallback;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function dateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A list paged by the server's cursor, loaded from the top at first and after each action on this page. With `keyOf`
 * (an append-only list, like the log) a reload puts the new items on top of those already shown instead.
 */
export function usePagedList<T>(
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
  what: string,
  keyOf?: (item: T) => string,
) {
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const changes = useStore(moderationChanges);
  const latest = useRef(0);
  const shownRef = useRef(items);
  shownRef.current = items;

  const load = async (from: string | null) => {
    const request = ++latest.current;
    setLoading(true);
    try {
      const page = await fetchPage(from);
      if (request !== latest.current) return;
      const shown = shownRef.current;
      const last = page.items.at(-1);
      if (from) {
        setItems([...(shown ?? []), ...page.items]);
        setCursor(page.nextCursor);
      } else if (keyOf && shown && last && shown.some((s) => keyOf(s) === keyOf(last))) {
        // The new page reaches what is shown: keep the pages below it, and their cursor.
        const fresh = new Set(page.items.map(keyOf));
        setItems([...page.items, ...shown.filter((s) => !fresh.has(keyOf(s)))]);
      } else {
        setItems(page.items);
        setCursor(page.nextCursor);
      }
      setError(null);
    } catch (e) {
      if (request === latest.current) setError(errorMessage(e, `The ${what} could not be loaded.`));
    } finally {
      if (request === latest.current) setLoading(false);
    }
  };

  useEffect(() => {
    void load(null);
  }, [changes]);

  return { items, setItems, cursor, error, loading, more: () => void load(cursor), reload: () => void load(null) };
}
