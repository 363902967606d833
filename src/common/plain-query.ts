import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';

/**
 * Reads a query that is plainly valid straight into its DTO, or answers null when it cannot tell at a glance (a value
 * out of range, a repeated or unknown parameter, a number written oddly): the full validation then decides, and
 * gives its answer (the value or the 400) as for any other query. It never accepts what the full validation refuses,
 * and gives what the full validation would for what it accepts.
 */
export type PlainQueryReader<T extends object> = (query: Record<string, unknown>) => T | null;

const readers = new Map<unknown, PlainQueryReader<object>>();

/** Gives the query DTO `type` a reader for its plainly valid queries (see PlainQueryReader). */
export function readPlainQueries<T extends object>(type: new () => T, reader: PlainQueryReader<T>): void {
  readers.set(type, reader);
}

/** The reader given to this query DTO, if any. */
export function plainQueryReaderOf(type: unknown): PlainQueryReader<object> | undefined {
  return readers.get(type);
}

/**
 * The app's ValidationPipe, with a short way through for a query DTO that has a reader (readPlainQueries): class-
 * transformer and class-validator walk every decorator of the DTO, which is most of the work Nest does for a hot read
 * such as the thread's first page.
 */
export class AppValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const reader = metadata.type === 'query' ? plainQueryReaderOf(metadata.metatype) : undefined;
    const read =
      reader && typeof value === 'object' && value !== null ? reader(value as Record<string, unknown>) : null;
    return read ? Promise.resolve(read) : super.transform(value, metadata);
  }
}

/** The integer a query value writes in plain decimal (no sign, no leading zero, no exponent), if within [min, max]. */
export function plainInt(value: unknown, min: number, max: number): number | null {
  if (typeof value !== 'string' || !/^(?:0|[1-9][0-9]{0,5})$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}
