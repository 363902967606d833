import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DataSourceOptions } from 'typeorm';

/**
 * Every entity is a `*.entity.js` file beside the domain that owns it; TypeORM loads them from these files, so the
 * database layer imports no domain. The app, the CLI and the tests run from dist/, and the build is incremental: a
 * compiled entity whose TypeScript source was moved or deleted is left out, as long as the sources are there to say.
 */
export function entityFiles(): string[] {
  const compiledRoot = fileURLToPath(new URL('..', import.meta.url));
  const sourceRoot = path.resolve(compiledRoot, '..', '..', 'src');
  const haveSources = existsSync(sourceRoot) && path.resolve(compiledRoot) !== sourceRoot;
  return readdirSync(compiledRoot, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.entity.js'))
    .filter((file) => !haveSources || existsSync(path.join(sourceRoot, file.replace(/\.js$/, '.ts'))))
    .sort()
    .map((file) => path.join(compiledRoot, file));
}

/**
 * The entities TypeORM is given: their files. The suites' one-file build of the app (test/harness/app-bundle.ts)
 * replaces this module by one that imports the entity classes, as a bundle has no entity files of its own to load:
 * loading dist/'s would define every entity a second time, beside the classes the bundled repositories use.
 */
export function entities(): NonNullable<DataSourceOptions['entities']> {
  return entityFiles();
}
