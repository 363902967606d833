import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { MAX_TIMEOUT_MS, setLongTimeout } from './long-timer.js';

const DAY = 86_400_000;

describe('setLongTimeout', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.UTC(2026, 0, 1) }));
  afterEach(() => mock.timers.reset());

  it('runs the callback once, when the delay is over and not before', () => {
    let runs = 0;
    setLongTimeout(() => runs++, 5_000);

    mock.timers.tick(4_999);
    assert.equal(runs, 0);
    mock.timers.tick(1);
    assert.equal(runs, 1);
    mock.timers.tick(MAX_TIMEOUT_MS);
    assert.equal(runs, 1);
  });

  it('waits out a delay longer than setTimeout’s 24.8 days, in steps, to the millisecond', () => {
    const start = Date.now();
    const ranAt: number[] = [];
    setLongTimeout(() => ranAt.push(Date.now()), 60 * DAY);

    mock.timers.tick(MAX_TIMEOUT_MS);
    assert.deepEqual(ranAt, [], 'not at the first step');
    mock.timers.tick(MAX_TIMEOUT_MS);
    assert.deepEqual(ranAt, [], 'nor at the second');
    mock.timers.tick(60 * DAY - 2 * MAX_TIMEOUT_MS - 1);
    assert.deepEqual(ranAt, []);
    mock.timers.tick(1);
    assert.deepEqual(ranAt, [start + 60 * DAY]);
  });

  it('runs a delay already over (or of exactly the limit) on the next turn', () => {
    const runs: string[] = [];
    setLongTimeout(() => runs.push('past'), -DAY);
    setLongTimeout(() => runs.push('now'), 0);
    setLongTimeout(() => runs.push('limit'), MAX_TIMEOUT_MS);

    assert.deepEqual(runs, [], 'never synchronously');
    mock.timers.tick(0);
    assert.deepEqual(runs, ['past', 'now']);
    mock.timers.tick(MAX_TIMEOUT_MS);
    assert.deepEqual(runs, ['past', 'now', 'limit']);
  });

  it('never runs once cancelled, before the first step or during a later one', () => {
    let runs = 0;
    const soon = setLongTimeout(() => runs++, 1_000);
    const late = setLongTimeout(() => runs++, 40 * DAY);

    soon.cancel();
    mock.timers.tick(MAX_TIMEOUT_MS + 1);
    late.cancel();
    mock.timers.tick(40 * DAY);
    assert.equal(runs, 0);
  });

  it('may be cancelled after it ran, or twice', () => {
    let runs = 0;
    const sut = setLongTimeout(() => runs++, 10);
    mock.timers.tick(10);
    sut.cancel();
    sut.cancel();
    assert.equal(runs, 1);
  });
});

describe('setLongTimeout in a process', () => {
  it('does not hold the process open', () => {
    // Timers that held the event loop would keep this child running for 40 days: the spawn's bound would kill it.
    const moduleUrl = new URL('./long-timer.js', import.meta.url).href;
    const script = `import { setLongTimeout } from ${JSON.stringify(moduleUrl)};
      setLongTimeout(() => process.exit(3), 40 * 86_400_000);
      setLongTimeout(() => process.exit(4), 60_000);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 });
    assert.equal(child.signal, null, 'ended by itself');
    assert.equal(child.status, 0, child.stderr.toString());
  });
});
