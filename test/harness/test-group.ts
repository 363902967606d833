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
 * database server's work are not counted. Tests a file runs concurrently share their time. What a browser's helper
 * processes use as it closes is lost (see CpuMeter).
 *
 * What the group's files share (process-scope.ts: one browser) is closed once the last has run.
 */
export function runGroup(files: [name: string, url: string][], cpuFile: string): void {
  startProcessScope();
  after(closeProcessScope);
  for (const [name, url] of files) {
    describe(name, async () => {
      const file = new CpuMeter();
      const tests = new Map<string, number>();
      before(() => file.sample());
      beforeEach((t) => {
        file.sample();
        tests.set(t.name, treeCpuMs());
      });
      afterEach((t) => {
        file.sample();
        record({ file: name, test: t.name, cpuMs: Math.max(0, treeCpuMs() - (tests.get(t.name) ?? 0)) });
      });
      await import(url);
      after(() => record({ file: name, cpuMs: file.sample() }));
    });
  }

  function record(line: { file: string; test?: string; cpuMs: number }): void {
    appendFileSync(cpuFile, `${JSON.stringify(line)}\n`);
  }
}

/**
 * CPU time summed over the steps between samples, each step counted only when the tree's time grew: a browser that
 * closes leaves its helper processes to be reaped by init, whose time (the renderers', a second per launch) then
 * leaves the tree, and the measure would otherwise fall back by what they used. Sampled at every test's start and
 * end, it keeps what they used until the last of these samples.
 */
class CpuMeter {
  private total = 0;
  private last: number | null = null;

  /** The time so far. */
  sample(): number {
    const now = treeCpuMs();
    if (this.last !== null) this.total += Math.max(0, now - this.last);
    this.last = now;
    return this.total;
  }
}
