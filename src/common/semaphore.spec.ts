import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('never runs more than its slots at once, and runs everything, in arrival order', async () => {
    const gate = new Semaphore(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const tasks = Array.from({ length: 10 }, (_, i) =>
      gate.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return i * 2;
      }),
    );
    assert.deepEqual(await Promise.all(tasks), Array.from({ length: 10 }, (_, i) => i * 2));
    assert.equal(most, 2);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('frees its slot when the work fails', async () => {
    const gate = new Semaphore(1);
    await assert.rejects(gate.run(() => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await gate.run(() => Promise.resolve('after')), 'after');
  });
});
