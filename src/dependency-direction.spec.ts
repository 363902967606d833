import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

/** The TypeScript files under a folder of the repository (read from the sources: the run starts at the root). */
function sourcesUnder(folder: string): string[] {
  const root = path.join(process.cwd(), folder);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(root, file));
}

/** Each import or re-export of a file, resolved to a path relative to the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/\b(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
  return specifiers.map((s) => path.relative(process.cwd(), path.resolve(path.dirname(file), s)));
}

function offenders(folder: string, forbidden: string): string[] {
  return sourcesUnder(folder).flatMap((file) =>
    importsOf(file)
      .filter((target) => target === forbidden || target.startsWith(`${forbidden}${path.sep}`))
      .map((target) => `${path.relative(process.cwd(), file)} -> ${target}`),
  );
}

describe('the direction of dependencies', () => {
  it('finds an import it should refuse (the check itself works)', () => {
    assert.ok(offenders('seeds', 'src').length > 0);
  });

  it('keeps src free of imports from seeds: the app does not depend on its seed tooling', () => {
    assert.deepEqual(offenders('src', 'seeds'), []);
  });

  it('keeps comments free of imports from votes: votes sit on comments', () => {
    assert.deepEqual(offenders(path.join('src', 'comments'), path.join('src', 'votes')), []);
  });

  it('keeps users free of the moderation log: pages that read it are moderation’s', () => {
    const reachIns = sourcesUnder(path.join('src', 'users')).filter((file) =>
      readFileSync(file, 'utf8').includes('moderation_log'),
    );
    assert.deepEqual(reachIns, []);
  });
});
