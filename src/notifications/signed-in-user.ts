import { type Viewer } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';

/**
 * The signed-in user's id (401 without one). Unlike requireWriter it lets a banned user through: an inbox and a list
 * of follows are one's own, and reading or tidying them writes nothing anyone else sees.
 */
export function requireSignedIn(viewer: Viewer): string {
  if (!viewer.userId) throw new DomainError(ErrorCode.Unauthenticated, 'Sign in first.');
  return viewer.userId;
}
