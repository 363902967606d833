import { createContext } from 'preact';
import type { Comment, Stance, ThreadSort, User } from '../api.js';

/** What every comment of a thread needs from the view that shows it. */
export interface ThreadContextValue {
  slug: string;
  sort: ThreadSort;
  locked: boolean;
  /**
   * The discussion's rules a writer meets (premoderation, slow mode), told before they write; absent where the view
   * does not know them.
   */
  rules?: { premoderation: boolean; slowModeSeconds: number };
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

/**
 * What a comment answers, as its stance names it: the essay for a top-level comment, else its parent's author (or,
 * when the parent is a placeholder or not on the page, the comment itself).
 */
export type StanceTarget = { kind: 'essay' } | { kind: 'person'; name: string } | { kind: 'comment'; name: string };

export function stanceTargetOf(comment: Comment, parent: Comment | null | undefined): StanceTarget {
  if (comment.parentId === null) return { kind: 'essay' };
  if (parent?.author) return { kind: 'person', name: parent.author.displayName };
  if (parent?.status === 'deleted') return { kind: 'comment', name: 'a deleted comment' };
  if (parent) return { kind: 'comment', name: 'a removed comment' };
  return { kind: 'comment', name: 'a comment' };
}

/** A stance in words, after the author's name: "disagrees with Alice", "asks a question of the essay". */
export function stancePhrase(stance: Stance, target: StanceTarget): string {
  const who = target.kind === 'essay' ? 'the essay' : target.name;
  switch (stance) {
    case 'agree':
      return `agrees with ${who}`;
    case 'disagree':
      return `disagrees with ${who}`;
    case 'question':
      return target.kind === 'person' ? `asks ${who} a question` : `asks a question of ${who}`;
    case 'evidence':
      return target.kind === 'person' ? `brings evidence to ${who}’s comment` : `brings evidence to ${who}`;
  }
}
