/**
 * Keyset pages: a list asks its repository for `rowsFor(limit)` rows (one more than it shows) and cuts them with
 * `pageOf`, which keeps the first `limit` and issues a cursor after the last of them only when another row followed.
 */
export interface KeysetPage<R> {
  items: R[];
  nextCursor: string | null;
}

/** How many rows to fetch for a page of `limit`: the extra one tells whether a next page exists. */
export function rowsFor(limit: number): number {
  return limit + 1;
}

/** The first `limit` of `rows` (fetched with `rowsFor(limit)`), and the cursor after the last shown row when more followed. */
export function pageOf<R>(rows: readonly R[], limit: number, cursorOf: (last: R) => string): KeysetPage<R> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
