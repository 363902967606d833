import type { NewQuote, Stance } from './api.js';

/** A reply being written: kept in localStorage per article and parent, so that nothing a reader types gets lost. */
export interface Draft {
  body: string;
  stance: Stance | '';
  quote: NewQuote | null;
}

const TOP = 'top';
const cache = new Map<string, Record<string, Draft>>();

function storageKey(slug: string): string {
  return `essay-forum:drafts:${slug}`;
}

function all(slug: string): Record<string, Draft> {
  let drafts = cache.get(slug);
  if (!drafts) {
    try {
      drafts = JSON.parse(localStorage.getItem(storageKey(slug)) ?? '{}') as Record<string, Draft>;
    } catch {
      drafts = {};
    }
    cache.set(slug, drafts);
  }
  return drafts;
}

function save(slug: string, drafts: Record<string, Draft>): void {
  try {
    if (Object.keys(drafts).length === 0) localStorage.removeItem(storageKey(slug));
    else localStorage.setItem(storageKey(slug), JSON.stringify(drafts));
  } catch {
    // Storage full or refused (private mode): the draft lives as long as the page.
  }
}

export function loadDraft(slug: string, parentId: string | null): Draft | null {
  return all(slug)[parentId ?? TOP] ?? null;
}

export function hasDraft(slug: string, parentId: string): boolean {
  return parentId in all(slug);
}

export function saveDraft(slug: string, parentId: string | null, draft: Draft): void {
  const drafts = all(slug);
  if (!draft.body.trim() && !draft.quote && !draft.stance) delete drafts[parentId ?? TOP];
  else drafts[parentId ?? TOP] = draft;
  save(slug, drafts);
}

export function clearDraft(slug: string, parentId: string | null): void {
  const drafts = all(slug);
  delete drafts[parentId ?? TOP];
  save(slug, drafts);
}

// Another tab of the same reader wrote a draft: forget what this page cached.
window.addEventListener('storage', (event) => {
  if (event.key?.startsWith('essay-forum:drafts:')) cache.delete(event.key.slice('essay-forum:drafts:'.length));
});
