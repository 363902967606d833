import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { ANSWER_SCHEMAS_DIGEST } from './reader-cache.js';

type Schema = Record<string, unknown>;

/** The committed openapi.json (CI fails when it differs from the code), from dist/src/articles/. */
const OPENAPI = new URL('../../../openapi.json', import.meta.url);
/** The answers the reader cache keeps, by the schema each answers with. */
const CACHED_ANSWERS = [
  ['/api/articles/{slug}', 'get'],
  ['/api/articles/{slug}/comments', 'get'],
] as const;

/** Every schema `root` names, itself included, by name: what a cached answer may hold. */
function reachable(schemas: Record<string, Schema>, root: string, found = new Map<string, Schema>()) {
  if (found.has(root)) return found;
  found.set(root, schemas[root]);
  const refs = JSON.stringify(schemas[root]).matchAll(/"#\/components\/schemas\/([^"]+)"/g);
  for (const [, name] of refs) reachable(schemas, name, found);
  return found;
}

describe('the reader cache', () => {
  it('is told when what it keeps changes shape: ANSWER_FORMAT is raised with ANSWER_SCHEMAS_DIGEST', async () => {
    const document = JSON.parse(await readFile(OPENAPI, 'utf8')) as {
      paths: Record<string, Record<string, { responses: Record<string, Schema> }>>;
      components: { schemas: Record<string, Schema> };
    };
    const found = new Map<string, Schema>();
    for (const [path, method] of CACHED_ANSWERS) {
      const answer = document.paths[path][method].responses['200'] as {
        content: Record<string, { schema: { $ref: string } }>;
      };
      reachable(document.components.schemas, answer.content['application/json'].schema.$ref.split('/').pop()!, found);
    }
    const canonical = JSON.stringify([...found].sort(([a], [b]) => a.localeCompare(b)));
    const digest = createHash('sha256').update(canonical).digest('hex').slice(0, 16);
    assert.equal(
      digest,
      ANSWER_SCHEMAS_DIGEST,
      'The essay or thread answer changed shape: copies cached (and ETags given) by the code before would answer for ' +
        `it. Raise ANSWER_FORMAT in reader-cache.ts and set ANSWER_SCHEMAS_DIGEST to '${digest}'.`,
    );
  });
});
