import { type CommentDto } from './dto/comment.dto.js';

/** What happens to comments, as the comments and moderation domains record it (see src/events/domain-events.ts). */
declare module '../events/domain-events.js' {
  interface ArticleEvents {
    /**
     * A comment readers had not seen before is visible: posted (`previousStatus` null), approved, or restored after a
     * removal (what it was until then).
     */
    'comment.created': { comment: CommentDto; previousStatus: 'pending' | 'removed' | null };
    /** A visible comment's new text. */
    'comment.updated': { comment: CommentDto };
    /** Its author deleted a comment readers saw: it stays as a placeholder. */
    'comment.deleted': { commentId: string };
    /** A comment readers saw is hidden from them: a moderator removed it, or an edit sent it back to review. */
    'comment.removed': { commentId: string };
    /** A comment readers see as a placeholder is visible again: it was removed, or sent back to review (pending). */
    'comment.restored': { comment: CommentDto; previousStatus: 'pending' | 'removed' };
  }

  interface DomainEvents {
    'comment.published': CommentPublished;
    'comment.held': CommentHeld;
    'comment.reported': CommentReported;
    'comment.edited': CommentEdited;
    /** Its author deleted a comment that was waiting for a moderator: it leaves the queue unseen by readers. */
    'comment.withdrawn': { articleId: string; commentId: string };
  }
}

/** Readers can see a comment for the first time (the same moment as its `comment.created`). */
export interface CommentPublished {
  articleId: string;
  /** As any reader sees it. */
  comment: CommentDto;
  authorId: string;
  /** The author of the comment it answers, when it is a reply. */
  parentAuthorId: string | null;
  /** Just posted (true), or approved or restored by a moderator after it waited (false). */
  isNew: boolean;
  /** When readers could first see it (ISO 8601): when it was posted, or approved. What a notification of it shows. */
  at: string;
}

/** A comment waits for a moderator: a new one held by premoderation or a banned word, or one sent back by an edit. */
export interface CommentHeld {
  articleId: string;
  /** As its author sees it (readers see nothing of it). */
  comment: CommentDto;
  authorId: string;
  /** A new comment (its author's other connections are shown it), or an edited one. */
  isNew: boolean;
}

/** A reader reported a visible comment. */
export interface CommentReported {
  articleId: string;
  /** As a moderator sees it. */
  comment: CommentDto;
}

/** Its author edited a comment and readers see the new text (an edit sent back to review is `comment.held`). */
export interface CommentEdited {
  articleId: string;
  commentId: string;
  authorId: string;
}
