import { type UserRole } from '../users/user.entity.js';

/**
 * What moderation does to users and to comments (see src/events/domain-events.ts); what readers see of a decision on
 * a comment is a comment event, and `comment.moderated` says who decided what, for the comment's author.
 */
declare module '../events/domain-events.js' {
  interface ArticleEvents {
    /** A moderator featured a top-level comment, or took the mark off (readers see `featured` on the comment). */
    'comment.featured': { commentId: string; featured: boolean };
  }

  interface DomainEvents {
    /** A moderator banned a user (until: ISO-8601, or null for a ban without end). */
    'user.banned': { userId: string; until: string | null; reason: string };
    /** A ban ended: lifted by a moderator, or over by itself. */
    'user.unbanned': { userId: string; role: UserRole };
    'comment.moderated': CommentModerated;
  }
}

/** A moderator's decision moved a comment to another status (approving an already visible comment moves nothing). */
export interface CommentModerated {
  articleId: string;
  commentId: string;
  authorId: string;
  moderatorId: string;
  /** The decision's entry in the moderation log: what names this decision (a notification of it is made once). */
  logId: string;
  decision: ModerationDecision;
  /** The moderator's reason, or null. */
  reason: string | null;
  /**
   * When the moderator decided (ISO 8601): the notification's time, whenever the job that makes it runs. Absent from
   * events recorded before it was added (their jobs may still wait in the queue).
   */
  decidedAt?: string;
}

export type ModerationDecision = 'approved' | 'removed' | 'restored';
