import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstFreeSlug, isArticleSlug } from './free-slug.js';

describe('firstFreeSlug', () => {
  it('is the base when free, else base-N with the smallest free N from 2', () => {
    assert.equal(firstFreeSlug('essay', []), 'essay');
    assert.equal(firstFreeSlug('essay', ['essay']), 'essay-2');
    assert.equal(firstFreeSlug('essay', ['essay', 'essay-3']), 'essay-2');
    assert.equal(firstFreeSlug('essay', ['essay', 'essay-2', 'essay-3']), 'essay-4');
    assert.equal(firstFreeSlug('essay', ['essay-2']), 'essay');
  });

  it('never gives the words reserved for other paths under /api/articles', () => {
    assert.equal(firstFreeSlug('counts', []), 'counts-2');
    assert.equal(firstFreeSlug('by-url', ['by-url-2']), 'by-url-3');
    assert.equal(firstFreeSlug('counts-of-monte-cristo', []), 'counts-of-monte-cristo');
  });

  it('never gives a reserved slug: an essay titled "New" is new-2, as /articles/new is the publish screen', () => {
    assert.equal(firstFreeSlug('new', []), 'new-2');
    assert.equal(firstFreeSlug('new', ['new-2']), 'new-3');
    assert.equal(firstFreeSlug('news', []), 'news');
  });
});

describe('isArticleSlug', () => {
  it('takes lower-case ASCII words and digits joined by dashes, up to 160 characters', () => {
    for (const slug of ['essay', 'a', '7', 'on-liberty-2', 'x'.repeat(160), `a${'-'.repeat(158)}b`]) {
      assert.equal(isArticleSlug(slug), true, slug);
    }
  });

  it('refuses anything else', () => {
    const refused: unknown[] = [
      '',
      'x'.repeat(161),
      '-essay',
      'essay-',
      'Essay',
      'es say',
      'essai\u00e9',
      'a/b',
      '../x',
      'essay\n',
    ];
    for (const value of [...refused, undefined, null, 42, ['essay'], { slug: 'essay' }]) {
      assert.equal(isArticleSlug(value), false, JSON.stringify(value));
    }
  });
});
