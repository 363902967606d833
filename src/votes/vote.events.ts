/** What votes do (see src/events/domain-events.ts). */
declare module '../events/domain-events.js' {
  interface ArticleEvents {
    /** A vote moved a comment's counters. */
    'comment.voted': { commentId: string; score: number; upvotes: number; downvotes: number };
  }
}

export {};
