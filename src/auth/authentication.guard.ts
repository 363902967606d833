import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { AuthService } from './auth.service.js';
import { type AuthenticatedRequest, SESSION_COOKIE } from './request-context.js';

/**
 * Global: finds who is asking, from `Authorization: Bearer <token>` or the web client's httpOnly cookie, and leaves
 * it on the request. A bearer token that opens no session is a 401 at once; a stale cookie reads as anonymous (the
 * client learns it from /auth/me). Tokens in URLs are never looked at.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer ([^\s]+)$/i.exec(header);
      const session = match ? await this.auth.sessionFor(match[1]) : null;
      if (!session || !match) throw new DomainError(ErrorCode.Unauthenticated, 'The token is unknown or has expired.');
      Object.assign(request, { viewer: session.viewer, authVia: 'bearer', sessionToken: match[1] });
      return true;
    }
    const cookies = request.cookies as Record<string, unknown> | undefined;
    const cookie = cookies?.[SESSION_COOKIE];
    if (typeof cookie === 'string') {
      const session = await this.auth.sessionFor(cookie);
      if (session) Object.assign(request, { viewer: session.viewer, authVia: 'cookie', sessionToken: cookie });
    }
    return true;
  }
}
