import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildBlocks } from '../articles/article-blocks.js';
import { matchBlocks } from '../articles/block-identity.js';
import { blocksToMarkdown } from '../articles/blocks-markdown.js';
import { parseMarkdownBlocks } from '../articles/markdown-blocks.js';
import { occurrences, reanchor, selectorAt } from '../comments/quote-anchoring.js';
import { type ParsedDocument } from './parsers/parsed-document.js';
import { DOCUMENTS_DIR, SEED_DOCUMENTS } from './seed-documents.js';

interface RevisedBlock {
  text: string;
  /** The id it should keep, or null for a new block. */
  expect: string | null;
  /** The index of the old block (or blocks) its text comes from. */
  from: number[];
}

/** The seed essay's blocks (ids and texts). */
function seedBlocks(file: string, parse: (text: string) => ParsedDocument): { id: string; text: string }[] {
  const parsed = parse(readFileSync(new URL(file, DOCUMENTS_DIR), 'utf8'));
  return buildBlocks('spec', parsed.blocks).map((b) => ({ id: b.id, text: b.text }));
}

/** A typo in the paragraph's sixth longer word (its first two letters swapped), as an author would then fix it. */
function withTypo(text: string): string {
  const words = [...text.matchAll(/\p{L}{5,}/gu)];
  const word = words[Math.min(5, words.length - 1)];
  const swapped = word[0][1] + word[0][0] + word[0].slice(2);
  return text.slice(0, word.index) + swapped + text.slice(word.index + word[0].length);
}

/**
 * A realistic revision of a seed essay, as the old blocks and the new: a typo fixed, a sentence added, a paragraph
 * moved to the end, one split in two, two merged, one deleted. The old text of the "typo" paragraph has the typo.
 */
function revise(blocks: { id: string; text: string }[]): {
  before: { id: string; text: string }[];
  after: RevisedBlock[];
} {
  // Long paragraphs, no two side by side (a merge takes the one after it).
  const paragraphs: number[] = [];
  for (const [index, block] of blocks.entries()) {
    if (block.text.length > 160 && !block.text.includes('\n') && !paragraphs.includes(index - 1))
      paragraphs.push(index);
  }
  assert.ok(paragraphs.length >= 6, `only ${paragraphs.length} long paragraphs`);
  const [typo, added, moved, splitAt, mergeAt, deleted] = paragraphs;
  const before = blocks.map((b, index) => (index === typo ? { ...b, text: withTypo(b.text) } : b));
  const after: RevisedBlock[] = [];
  for (const [index, block] of blocks.entries()) {
    if (index === added)
      after.push({ text: `${block.text} A sentence the author added.`, expect: block.id, from: [index] });
    else if (index === moved || index === mergeAt + 1 || index === deleted) continue;
    else if (index === splitAt) {
      const middle = block.text.indexOf(' ', block.text.length / 2);
      after.push(
        { text: block.text.slice(0, middle), expect: null, from: [index] },
        { text: block.text.slice(middle + 1), expect: null, from: [index] },
      );
    } else if (index === mergeAt)
      after.push({ text: `${block.text} ${blocks[index + 1].text}`, expect: null, from: [index, index + 1] });
    else after.push({ text: block.text, expect: block.id, from: [index] });
  }
  after.push({ text: blocks[moved].text, expect: blocks[moved].id, from: [moved] });
  return { before, after };
}

describe('matchBlocks on the seed essays', () => {
  for (const document of SEED_DOCUMENTS) {
    it(`follows the blocks of ${document.file} through a revision`, () => {
      const { before, after } = revise(seedBlocks(document.file, document.parse));
      const sut = matchBlocks(before, after);
      const kept = sut.filter((id): id is string => id !== null);
      assert.equal(new Set(kept).size, kept.length, 'an old id went to two blocks');
      const wrong = after.flatMap((block, index) =>
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

/**
 * Every seed essay quoted all over (an 8-word phrase at the start, middle and end of every long paragraph, and a
 * two-word phrase of each), then revised: each quote must land on the block its words went to, or be changed in the
 * paragraph whose typo was fixed, or be orphaned; never anywhere else. The outcomes are printed for the record.
 */
describe('re-anchoring the seed essays’ quotes through a revision', () => {
  const totals = { exact: 0, moved: 0, changed: 0, orphaned: 0, wrong: 0 };
  for (const document of SEED_DOCUMENTS) {
    it(`anchors every quote of ${document.file} where its words went, or orphans it`, (t) => {
      const { before, after } = revise(seedBlocks(document.file, document.parse));
      const ids = matchBlocks(before, after);
      const blocks = after.map((b, index) => ({
        id: ids[index] ?? `new-${index}`,
        text: b.text,
        from: b.from,
      }));
      const outcomes = { exact: 0, moved: 0, changed: 0, orphaned: 0 };
      const wrong: string[] = [];
      for (const [index, block] of before.entries()) {
        const words = [...block.text.matchAll(/\S+/gu)];
        if (words.length < 16) continue;
        const phrases = [0, Math.floor(words.length / 2) - 4, words.length - 8].map((at) =>
          block.text.slice(words[at].index, words[at + 7].index + words[at + 7][0].length),
        );
        phrases.push(block.text.slice(words[3].index, words[4].index + words[4][0].length));
        const typo = words.findIndex((w) => !after.some((b) => b.text.includes(w[0])));
        if (typo >= 0) {
          // Around the word whose typo the revision fixed.
          const [from, to] = [Math.max(0, typo - 3), Math.min(words.length - 1, typo + 4)];
          phrases.push(block.text.slice(words[from].index, words[to].index + words[to][0].length));
        }
        for (const text of phrases) {
          const span = occurrences(block.text, text)[0];
          const quote = { blockId: block.id, text, start: span.start, ...selectorAt(block.text, span) };
          const sut = reanchor(quote, blocks);
          outcomes[sut.anchor]++;
          if (sut.anchor === 'orphaned') continue;
          const target = blocks.find((b) => b.id === sut.blockId);
          const landed = target?.text.slice(sut.start ?? 0, sut.end ?? 0) ?? '';
          const fromHere = target?.from.includes(index) ?? false;
          const wordForWord = landed.replace(/\s+/g, ' ') === text.replace(/\s+/g, ' ');
          if (!fromHere || (sut.anchor !== 'changed') !== wordForWord)
            wrong.push(`${sut.anchor} "${text}" -> ${sut.blockId} "${landed}"`);
        }
      }
      for (const key of Object.keys(outcomes) as (keyof typeof outcomes)[]) totals[key] += outcomes[key];
      totals.wrong += wrong.length;
      t.diagnostic(`${document.file}: ${JSON.stringify(outcomes)}; wrong anchors: ${wrong.length}`);
      assert.deepEqual(wrong, []);
      assert.ok(outcomes.changed > 0, 'the fixed typo leaves some quotes changed');
      assert.ok(outcomes.orphaned > 0, 'the deleted paragraph orphans its quotes');
    });
  }
  it('adds up the outcomes', (t) => {
    t.diagnostic(`all four essays: ${JSON.stringify(totals)}`);
    assert.equal(totals.wrong, 0);
  });
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
