import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { type UserRole } from '../users/user.entity.js';

/** Who is reading: decides what of a thread they may see. Set on the request by authentication. */
export interface Viewer {
  userId: string | null;
  role: UserRole | null;
  /** Set while the user is banned: they may read, not write. */
  ban: { until: Date | null; reason: string } | null;
}

export const ANONYMOUS: Viewer = Object.freeze({ userId: null, role: null, ban: null });

export function isModerator(viewer: Viewer): boolean {
  return viewer.role === 'moderator' || viewer.role === 'admin';
}

/**
 * The gate for what is one's own and seen by nobody else (account settings, an inbox, one's follows): signed in
 * (401), banned or not. Returns the user's id.
 */
export function requireSignedIn(viewer: Viewer): string {
  if (!viewer.userId) throw new DomainError(ErrorCode.Unauthenticated, 'Sign in first.');
  return viewer.userId;
}

/**
 * The one gate for writing: signed in (401) and not banned (403, saying until when). Returns the user's id.
 */
export function requireWriter(viewer: Viewer): string {
  const userId = requireSignedIn(viewer);
  if (viewer.ban) {
    const until = viewer.ban.until ? `until ${viewer.ban.until.toISOString()}` : 'without an end date';
    throw new DomainError(ErrorCode.Forbidden, `You are banned ${until}: ${viewer.ban.reason}`);
  }
  return userId;
}

/** Moderators and admins, not banned (401 without a user, 403 for anyone else). Returns the user's id. */
export function requireModerator(viewer: Viewer): string {
  const userId = requireWriter(viewer);
  if (!isModerator(viewer)) throw new DomainError(ErrorCode.Forbidden, 'Only moderators may do this.');
  return userId;
}

/** Admins, not banned (401 without a user, 403 for anyone else). Returns the user's id. */
export function requireAdmin(viewer: Viewer): string {
  const userId = requireWriter(viewer);
  if (viewer.role !== 'admin') throw new DomainError(ErrorCode.Forbidden, 'Only an admin may do this.');
  return userId;
}

export interface RequestWithViewer {
  viewer?: Viewer;
}

/** The request's viewer; anonymous when nobody is signed in. */
export const CurrentViewer = createParamDecorator((_data: unknown, context: ExecutionContext): Viewer => {
  const request = context.switchToHttp().getRequest<RequestWithViewer>();
  return request.viewer ?? ANONYMOUS;
});
