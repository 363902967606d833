import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** dist/test/harness: the compiled harness lives beside this compiled file. */
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');

/** Runs `npm test`'s harness (without building) on the given filters; its exit code and output. */
function runHarness(filters: string[]): Promise<{ code: number; out: string }> {
  // A server URL is given so that the harness starts no PostgreSQL: the files run here need none.
  // NODE_TEST_CONTEXT would make the nested test runner think it runs inside this one, and run nothing.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [path.join(here, 'run-tests.js'), ...filters], {
    cwd: repoRoot,
    env: { ...env, DATABASE_URL: 'postgres://unused.invalid/none' },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, out })));
}

describe('the test harness', () => {
  it('does not run a compiled test file whose TypeScript source was deleted', async () => {
    const name = `stale-probe-${randomUUID()}`;
    const marker = `STALE FILE RAN ${randomUUID()}`;
    const compiled = path.join(here, `${name}.e2e.js`);
    await writeFile(
      compiled,
      `import { it } from 'node:test';\nit('is stale', () => { console.log(${JSON.stringify(marker)}); });\n`,
    );
    try {
      const { code, out } = await runHarness([name]);
      assert.ok(!out.includes(marker), out);
      assert.match(
        out,
        new RegExp(`Skipping dist/test/harness/${name}\\.e2e\\.js: its source test/harness/${name}\\.e2e\\.ts is gone`),
      );
      assert.equal(code, 1, 'nothing left to run is a failure');
    } finally {
      await rm(compiled, { force: true });
    }
  });

  it('prints the slowest test files after the spec summary', async () => {
    const { code, out } = await runHarness(['src/common/semaphore.spec', 'src/events/in-order.spec']);
    assert.equal(code, 0, out);
    assert.match(out, /ℹ pass \d+\nℹ fail 0\n/);
    const table = out.slice(out.indexOf('Slowest test files (wall time):'));
    assert.ok(out.indexOf('ℹ duration_ms') < out.indexOf('Slowest test files (wall time):'), out);
    assert.match(table, /^ +\d+\.\d s {2}dist\/src\/common\/semaphore\.spec\.js$/m);
    assert.match(table, /^ +\d+\.\d s {2}dist\/src\/events\/in-order\.spec\.js$/m);
  });

  it('prints the CPU time of the hungriest files and tests, and of the whole run', async () => {
    const { code, out } = await runHarness(['src/common/semaphore.spec']);
    assert.equal(code, 0, out);
    const files = out.slice(out.indexOf('Most CPU-hungry test files'));
    assert.match(files, /^ +\d+\.\d s {2}dist\/src\/common\/semaphore\.spec\.js$/m);
    const tests = out.slice(out.indexOf('Most CPU-hungry tests:'));
    assert.match(tests, /^ +\d+\.\d s {2}dist\/src\/common\/semaphore\.spec\.js: frees its slot when the work fails$/m);
    assert.match(out, /^The whole run used \d+\.\d CPU-s /m);
  });
});
