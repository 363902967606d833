import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** This file runs as dist/test/database-cli.e2e.js. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function run(args: string[]): Promise<{ code: number; out: string }> {
  const server = process.env.TEST_PG_SERVER_URL;
  if (!server) throw new Error('TEST_PG_SERVER_URL is not set: run the suites through `npm test`.');
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'src', 'database', 'cli.js'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: server, LOG_LEVEL: 'error' },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, out })));
}

describe('the database scripts', () => {
  it('point only at compiled files that exist', async () => {
    const scripts = (
      JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    for (const [name, command] of Object.entries(scripts)) {
      for (const file of command.match(/\bdist\/\S+\.js\b/g) ?? []) {
        assert.ok(
          existsSync(path.join(repoRoot, file)),
          `npm run ${name} needs ${file}, which the build does not make`,
        );
      }
    }
  });

  it('migration:generate writes nothing when the migrations already give the entities their schema', async () => {
    const before = await readdir(path.join(repoRoot, 'migrations'));
    const { code, out } = await run(['generate', 'NothingToDo']);
    assert.equal(code, 0, out);
    assert.match(out, /Entities and migrations agree: no migration to generate\./);
    assert.deepEqual(await readdir(path.join(repoRoot, 'migrations')), before);
  });

  it('migration:generate refuses a missing or badly formed name', async () => {
    for (const args of [['generate'], ['generate', '../escape'], ['generate', 'lower']]) {
      const { code, out } = await run(args);
      assert.equal(code, 2, out);
      assert.match(out, /usage: npm run migration:generate -- <Name>/);
    }
  });
});
