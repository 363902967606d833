import type { NewQuote, Stance } from './api.js';

/**
 * A reply being written: kept in localStorage per article and box (the essay's own box, a comment's reply box, or a
 * passage's box in the margin), so that nothing a reader types gets lost.
 */
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

/**
 * Which box a draft belongs to: a comment's id for a reply to it, null for the essay's own box, `passage:<blockId>`
 * for a comment written at a passage from the margin.
 */
export type DraftKey = string | null;

export function passageDraftKey(blockId: string): string {
  return `passage:${blockId}`;
}

export function loadDraft(slug: string, key: DraftKey): Draft | null {
  return all(slug)[key ?? TOP] ?? null;
}

export function hasDraft(slug: string, key: string): boolean {
  return key in all(slug);
}

export function saveDraft(slug: string, key: DraftKey, draft: Draft): void {
  const drafts = all(slug);
  if (!draft.body.trim() && !draft.quote && !draft.stance) delete drafts[key ?? TOP];
  else drafts[key ?? TOP] = draft;
  save(slug, drafts);
}

export function clearDraft(slug: string, key: DraftKey): void {
  const drafts = all(slug);
  delete drafts[key ?? TOP];
  save(slug, drafts);
}

// Another tab of the same reader wrote a draft: forget what this page cached.
window.addEventListener('storage', (event) => {
  if (event.key?.startsWith('essay-forum:drafts:')) cache.delete(event.key.slice('essay-forum:drafts:'.length));
});
