import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InOrder } from './in-order.js';

describe('InOrder', () => {
  it('releases a later number only after the earlier one this process took', () => {
    const released: number[] = [];
    const sut = new InOrder<number>((n) => released.push(n));
    sut.taken('a', 5);
    sut.taken('a', 6);
    sut.ready('a', 6, 6);
    assert.deepEqual(released, []);
    sut.ready('a', 5, 5);
    assert.deepEqual(released, [5, 6]);
  });

  it('keeps articles apart and releases numbers it never took at once', () => {
    const released: string[] = [];
    const sut = new InOrder<string>((s) => released.push(s));
    sut.taken('a', 1);
    sut.ready('b', 9, 'b9');
    sut.ready('a', 2, 'a2 from elsewhere');
    assert.deepEqual(released, ['b9', 'a2 from elsewhere']);
  });

  it('stops waiting for a number that was rolled back, or that went stale', () => {
    let clock = 0;
    const released: number[] = [];
    const sut = new InOrder<number>(
      (n) => released.push(n),
      () => clock,
    );
    sut.taken('a', 1);
    sut.taken('a', 2);
    sut.ready('a', 2, 2);
    sut.forget('a', 1);
    assert.deepEqual(released, [2]);
    sut.taken('a', 3);
    sut.taken('a', 4);
    sut.ready('a', 4, 4);
    clock = 2_500;
    sut.taken('a', 5);
    sut.ready('a', 5, 5);
    assert.deepEqual(released, [2, 4, 5]);
    sut.close();
  });
});
