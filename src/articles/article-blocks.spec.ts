import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBlocks, excerptOf, slugify } from './article-blocks.js';

describe('buildBlocks', () => {
  it('keeps the block ids that imported articles already have (quotes anchor to them)', () => {
    // Ids computed before the code moved from seeds/ to src/articles/: they must never change.
    const sut = buildBlocks('000_1f1892ddb8fdfb52', [
      { kind: 'heading', content: 'A *heading*', format: 'markdown' },
      { kind: 'paragraph', content: 'Plain & text', format: 'plain' },
      { kind: 'list', content: 'one\ntwo', format: 'plain' },
    ]);
    assert.deepEqual(sut, [
      {
        id: 'b0d418f3beb03cae84801',
        position: 0,
        kind: 'heading',
        text: 'A heading',
        html: '<h2>A <em>heading</em></h2>',
      },
      {
        id: 'bd6cf782b5991072bcfb7',
        position: 1,
        kind: 'paragraph',
        text: 'Plain & text',
        html: '<p>Plain &amp; text</p>',
      },
      {
        id: 'b05514ba9f28cf1748d29',
        position: 2,
        kind: 'list',
        text: 'one\ntwo',
        html: '<ul><li>one</li><li>two</li></ul>',
      },
    ]);
  });
});

describe('slugify', () => {
  it('makes lower-case ASCII words joined by dashes', () => {
    assert.equal(slugify('Bolshevism vs. Stalinism — Ça va?'), 'bolshevism-vs-stalinism-ca-va');
    assert.equal(slugify("Lenin's <script>alert(1)</script>"), 'lenins-script-alert-1-script');
  });

  it('stops at 80 characters on a word boundary, and falls back to "article"', () => {
    const slug = slugify('word '.repeat(40));
    assert.ok(slug.length <= 80 && !slug.endsWith('-'), slug);
    assert.equal(slugify('Война и мир'), 'article');
    assert.equal(slugify('!!!'), 'article');
  });
});

describe('excerptOf', () => {
  it('takes the first paragraph, cut at a word boundary', () => {
    const long = 'word '.repeat(100).trim();
    const excerpt = excerptOf([
      { kind: 'heading', text: 'Title' },
      { kind: 'paragraph', text: long },
    ]);
    assert.ok(excerpt.length <= 281 && excerpt.endsWith('…'), excerpt);
    assert.equal(excerptOf([{ kind: 'list', text: 'one\ntwo' }]), 'one two');
    assert.equal(excerptOf([]), '');
  });
});
