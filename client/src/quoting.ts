import type { NewQuote } from './api.js';
import { Store } from './store.js';

/** A quote taken from a selection, on its way to a reply box: `parentId` null for the essay's own box. */
export interface QuoteRequest {
  quote: NewQuote;
  parentId: string | null;
  n: number;
}

export const quoteRequest = new Store<QuoteRequest | null>(null);
let n = 0;

export function requestQuote(quote: NewQuote, parentId: string | null): void {
  quoteRequest.set({ quote, parentId, n: ++n });
}

/** Takes the request when it is for this box (once). */
export function takeQuote(parentId: string | null): NewQuote | null {
  const request = quoteRequest.value;
  if (!request || request.parentId !== parentId) return null;
  quoteRequest.set(null);
  return request.quote;
}
