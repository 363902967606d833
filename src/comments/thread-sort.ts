import { type ThreadSort } from '../common/limits.js';

export { THREAD_SORTS, type ThreadSort } from '../common/limits.js';

export interface SortSpec {
  /** The column the sort orders by; `id` breaks ties in the same direction, so paging is stable. */
  column: 'best_score' | 'score' | 'created_at' | 'controversy';
  direction: 'ASC' | 'DESC';
  /** How the key travels in a cursor. */
  keyType: 'number' | 'timestamp';
}

export const SORT_SPECS: Record<ThreadSort, SortSpec> = {
  best: { column: 'best_score', direction: 'DESC', keyType: 'number' },
  top: { column: 'score', direction: 'DESC', keyType: 'number' },
  new: { column: 'created_at', direction: 'DESC', keyType: 'timestamp' },
  old: { column: 'created_at', direction: 'ASC', keyType: 'timestamp' },
  controversial: { column: 'controversy', direction: 'DESC', keyType: 'number' },
};
