import { type Request } from 'express';
import { type Viewer } from './viewer.js';

/** What authentication leaves on the request. */
export interface AuthenticatedRequest extends Request {
  viewer?: Viewer;
  /** How the viewer authenticated: decides whether a write needs the CSRF check. */
  authVia?: 'bearer' | 'cookie';
  /** The raw session token, for logout. */
  sessionToken?: string;
}

export const SESSION_COOKIE = 'forum_session';
