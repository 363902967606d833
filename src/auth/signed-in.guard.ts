import { applyDecorators, type CanActivate, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { fromOwnOrigin } from './origin-policy.js';
import { type AuthenticatedRequest } from './request-context.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The action needs a signed-in user (401 otherwise). A write authenticated by the session cookie must also come from
 * one of our own pages: its Origin (or, lacking one, its Referer) must be the server's own origin or one of
 * PUBLIC_ORIGINS, else 403. Bearer-token writes need no such check: a browser never adds the header by itself.
 */
@Injectable()
export class SignedInGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!request.viewer?.userId) throw new DomainError(ErrorCode.Unauthenticated, 'Sign in first.');
    if (request.authVia === 'cookie' && !SAFE_METHODS.has(request.method) && !this.fromOwnPage(request)) {
      throw new DomainError(ErrorCode.Forbidden, 'Cross-site request refused.');
    }
    return true;
  }

  /** HTTP's evidence: the Origin, else the Referer; the own origin has the scheme the request came by. */
  private fromOwnPage(request: AuthenticatedRequest): boolean {
    const { origin, referer, host } = request.headers;
    return fromOwnOrigin({ origin, referer, host, schemes: [request.protocol] }, this.config.publicOrigins);
  }
}

/** Marks an operation as needing a signed-in user. */
export function SignedIn(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(SignedInGuard), ApiBearerAuth());
}
