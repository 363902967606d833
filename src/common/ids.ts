import { ValidateBy, type ValidationOptions } from 'class-validator';
import { DomainError, type ErrorCode } from './errors/domain-error.js';

/** The largest value of PostgreSQL's bigint (int8), the type of every id. */
const MAX_BIGINT = 9223372036854775807n;
/** Canonical decimal: ASCII digits, no sign, no leading zero, no space; at most 19 digits. */
const ID_SHAPE = /^[1-9]\d{0,18}$/;

/**
 * The one test of an id: a positive bigint within int8, written the one canonical way. Everything that reaches a
 * query as an id has passed it (DTO fields through IsEntityId, path parameters through parseId), so no input can make
 * PostgreSQL fail with "out of range for type bigint" (a 500).
 */
export function isId(raw: unknown): raw is string {
  return typeof raw === 'string' && ID_SHAPE.test(raw) && BigInt(raw) <= MAX_BIGINT;
}

/** A database id from a path: anything else names nothing, so the given 404. */
export function parseId(raw: string, notFound: ErrorCode, what: string): string {
  if (!isId(raw)) throw new DomainError(notFound, `No such ${what}.`);
  return raw;
}

/** A DTO field (body or query) holding an id: a 400 naming the field when it is not one (see isId). */
export function IsEntityId(what: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEntityId',
      validator: {
        validate: (value: unknown) => isId(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} is not ${what} id (a positive integer of at most 19 digits, within 9223372036854775807)`,
      },
    },
    options,
  );
}
