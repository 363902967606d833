#!/usr/bin/env node
// The client's size budget. The reading view (the page's entry chunk and every chunk it imports statically) must stay
// within 60 KB gzipped; chunks loaded on demand (moderation tools, search, profiles, the diff) are listed with their
// sizes but do not count against it, since a reader of an essay never downloads them. The embedded discussion is the
// same entry (in its embedded mode), so the same budget holds for it. /embed.js, which publishers' pages load, is
// built apart and has a budget of its own: 8 KB gzipped.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const READING_VIEW_BUDGET = 60 * 1024;
const EMBED_SCRIPT_BUDGET = 8 * 1024;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

const manifest = await readFile(new URL('.vite/manifest.json', `file://${dist}`), 'utf8')
  .then((text) => JSON.parse(text))
  .catch(() => null);
if (!manifest) {
  console.error(`client:size: no ${dist}.vite/manifest.json: run \`npm run build\` first.`);
  process.exit(1);
}

const gzippedSize = async (file) => gzipSync(await readFile(`${dist}${file}`), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** The chunks a page loads before it can run: the entry and everything it imports statically, transitively. */
function staticClosure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imported of manifest[key].imports ?? []) staticClosure(imported, seen);
  return seen;
}

const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
const readingView = new Set(entries.flatMap((key) => [...staticClosure(key)]));
let readingTotal = 0;
let everything = 0;
for (const [key, chunk] of Object.entries(manifest).sort(([, a], [, b]) => a.file.localeCompare(b.file))) {
  if (!chunk.file.endsWith('.js')) continue;
  const size = await gzippedSize(chunk.file);
  everything += size;
  const initial = readingView.has(key);
  if (initial) readingTotal += size;
  console.log(`${chunk.file.padEnd(44)} ${kb(size).padStart(9)} gzipped  ${initial ? 'reading view' : 'on demand'}`);
}
const within = readingTotal <= READING_VIEW_BUDGET;
console.log(`all client JavaScript: ${kb(everything)} gzipped`);
console.log(
  `reading view: ${kb(readingTotal)} gzipped, ${within ? 'within' : 'OVER'} its budget of ${kb(READING_VIEW_BUDGET)}`,
);
const embedScript = await gzippedSize('embed.js').catch(() => null);
const embedWithin = embedScript !== null && embedScript <= EMBED_SCRIPT_BUDGET;
console.log(
  embedScript === null
    ? 'embed.js: missing (run `npm run build`)'
    : `embed.js: ${kb(embedScript)} gzipped, ${embedWithin ? 'within' : 'OVER'} its budget of ${kb(EMBED_SCRIPT_BUDGET)}`,
);
process.exit(within && embedWithin ? 0 : 1);
