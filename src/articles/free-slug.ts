/**
 * The free-slug rule, for every way an article is created (the admin's upload, the seed importer, the synthetic
 * thread): `base` when free, else `base-N` with the smallest free N from 2. `taken` is what
 * `ArticlesRepository.findSlugsNumbered` returns for `base`.
 */
export function firstFreeSlug(base: string, taken: string[]): string {
  const inUse = new Set(taken);
  if (!inUse.has(base)) return base;
  let n = 2;
  while (inUse.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}
