import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageOf, rowsFor } from './keyset-page.js';

describe('keyset pages', () => {
  const cursorOf = (last: { id: string }): string => `after:${last.id}`;
  const rows = (n: number): { id: string }[] => Array.from({ length: n }, (_, i) => ({ id: String(i + 1) }));

  it('asks for one row more than the page shows', () => {
    assert.equal(rowsFor(20), 21);
  });

  it('keeps the first rows and points the cursor after the last one shown when another row followed', () => {
    const sut = pageOf(rows(rowsFor(3)), 3, cursorOf);
    assert.deepEqual(sut.items, rows(3));
    assert.equal(sut.nextCursor, 'after:3');
  });

  it('issues no cursor for the last page, full or short', () => {
    assert.deepEqual(pageOf(rows(3), 3, cursorOf), { items: rows(3), nextCursor: null });
    assert.deepEqual(pageOf(rows(2), 3, cursorOf), { items: rows(2), nextCursor: null });
    assert.deepEqual(pageOf(rows(0), 3, cursorOf), { items: [], nextCursor: null });
  });

  it('builds the cursor only when it is needed', () => {
    let calls = 0;
    pageOf(rows(2), 3, (last) => (calls++, cursorOf(last)));
    assert.equal(calls, 0);
  });
});
