import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type UserRole } from '../users/user.entity.js';

/** Who is reading: decides what of a thread they may see. Set on the request by authentication. */
export interface Viewer {
  userId: string | null;
  role: UserRole | null;
}

export const ANONYMOUS: Viewer = Object.freeze({ userId: null, role: null });

export function isModerator(viewer: Viewer): boolean {
  return viewer.role === 'moderator' || viewer.role === 'admin';
}

export interface RequestWithViewer {
  viewer?: Viewer;
}

/** The request's viewer; anonymous when nobody is signed in. */
export const CurrentViewer = createParamDecorator((_data: unknown, context: ExecutionContext): Viewer => {
  const request = context.switchToHttp().getRequest<RequestWithViewer>();
  return request.viewer ?? ANONYMOUS;
});
