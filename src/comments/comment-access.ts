import { type Viewer, isModerator } from '../auth/viewer.js';
import { type CommentStatus } from './comment.entity.js';

interface CommentFacts {
  status: CommentStatus;
  authorId: string;
}

/**
 * Who may see what of a comment: the one place these rules live.
 * - pending: its author and moderators only (anyone else: as if it did not exist);
 * - removed: everyone sees a placeholder, moderators also the body;
 * - deleted: a placeholder for everyone.
 */
export const CommentAccess = {
  canSee(comment: CommentFacts, viewer: Viewer): boolean {
    return comment.status !== 'pending' || isModerator(viewer) || isAuthor(comment, viewer);
  },

  isAuthor(comment: CommentFacts, viewer: Viewer): boolean {
    return isAuthor(comment, viewer);
  },

  /** The versions of a comment written while it waited for a moderator: its author and moderators only. */
  canSeeHeldVersions(comment: CommentFacts, viewer: Viewer): boolean {
    return isModerator(viewer) || isAuthor(comment, viewer);
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
