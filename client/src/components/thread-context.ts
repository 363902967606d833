import { createContext } from 'preact';
import type { Comment, ThreadSort, User } from '../api.js';

/** What every comment of a thread needs from the view that shows it. */
export interface ThreadContextValue {
  slug: string;
  sort: ThreadSort;
  locked: boolean;
  /** Depth of the view's top comments (0 on the article, the comment's own on a permalink). */
  baseDepth: number;
  me: User | null | undefined;
  posted(comment: Comment): void;
  /** The reader's own comment as the server now has it (after an edit). */
  updated(comment: Comment): void;
  /** The reader deleted their own comment: its placeholder stays. */
  deleted(id: string): void;
  vote(id: string, value: -1 | 0 | 1): Promise<void>;
  loadMore(id: string): Promise<void>;
}

export const ThreadContext = createContext<ThreadContextValue | null>(null);

/** Levels of replies shown under a view's top comments before "continue this thread". */
export const THREAD_DEPTH = 4;

export const STANCE_LABELS = {
  agree: 'Agrees',
  disagree: 'Disagrees',
  question: 'Asks',
  evidence: 'Adds evidence',
} as const;
