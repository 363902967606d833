import { type Viewer, isModerator } from '../auth/viewer.js';
import { type CommentStatus } from './comment.entity.js';

interface CommentFacts {
  status: CommentStatus;
  authorId: string;
  /** Readers saw some version of it. */
  published: boolean;
}

/**
 * Who may see what of a comment: the one place these rules live.
 * - never published (readers never saw any version of it, whatever its status now): its author and moderators only
 *   (anyone else: as if it did not exist);
 * - pending again after an edit: its author and moderators see it, readers a `removed` placeholder, as when it left;
 * - removed: everyone sees a placeholder, moderators also the body;
 * - deleted: a placeholder for everyone.
 */
export const CommentAccess = {
  canSee(comment: CommentFacts, viewer: Viewer): boolean {
    return comment.published || isModerator(viewer) || isAuthor(comment, viewer);
  },

  isAuthor(comment: CommentFacts, viewer: Viewer): boolean {
    return isAuthor(comment, viewer);
  },

  /** The versions of a comment written while it waited for a moderator: its author and moderators only. */
  canSeeHeldVersions(comment: CommentFacts, viewer: Viewer): boolean {
    return isModerator(viewer) || isAuthor(comment, viewer);
  },

  /**
   * The status this viewer is shown: a comment sent back to review by an edit is `removed` to readers (they saw it
   * leave), so no answer (a placeholder, an error message) tells them it waits for a moderator.
   */
  shownStatus(comment: CommentFacts, viewer: Viewer): CommentStatus {
    return comment.status === 'pending' && !CommentAccess.canSeeBody(comment, viewer) ? 'removed' : comment.status;
  },

  /**
   * The moderator's reason for removing a comment: its author (whose placeholder says why) and moderators, while it
   * stays removed; never readers, nor a live event to an article's room (those are everyone's).
   */
  canSeeRemovalReason(comment: CommentFacts, viewer: Viewer): boolean {
    return comment.status === 'removed' && (isModerator(viewer) || isAuthor(comment, viewer));
  },

  canSeeBody(comment: CommentFacts, viewer: Viewer): boolean {
    switch (comment.status) {
      case 'visible':
        return true;
      case 'pending':
        return isModerator(viewer) || isAuthor(comment, viewer);
      case 'removed':
        return isModerator(viewer);
      case 'deleted':
        return false;
    }
  },
};

function isAuthor(comment: CommentFacts, viewer: Viewer): boolean {
  return viewer.userId !== null && viewer.userId === comment.authorId;
}
