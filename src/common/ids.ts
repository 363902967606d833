import { DomainError, type ErrorCode } from './errors/domain-error.js';

const MAX_BIGINT = 9223372036854775807n;

/** A database id from a path or body: digits only, within bigint. Anything else names nothing: the given 404. */
export function parseId(raw: string, notFound: ErrorCode, what: string): string {
  if (!/^[1-9]\d{0,18}$/.test(raw) || BigInt(raw) > MAX_BIGINT) throw new DomainError(notFound, `No such ${what}.`);
  return raw;
}

export function isId(raw: unknown): raw is string {
  return typeof raw === 'string' && /^[1-9]\d{0,18}$/.test(raw) && BigInt(raw) <= MAX_BIGINT;
}
