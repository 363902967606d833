import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildBlocks } from '../articles/article-blocks.js';
import { matchBlocks } from '../articles/block-identity.js';
import { blocksToMarkdown } from '../articles/blocks-markdown.js';
import { parseMarkdownBlocks } from '../articles/markdown-blocks.js';
import { DOCUMENTS_DIR, SEED_DOCUMENTS } from './seed-documents.js';

/** A realistic revision of each seed essay: a typo fixed, a sentence added, a paragraph moved, split, merged, deleted. */
describe('matchBlocks on the seed essays', () => {
  for (const document of SEED_DOCUMENTS) {
    it(`follows the blocks of ${document.file} through a revision`, () => {
      const parsed = document.parse(readFileSync(new URL(document.file, DOCUMENTS_DIR), 'utf8'));
      const blocks = buildBlocks('spec', parsed.blocks).map((b) => ({ id: b.id, text: b.text }));
      const paragraphs = blocks.flatMap((b, index) => (b.text.length > 120 && !b.text.includes('\n') ? [index] : []));
      assert.ok(paragraphs.length >= 6, `${document.file} has ${paragraphs.length} long paragraphs`);
      const [typo, added, moved, splitAt, mergeAt, deleted] = paragraphs;
      const next: { text: string; expect: string | null }[] = [];
      for (const [index, block] of blocks.entries()) {
        if (index === typo)
          next.push({ text: block.text.replace(/(\p{L})(\p{L})(\p{L}*)$/u, '$2$1$3'), expect: block.id });
        else if (index === added) next.push({ text: `${block.text} A sentence the author added.`, expect: block.id });
        else if (index === moved) continue;
        else if (index === splitAt) {
          const middle = block.text.indexOf(' ', block.text.length / 2);
          next.push(
            { text: block.text.slice(0, middle), expect: null },
            { text: block.text.slice(middle + 1), expect: null },
          );
        } else if (index === mergeAt) next.push({ text: `${block.text} ${blocks[index + 1].text}`, expect: null });
        else if (index === mergeAt + 1 || index === deleted) continue;
        else next.push({ text: block.text, expect: block.id });
      }
      next.push({ text: blocks[moved].text, expect: blocks[moved].id });
      const sut = matchBlocks(blocks, next);
      const kept = sut.filter((id): id is string => id !== null);
      assert.equal(new Set(kept).size, kept.length, 'an old id went to two blocks');
      const wrong = next.flatMap((block, index) =>
        sut[index] === block.expect
          ? []
          : [`#${index}: ${sut[index]} instead of ${block.expect}: ${block.text.slice(0, 60)}`],
      );
      // A merge keeps the id of its larger part when that part is most of the merged text: allowed, not required.
      const tolerated = wrong.filter((line) => !line.includes('instead of null'));
      assert.deepEqual(tolerated, []);
    });
  }
});

describe('the seed essays as Markdown', () => {
  for (const document of SEED_DOCUMENTS) {
    it(`writes ${document.file} as Markdown that reads as the same blocks`, () => {
      const parsed = document.parse(readFileSync(new URL(document.file, DOCUMENTS_DIR), 'utf8'));
      const blocks = buildBlocks('spec', parsed.blocks);
      const again = parseMarkdownBlocks(blocksToMarkdown(blocks));
      assert.deepEqual(
        again.map((b) => ({ kind: b.kind, text: b.text })),
        blocks.map((b) => ({ kind: b.kind, text: b.text })),
      );
    });
  }
});
