import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blocksToMarkdown } from './blocks-markdown.js';
import { parseMarkdownBlocks } from './markdown-blocks.js';

const SOURCE = [
  '# The argument',
  '',
  'The soviets were the *organs* of the **revolution**, see [the archive](https://www.marxists.org/) and `code_x`.',
  '',
  '> All power to the soviets.',
  '>',
  '> — a slogan of 1917',
  '',
  '- land',
  '- **bread**',
  '',
  '1. first',
  '2. second',
  '',
  '```',
  'code <stays> `text`',
  '```',
  '',
  'Literal *stars*, [brackets], <b>tags</b>, &amp; 1. and # signs stay as they were.',
].join('\n');

describe('blocksToMarkdown', () => {
  it('writes blocks back as Markdown that reads as the same blocks', () => {
    const blocks = parseMarkdownBlocks(SOURCE);
    const sut = blocksToMarkdown(blocks);
    const again = parseMarkdownBlocks(sut);
    assert.deepEqual(
      again.map((b) => ({ kind: b.kind, text: b.text, html: b.html.replace(/\n/g, '') })),
      blocks.map((b) => ({ kind: b.kind, text: b.text, html: b.html.replace(/\n/g, '') })),
    );
  });

  it('escapes text that would otherwise read as Markdown', () => {
    const sut = blocksToMarkdown([
      { kind: 'paragraph', text: '1. not a list *nor emphasis*', html: '<p>1. not a list *nor emphasis*</p>' },
      { kind: 'heading', text: '# Hash', html: '<h2># Hash</h2>' },
    ]);
    const again = parseMarkdownBlocks(sut);
    assert.deepEqual(
      again.map((b) => [b.kind, b.text]),
      [
        ['paragraph', '1. not a list *nor emphasis*'],
        ['heading', '# Hash'],
      ],
    );
  });
});
