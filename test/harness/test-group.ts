import { appendFileSync } from 'node:fs';
import { after, afterEach, before, beforeEach, describe } from 'node:test';
import { treeCpuMs } from './cpu-time.js';
import { closeProcessScope, startProcessScope } from './process-scope.js';

/**
 * The body of a test process (run-tests.ts writes an entry file per group that calls this): imports the group's test
 * files one after another, each inside a suite named after the file (dist/test/x.e2e.js), which the durations
 * reporter times and the spec reporter shows, so that each file's hooks and failures stay its own.
 *
 * Each file's suite appends to `cpuFile` the CPU time (test/harness/cpu-time.ts: this process and every process below
 * it) that its hooks and tests took, a line of JSON, and one more line per test, its own: from the file's first hook
 * to its last, so loading the modules (shared by the group's files, all imported when the group starts) and the
 * database server's work are not counted. Tests a file runs concurrently share their time.
 *
 * What the group's files share (process-scope.ts: one browser) is closed once the last has run.
 */
export function runGroup(files: [name: string, url: string][], cpuFile: string): void {
  startProcessScope();
  after(closeProcessScope);
  for (const [name, url] of files) {
    describe(name, async () => {
      let fileStart = 0;
      const testStart = new Map<string, number>();
      before(() => (fileStart = treeCpuMs()));
      beforeEach((t) => testStart.set(t.name, treeCpuMs()));
      afterEach((t) => record({ file: name, test: t.name, cpuMs: treeCpuMs() - (testStart.get(t.name) ?? 0) }));
      await import(url);
      after(() => record({ file: name, cpuMs: treeCpuMs() - fileStart }));
    });
  }

  function record(line: { file: string; test?: string; cpuMs: number }): void {
    appendFileSync(cpuFile, `${JSON.stringify(line)}\n`);
  }
}
