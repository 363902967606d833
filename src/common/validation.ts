import { ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import { findHiddenCharacter } from './display-name.js';

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
