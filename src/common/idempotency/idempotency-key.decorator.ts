import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Request } from 'express';
import { DomainError, ErrorCode } from '../errors/domain-error.js';

/** The Idempotency-Key header: undefined when absent; 400 unless 1-128 visible ASCII characters. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<Request>().headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(value)) {
    throw new DomainError(ErrorCode.ValidationFailed, 'Idempotency-Key must be 1-128 visible ASCII characters.');
  }
  return value;
});
