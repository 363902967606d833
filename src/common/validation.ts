import { isISO8601, ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import { findHiddenCharacter } from './display-name.js';
import { timeZoneName } from './time-zones.js';

/**
 * At most `max` Unicode code points: what PostgreSQL's varchar(n) counts (class-validator's MaxLength does not count
 * variation selectors, so a string it passes can still overflow the column).
 */
export function MaxCodePoints(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxCodePoints',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && [...value].length <= max,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be at most ${max} characters`,
      },
    },
    options,
  );
}

/** Optional, but not null: absent skips validation, null is validated (and refused by the type checks). */
export function OptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/** `2024-01-19T10:00:00Z`: a date with a time and a UTC offset (or Z). Week (`2099-W01-1`) and ordinal (`2099-365`)
 * dates, dates without a time or an offset, are not instants. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** True for an ISO-8601 date-time with an offset naming a real instant (the day exists) in the years 1-9999 (UTC). */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_TIME.test(value) || !isISO8601(value, { strict: true })) return false;
  const time = Date.parse(value);
  return time >= EARLIEST && time <= LATEST;
}

/**
 * The one date validator of the API: every date a request may carry passes it, so every date that reaches a service
 * is a real instant (`new Date(value)` is never Invalid Date).
 */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => isInstant(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be an ISO-8601 date-time with an offset, e.g. 2024-01-19T00:00:00Z`,
      },
    },
    options,
  );
}

/** A name shown to everyone: no invisible, formatting or control characters (see findHiddenCharacter). */
export function NoHiddenCharacters(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'noHiddenCharacters',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && findHiddenCharacter(value) === null,
        defaultMessage: (args) => {
          const found = typeof args?.value === 'string' ? findHiddenCharacter(args.value) : null;
          return `${args?.property ?? 'value'} must not contain invisible, formatting or control characters${found ? ` (found ${found})` : ''}`;
        },
      },
    },
    options,
  );
}

/** An IANA time zone this runtime knows, in the form it is stored (see timeZoneName; a DTO's Transform gives it). */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimeZone',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && timeZoneName(value) === value,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be an IANA time zone such as Europe/Paris or America/New_York (or null)`,
      },
    },
    options,
  );
}
