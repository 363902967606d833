import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstFreeSlug } from './free-slug.js';

describe('firstFreeSlug', () => {
  it('is the base when free, else base-N with the smallest free N from 2', () => {
    assert.equal(firstFreeSlug('essay', []), 'essay');
    assert.equal(firstFreeSlug('essay', ['essay']), 'essay-2');
    assert.equal(firstFreeSlug('essay', ['essay', 'essay-3']), 'essay-2');
    assert.equal(firstFreeSlug('essay', ['essay', 'essay-2', 'essay-3']), 'essay-4');
    assert.equal(firstFreeSlug('essay', ['essay-2']), 'essay');
  });
});
