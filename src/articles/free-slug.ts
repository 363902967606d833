/**
 * Slugs no essay gets: `/articles/new` is the web client's publish screen, which an essay there would hide, and
 * `by-url` and `counts` are paths beside `/api/articles/:slug`.
 */
export const RESERVED_SLUGS: readonly string[] = ['new', 'by-url', 'counts'];

/**
 * The free-slug rule, for every way an article is created (the admin's upload, the seed importer, the synthetic
 * thread): `base` when free, else `base-N` with the smallest free N from 2. `taken` is what
 * `ArticlesRepository.findSlugsNumbered` returns for `base`; a reserved slug counts as taken.
 */
export function firstFreeSlug(base: string, taken: string[]): string {
  const inUse = new Set([...taken, ...RESERVED_SLUGS]);
  if (!inUse.has(base)) return base;
  let n = 2;
  while (inUse.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

/** What an article slug looks like (`slugify` and firstFreeSlug make no other): anything else names no article. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,158}[a-z0-9])?$/;

/** Whether `value` could be an article's slug: the one check of every way a slug comes in (HTTP paths, live joins). */
export function isArticleSlug(value: unknown): value is string {
  return typeof value === 'string' && SLUG_PATTERN.test(value);
}
