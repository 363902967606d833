import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_JSON_DEPTH, findJsonProblem } from './json-guard.js';

describe('findJsonProblem', () => {
  it('accepts ordinary bodies, emoji and combining marks included', () => {
    assert.equal(findJsonProblem({ body: 'Émile ❤️ 👩🏽‍🔬 e\u0301', quote: { source: 'article', text: 'x' } }), null);
    assert.equal(findJsonProblem([1, 'two', null, true, { a: [] }]), null);
  });

  it('refuses NUL characters and lone surrogates anywhere, keys included', () => {
    for (const bad of [
      { body: 'a\u0000b' },
      { body: '\ud800' },
      { body: 'x\udc00' },
      { quote: { text: '\udc00\ud800' } },
      { ['k\u0000']: 1 },
      ['\ud83d'],
    ]) {
      assert.ok(findJsonProblem(bad), JSON.stringify(bad));
    }
  });

  it('refuses prototype keys', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      assert.match(findJsonProblem(JSON.parse(`{"body":"x","${key}":{"admin":true}}`)) ?? '', new RegExp(key));
    }
  });

  it('refuses nesting deeper than the limit without recursing', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    assert.match(findJsonProblem(deep) ?? '', /nested deeper/);
    let ok: unknown = 'leaf';
    for (let i = 1; i < MAX_JSON_DEPTH; i++) ok = [ok];
    assert.equal(findJsonProblem(ok), null);
  });
});
