#!/usr/bin/env node
// Writes a Brotli (.br) and a gzip (.gz) copy beside each of the built client's text assets, compressed once here at
// the highest settings (a few seconds in all) instead of at every request: the server sends the copy the browser takes
// (src/web/web-client.ts). Files under 1 KB and files already compressed (images, fonts) are left alone, and a copy no
// smaller than its file is not written. `node precompress.mjs [dir]` (default: client/dist/assets).
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(js|css|svg|json|html)$/;
/** Smaller files go out as they are: what compression would save is less than a packet. */
const MIN_BYTES = 1024;

const dir = path.resolve(process.argv[2] ?? fileURLToPath(new URL('../dist/assets/', import.meta.url)));
let written = 0;
let before = 0;
let after = 0;
for (const name of (await readdir(dir)).sort()) {
  if (!TEXT.test(name)) continue;
  const file = path.join(dir, name);
  const bytes = await readFile(file);
  // A rebuild into a kept folder must not leave a copy of an older file behind.
  await Promise.all([rm(`${file}.br`, { force: true }), rm(`${file}.gz`, { force: true })]);
  if (bytes.length < MIN_BYTES) continue;
  const copies = {
    br: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gz: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }),
  };
  for (const [extension, copy] of Object.entries(copies)) {
    if (copy.length >= bytes.length) continue;
    await writeFile(`${file}.${extension}`, copy);
    written += 1;
  }
  before += bytes.length;
  after += copies.br.length;
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `precompressed ${written} copies in ${path.relative(process.cwd(), dir) || '.'}: ${kb(before)} → ${kb(after)} with Brotli`,
);
