import { createHash } from 'node:crypto';
import { applyDecorators, type ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { type AppConfig } from '../../config/app-config.js';
import { DomainError, ErrorCode } from '../errors/domain-error.js';
import { type DatabaseThrottlerStorage, type ThrottlerCount } from './database-throttler-storage.js';

interface TrackedRequest {
  ip?: string;
  viewer?: { userId: string | null };
}

const MINUTE = 60_000;

/**
 * Write limits, per client address and per signed-in user, each multiplied by RATE_LIMIT_FACTOR. Generous enough for
 * a busy reader (a comment every 2 seconds, a vote every half second), tight enough to stop a script.
 */
export function rateLimitOptions(config: AppConfig): ThrottlerModuleOptions {
  const scaled = (n: number) => Math.max(1, Math.round(n * config.rateLimitFactor));
  const lookup = (context: ExecutionContext) => Reflect.getMetadata(LOOKUP_ROUTE, context.getHandler()) === true;
  const userOrAddress = (req: TrackedRequest) =>
    req.viewer?.userId ? `user:${req.viewer.userId}` : `ip:${req.ip ?? 'unknown'}`;
  return {
    throttlers: [
      {
        name: 'ip',
        ttl: MINUTE,
        limit: scaled(240),
        getTracker: (req: TrackedRequest) => `ip:${req.ip ?? 'unknown'}`,
        skipIf: lookup,
      },
      { name: 'user', ttl: MINUTE, limit: scaled(120), getTracker: userOrAddress, skipIf: lookup },
      {
        // Counts only on the lookups made while typing (`@` autocomplete): a budget of their own, not the writes'.
        name: 'lookup',
        ttl: MINUTE,
        limit: scaled(LOOKUPS_PER_MINUTE),
        getTracker: userOrAddress,
        skipIf: (context: ExecutionContext) => !lookup(context),
      },
      {
        // Counts only on the password endpoints (register, login): slows guessing.
        name: 'password',
        ttl: MINUTE,
        limit: scaled(PASSWORD_ATTEMPTS_PER_MINUTE),
        getTracker: (req: TrackedRequest) => `ip:${req.ip ?? 'unknown'}`,
        skipIf: (context: ExecutionContext) => Reflect.getMetadata(PASSWORD_ROUTE, context.getHandler()) !== true,
      },
    ],
  };
}

const PASSWORD_ATTEMPTS_PER_MINUTE = 20;
const PASSWORD_ROUTE = 'forum:password-route';
const LOOKUPS_PER_MINUTE = 120;
const LOOKUP_ROUTE = 'forum:lookup-route';

/**
 * A 429 with Retry-After in the contract's error body. The counters are keyed by the client alone (the throttler's
 * name and the user or address), not by the route as the library does by default: a user has one budget of writes a
 * minute, which commenting, voting, editing, reporting and deleting all spend, and so has an address.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /**
   * The library's check, with one difference: the throttlers that apply to the request are counted in one statement
   * (DatabaseThrottlerStorage.incrementInOrder) instead of a round trip each. As the library does, they are counted in
   * turn and the first one over its limit answers 429, the ones after it not counted; each one counted sets its
   * headers. The options are this app's own (rateLimitOptions): plain numbers, no per-route overrides.
   */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const { req, res } = this.getRequestResponse(context);
    const counts: (ThrottlerCount & { tracker: string })[] = [];
    for (const throttler of this.throttlers) {
      if (throttler.skipIf?.(context)) continue;
      const name = throttler.name ?? 'default';
      const tracker = await (throttler.getTracker ?? this.commonOptions.getTracker)!(req, context);
      const ttl = throttler.ttl as number;
      const blockDuration = (throttler.blockDuration as number | undefined) ?? ttl;
      const key = this.generateKey(context, tracker, name);
      counts.push({ key, ttl, limit: throttler.limit as number, blockDuration, throttlerName: name, tracker });
    }
    // The storage the module is given (app.module.ts): the only one whose counts can be taken together.
    const records = await (this.storageService as DatabaseThrottlerStorage).incrementInOrder(counts);
    for (const [index, { key, ttl, limit, throttlerName, tracker }] of counts.entries()) {
      const record = records[index];
      if (!record) break;
      if (record.isBlocked) {
        this.setResponseHeader(res, `Retry-After-${throttlerName}`, record.timeToBlockExpire);
        await this.throwThrottlingException(context, { limit, ttl, key, tracker, ...record });
      }
      this.setResponseHeader(res, `${this.headerPrefix}-Limit-${throttlerName}`, limit);
      this.setResponseHeader(
        res,
        `${this.headerPrefix}-Remaining-${throttlerName}`,
        Math.max(0, limit - record.totalHits),
      );
      this.setResponseHeader(res, `${this.headerPrefix}-Reset-${throttlerName}`, record.timeToExpire);
    }
    return true;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, _throttlerName: string): string {
    // Hashed to a fixed length: behind a trusted proxy the address comes from X-Forwarded-For, text of any length,
    // and the key column holds 128 characters. The storage prefixes the throttler's name (DatabaseThrottlerStorage).
    return createHash('sha256').update(tracker).digest('hex');
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    return Promise.reject(
      new DomainError(ErrorCode.RateLimited, `Too many requests; try again in ${seconds} s.`, seconds),
    );
  }
}

/** Applies the write limits to an operation. */
export function RateLimited(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(RateLimitGuard));
}

/**
 * The limit of a read made while typing (`@` autocomplete): LOOKUPS_PER_MINUTE per user, a budget of its own, so that
 * typing never spends the writes a reader needs to post.
 */
export function LookupRateLimited(): MethodDecorator {
  return applyDecorators(SetMetadata(LOOKUP_ROUTE, true), UseGuards(RateLimitGuard));
}

/** The write limits plus the stricter per-address limit of the password endpoints. */
export function PasswordRateLimited(): MethodDecorator {
  return applyDecorators(SetMetadata(PASSWORD_ROUTE, true), UseGuards(RateLimitGuard));
}
