import { type NextFunction, type Request, type Response } from 'express';
import { DomainError, ErrorCode } from './errors/domain-error.js';

/** Deeper than any request of the API: deeper JSON is refused before anything walks it recursively. */
export const MAX_JSON_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;

/**
 * What JSON.parse accepts but the forum must not: nesting deeper than MAX_JSON_DEPTH, prototype keys, NUL characters
 * (PostgreSQL text cannot hold them) and lone UTF-16 surrogates (not text; storing them would silently change what
 * the author wrote). Returns the first problem found, or null. Iterative, so no input can exhaust the stack.
 */
export function findJsonProblem(value: unknown): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof current === 'string') {
      if (NUL.test(current)) return 'Text must not contain NUL characters.';
      if (!current.isWellFormed()) return 'Text must be well-formed Unicode (no lone surrogates).';
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth > MAX_JSON_DEPTH) return `JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted.`;
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key)) return `property ${key} should not exist`;
      if (!key.isWellFormed() || NUL.test(key)) return 'Keys must be well-formed text.';
      stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return null;
}

/** Express middleware after the JSON parser: a 400 for bodies findJsonProblem refuses. */
export function jsonGuard(req: Request, _res: Response, next: NextFunction): void {
  const problem = req.body === undefined ? null : findJsonProblem(req.body);
  next(problem ? new DomainError(ErrorCode.ValidationFailed, problem) : undefined);
}
