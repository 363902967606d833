import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PeriodicTask, type Scheduler } from './periodic-task.js';

/** A scheduler driven by hand: `fire()` is one interval going by. */
function manualScheduler() {
  const ticks = new Set<() => void>();
  const scheduler: Scheduler = {
    every(_ms, tick) {
      ticks.add(tick);
      return { stop: () => ticks.delete(tick) };
    },
  };
  return { scheduler, fire: () => [...ticks].forEach((tick) => tick()), count: () => ticks.size };
}

function collectingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { warn: (message: string) => void warnings.push(message) } };
}

describe('PeriodicTask', () => {
  it('logs a failing run once, with the task name, and still runs the next time', async () => {
    const { scheduler } = manualScheduler();
    const { warnings, logger } = collectingLogger();
    let runs = 0;
    const sut = new PeriodicTask(
      'idempotency key pruning',
      1000,
      () => {
        runs++;
        return runs === 1 ? Promise.reject(new Error('connection lost')) : Promise.resolve();
      },
      { scheduler, logger },
    );

    await sut.tick();
    await sut.tick();

    assert.equal(runs, 2);
    assert.deepEqual(warnings, ['idempotency key pruning failed: connection lost']);
  });

  it('runs on each interval once started, and no more after stop()', async () => {
    const clock = manualScheduler();
    const { logger } = collectingLogger();
    let runs = 0;
    const sut = new PeriodicTask('sweep', 1000, () => Promise.resolve(runs++), { scheduler: clock.scheduler, logger });

    clock.fire();
    assert.equal(runs, 0, 'nothing runs before start()');
    sut.start();
    sut.start();
    assert.equal(clock.count(), 1, 'starting twice schedules once');
    clock.fire();
    await new Promise(setImmediate);
    clock.fire();
    await new Promise(setImmediate);
    assert.equal(runs, 2);
    sut.stop();
    clock.fire();
    assert.equal(runs, 2);
    assert.equal(clock.count(), 0);
  });

  it('never overlaps itself: a tick during a run is skipped', async () => {
    const { logger } = collectingLogger();
    let release!: () => void;
    let runs = 0;
    const sut = new PeriodicTask(
      'slow sweep',
      1000,
      () => {
        runs++;
        return new Promise<void>((resolve) => (release = resolve));
      },
      { scheduler: manualScheduler().scheduler, logger },
    );

    const first = sut.tick();
    await sut.tick();
    assert.equal(runs, 1);
    release();
    await first;
    const second = sut.tick();
    assert.equal(runs, 2);
    release();
    await second;
  });
});
