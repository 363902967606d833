import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InOrder } from './in-order.js';

describe('InOrder', () => {
  it('holds a number back while a ticket taken before it is known may still bring a smaller one', () => {
    const released: number[] = [];
    const sut = new InOrder<number>((n) => released.push(n));
    const first = sut.take('a');
    const second = sut.take('a');
    sut.ready(second, 6, 6);
    assert.deepEqual(released, []);
    sut.ready(first, 5, 5);
    assert.deepEqual(released, [5, 6]);
  });

  it('releases a number at once when no ticket of its key is open', () => {
    const released: number[] = [];
    const sut = new InOrder<number>((n) => released.push(n));
    const first = sut.take('a');
    sut.ready(first, 5, 5);
    const second = sut.take('a');
    sut.ready(second, 6, 6);
    assert.deepEqual(released, [5, 6]);
  });

  it('does not wait for a ticket taken after the number became known', () => {
    const released: number[] = [];
    const sut = new InOrder<number>((n) => released.push(n));
    const first = sut.take('a');
    const second = sut.take('a');
    sut.ready(second, 8, 8);
    const third = sut.take('a');
    sut.ready(first, 7, 7);
    assert.deepEqual(released, [7, 8]);
    sut.ready(third, 9, 9);
    assert.deepEqual(released, [7, 8, 9]);
  });

  it('keeps keys apart', () => {
    const released: string[] = [];
    const sut = new InOrder<string>((s) => released.push(s));
    sut.take('a');
    sut.ready(sut.take('b'), 9, 'b9');
    assert.deepEqual(released, ['b9']);
  });

  it('stops waiting for a ticket that was rolled back, or that went stale', () => {
    let clock = 0;
    const released: number[] = [];
    const sut = new InOrder<number>(
      (n) => released.push(n),
      () => clock,
    );
    const rolledBack = sut.take('a');
    sut.ready(sut.take('a'), 2, 2);
    assert.deepEqual(released, []);
    sut.forget(rolledBack);
    assert.deepEqual(released, [2]);
    sut.take('a');
    const later = sut.take('a');
    sut.ready(later, 4, 4);
    assert.deepEqual(released, [2]);
    clock = 2_500;
    sut.ready(sut.take('a'), 5, 5);
    assert.deepEqual(released, [2, 4, 5]);
    sut.stop();
  });
});
