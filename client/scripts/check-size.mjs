#!/usr/bin/env node
// The client's size budget: every JavaScript file of the built client, gzipped, added up, must stay within the budget.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 60 * 1024;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

async function jsFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await jsFiles(full)));
    else if (/\.(m?js)$/.test(entry.name)) files.push(full);
  }
  return files.sort();
}

const files = await jsFiles(dist).catch(() => null);
if (!files || files.length === 0) {
  console.error(`client:size: no JavaScript under ${dist}: run \`npm run build\` first.`);
  process.exit(1);
}
let total = 0;
for (const file of files) {
  const raw = await readFile(file);
  const gzipped = gzipSync(raw, { level: 9 }).length;
  total += gzipped;
  console.log(
    `${path.relative(dist, file).padEnd(40)} ${(raw.length / 1024).toFixed(1).padStart(7)} KB  ${(gzipped / 1024).toFixed(1).padStart(6)} KB gzipped`,
  );
}
const verdict = total <= BUDGET_BYTES ? 'within' : 'OVER';
console.log(
  `client JavaScript: ${(total / 1024).toFixed(1)} KB gzipped, ${verdict} the budget of ${BUDGET_BYTES / 1024} KB`,
);
process.exit(total <= BUDGET_BYTES ? 0 : 1);
