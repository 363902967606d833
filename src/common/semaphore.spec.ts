import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Semaphore, SemaphoreFullError } from './semaphore.js';

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
    assert.deepEqual(
      await Promise.all(tasks),
      Array.from({ length: 10 }, (_, i) => i * 2),
    );
    assert.equal(most, 2);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('frees its slot when the work fails', async () => {
    const gate = new Semaphore(1);
    await assert.rejects(
      gate.run(() => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await gate.run(() => Promise.resolve('after')), 'after');
  });
});

describe('Semaphore with a bounded queue', () => {
  it('refuses at once, with SemaphoreFullError, what would wait beyond maxWaiting, and takes work again once there is room', async () => {
    const sut = new Semaphore(1, 2);
    const releases: (() => void)[] = [];
    const hold = () => sut.run(() => new Promise<void>((resolve) => releases.push(resolve)));
    const running = hold();
    const waiting = [hold(), hold()];
    assert.equal(sut.waitingCount, 2);
    await assert.rejects(hold(), SemaphoreFullError);
    assert.equal(sut.waitingCount, 2, 'the refused work did not join the queue');
    releases[0]();
    await running;
    assert.equal(sut.waitingCount, 1);
    const again = hold();
    assert.equal(sut.waitingCount, 2);
    // The rest run one at a time, in arrival order: release each as it starts.
    for (let i = 1; i <= 3; i++) {
      while (releases.length <= i) await new Promise((resolve) => setImmediate(resolve));
      releases[i]();
    }
    await Promise.all([...waiting, again]);
    assert.equal(sut.waitingCount, 0);
  });
});
