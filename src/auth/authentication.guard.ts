import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { OWN_AUTHORIZATION } from '../common/own-authorization.js';
import { AuthService } from './auth.service.js';
import { type AuthenticatedRequest, SESSION_COOKIE } from './request-context.js';
import { type Viewer } from './viewer.js';

export interface Credentials {
  viewer: Viewer;
  authVia: 'bearer' | 'cookie';
  sessionToken: string;
}

/**
 * Who the request's credentials name: `Authorization: Bearer <token>` first (a header that opens no session is a 401
 * at once), else the web client's httpOnly cookie (a stale one reads as anonymous: null). Tokens in URLs are never
 * looked at. Shared by the guard and by the gate in front of the essay upload's large body parser.
 */
export async function credentialsOf(
  auth: AuthService,
  authorization: string | undefined,
  cookie: unknown,
): Promise<Credentials | null> {
  if (authorization !== undefined) {
    const match = /^Bearer ([^\s]+)$/i.exec(authorization);
    const session = match ? await auth.sessionFor(match[1]) : null;
    if (!session || !match) throw new DomainError(ErrorCode.Unauthenticated, 'The token is unknown or has expired.');
    return { viewer: session.viewer, authVia: 'bearer', sessionToken: match[1] };
  }
  if (typeof cookie !== 'string') return null;
  const session = await auth.sessionFor(cookie);
  return session && { viewer: session.viewer, authVia: 'cookie', sessionToken: cookie };
}

/**
 * Global: finds who is asking (see credentialsOf) and leaves it on the request; a route marked `@OwnAuthorization()`
 * checks its own bearer token and has no viewer.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(OWN_AUTHORIZATION, [context.getHandler(), context.getClass()]))
      return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const cookies = request.cookies as Record<string, unknown> | undefined;
    const credentials = await credentialsOf(this.auth, request.headers.authorization, cookies?.[SESSION_COOKIE]);
    if (credentials) Object.assign(request, credentials);
    return true;
  }
}
