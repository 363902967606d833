import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonBytes } from './json-bytes.js';

const same = (value: object) =>
  assert.deepEqual(jsonBytes(value), Buffer.from(JSON.stringify(value)), JSON.stringify(value));

describe('jsonBytes', () => {
  it('writes a page of items as JSON.stringify does', () => {
    same({
      items: [
        { id: '1', body: 'a "quoted" line\nand a \\ and \u2028', html: '<p>é 😀</p>', replies: [{ id: '2' }] },
        { id: '3', body: null, html: '\ud800', replies: [] },
      ],
      nextCursor: null,
      total: 2,
      seq: 7,
    });
  });

  it('writes empty and one-element arrays, empty objects and nested arrays as JSON.stringify does', () => {
    same({});
    same({ items: [] });
    same({ items: [1] });
    same({ items: [[1, 2], [3]], more: [{}, []] });
    same([1, 2, 3]);
  });

  it('leaves out what JSON.stringify leaves out, and writes null where it does', () => {
    same({ a: undefined, b: () => 1, c: 1, d: undefined });
    same({ a: undefined });
    same({ items: [undefined, () => 1, Symbol('s'), 1] });
  });

  it('serialises dates and objects with toJSON as JSON.stringify does', () => {
    same({ at: new Date(0), items: [new Date(1), { toJSON: () => 'x' }] });
    same({ toJSON: () => ({ replaced: true }) });
  });
});
