import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeHighlights } from './highlights.js';

describe('highlights', () => {
  it('makes one mark of passages that overlap or touch, adding up their comments, in the order they stand', () => {
    const sut = mergeHighlights([
      { start: 20, end: 30, count: 1 },
      { start: 0, end: 5, count: 2 },
      { start: 3, end: 8, count: 1 },
      { start: 8, end: 10, count: 1 },
      { start: 12, end: 12, count: 4 },
    ]);
    assert.deepEqual(sut, [
      { start: 0, end: 10, count: 4 },
      { start: 20, end: 30, count: 1 },
    ]);
  });

  it('leaves the passages it was given as they were', () => {
    const given = [
      { start: 0, end: 5, count: 1 },
      { start: 2, end: 6, count: 1 },
    ];
    mergeHighlights(given);
    assert.deepEqual(given[0], { start: 0, end: 5, count: 1 });
  });
});
