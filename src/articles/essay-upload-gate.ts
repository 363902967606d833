import { type IncomingMessage } from 'node:http';
import { type NextFunction, type Request, type Response } from 'express';
import { AuthService } from '../auth/auth.service.js';
import { credentialsOf } from '../auth/authentication.guard.js';
import { SESSION_COOKIE } from '../auth/request-context.js';
import { ANONYMOUS, requireAdmin } from '../auth/viewer.js';

/** Set on a request the gate let through: the essay's larger body parser reads only those. */
const ADMITTED = Symbol('essay upload admitted');

/**
 * The routes that take an essay's Markdown, with a JSON body: `POST /api/articles`, `PATCH /api/articles/:slug` and
 * their previews, `POST /api/articles/preview` and `POST /api/articles/:slug/preview`.
 */
function isEssayUpload(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  const route =
    (req.method === 'POST' && /^\/api\/articles(?:\/[^/?]+\/preview|\/preview)?\/?(?:\?|$)/i.test(url)) ||
    (req.method === 'PATCH' && /^\/api\/articles\/[^/?]+\/?(?:\?|$)/i.test(url));
  return route && isJson(req);
}

/** What the JSON parser reads by default: `application/json`, with or without parameters. */
export function isJson(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

/** For the essay parser's `type`: true when the gate admitted this request (an admin's essay upload). */
export function isAdmittedEssayUpload(req: IncomingMessage): boolean {
  return (req as IncomingMessage & { [ADMITTED]?: boolean })[ADMITTED] === true;
}

/**
 * Express middleware in front of the body parsers. Reading and walking a 2 MB body costs real CPU, so an essay upload
 * is authorized first, with one indexed session look-up: a request whose credentials do not name an admin allowed to
 * write answers 401 or 403 at once, its body unread (Node discards it without parsing); one with no credentials at all
 * goes on to the 64 KB parser and the route's own 401. Only an admitted request gets the 2 MB parser.
 */
export function essayUploadGate(auth: () => AuthService) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!isEssayUpload(req)) return next();
    const cookie = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    if (req.headers.authorization === undefined && cookie === undefined) return next();
    credentialsOf(auth(), req.headers.authorization, cookie)
      .then((credentials) => {
        requireAdmin(credentials?.viewer ?? ANONYMOUS);
        Object.assign(req, { [ADMITTED]: true });
      })
      .then(() => next(), next);
  };
}
