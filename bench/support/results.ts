import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/results/ at the repository's root (git-ignored), from the compiled dist/bench/support/. */
const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'results');

/** Writes a bench's figures as JSON to bench/results/<name>.json and says where. */
export async function writeResults(name: string, results: unknown): Promise<void> {
  const file = path.join(RESULTS_DIR, `${name}.json`);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nFigures written to ${path.relative(process.cwd(), file) || file}`);
}
