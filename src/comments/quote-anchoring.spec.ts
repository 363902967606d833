import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AnchorBlock,
  closestPassage,
  occurrences,
  pickOccurrence,
  reanchor,
  selectorAt,
  type StoredQuote,
} from './quote-anchoring.js';

/** A quote taken from `block` at the first (or the given) occurrence of `text`, with its selector. */
function quoteOf(block: AnchorBlock, text: string, nth = 0): StoredQuote {
  const span = occurrences(block.text, text)[nth];
  assert.ok(span, `"${text}" is not in ${block.id}`);
  return { blockId: block.id, text, start: span.start, ...selectorAt(block.text, span) };
}

const p1: AnchorBlock = {
  id: 'p1',
  text: 'The soviets were the organs of the revolution, and the party followed them into October.',
};
const p2: AnchorBlock = {
  id: 'p2',
  text: 'Workers elected delegates in every factory; soldiers did the same in every regiment.',
};
const p3: AnchorBlock = {
  id: 'p3',
  text: 'By the summer the soviets held more authority than the Provisional Government ever had.',
};

describe('occurrences and pickOccurrence', () => {
  it('finds every occurrence, white space folded, in UTF-16 offsets', () => {
    const text = 'in every  factory and in every\nregiment — 𝔘 in every town';
    assert.deepEqual(occurrences(text, 'in every'), [
      { start: 0, end: 8 },
      { start: 22, end: 30 },
      { start: 45, end: 53 },
    ]);
    assert.deepEqual(occurrences(text, 'every regiment'), [{ start: 25, end: 39 }]);
  });

  it('keeps to word edges when asked', () => {
    assert.deepEqual(occurrences('the party and the art', 'art', { before: true, after: true }), [
      { start: 18, end: 21 },
    ]);
  });

  it('takes the occurrence the prefix, suffix or start points at', () => {
    const text = p2.text;
    const spans = occurrences(text, 'in every');
    assert.equal(pickOccurrence(text, spans, {})?.start, spans[0].start);
    assert.equal(pickOccurrence(text, spans, { prefix: 'did the same ' })?.start, spans[1].start);
    assert.equal(pickOccurrence(text, spans, { suffix: ' regiment.' })?.start, spans[1].start);
    assert.equal(pickOccurrence(text, spans, { start: 70 })?.start, spans[1].start);
  });
});

describe('reanchor', () => {
  it('is exact when the block is unchanged or edited elsewhere, with the new offsets', () => {
    const quote = quoteOf(p1, 'the party followed them');
    assert.equal(reanchor(quote, [p1, p2]).anchor, 'exact');
    const edited = { id: 'p1', text: `In short: ${p1.text}` };
    const sut = reanchor(quote, [edited]);
    assert.deepEqual([sut.anchor, sut.blockId, sut.start, sut.verified], ['exact', 'p1', quote.start! + 10, true]);
    assert.equal(edited.text.slice(sut.start!, sut.end!), 'the party followed them');
  });

  it('keeps to the same occurrence of a repeated phrase when text is added before it', () => {
    const quote = quoteOf(p2, 'in every', 1);
    const edited = { id: 'p2', text: `In every city, ${p2.text}` };
    const sut = reanchor(quote, [edited]);
    assert.equal(sut.anchor, 'exact');
    assert.equal(edited.text.slice(sut.end!, sut.end! + 9), ' regiment');
  });

  it('is moved when the words stand word for word in another block (the paragraph split in two)', () => {
    const quote = quoteOf(p1, 'and the party followed them into October');
    const halves = [
      { id: 'n1', text: 'The soviets were the organs of the revolution,' },
      { id: 'n2', text: 'and the party followed them into October.' },
    ];
    const sut = reanchor(quote, halves);
    assert.deepEqual([sut.anchor, sut.blockId, sut.start, sut.end], ['moved', 'n2', 0, 40]);
  });

  it('is changed, with the passage’s text now, when a typo was fixed in the quoted passage', () => {
    const typo = { id: 'p1', text: p1.text.replace('followed', 'folowed') };
    const quote = quoteOf(typo, 'the party folowed them into October');
    const sut = reanchor(quote, [p1, p2]);
    assert.deepEqual(
      [sut.anchor, sut.blockId, sut.current, sut.verified],
      ['changed', 'p1', 'the party followed them into October', false],
    );
  });

  it('does not let a short quote slip inside other words or onto a common phrase elsewhere', () => {
    const block = { id: 'b', text: 'The art of the revolution was its organisation.' };
    const quote = quoteOf(block, 'art');
    const sut = reanchor(quote, [{ id: 'b', text: 'The party of the revolution was its organisation.' }]);
    assert.equal(sut.anchor, 'orphaned');
    const common = quoteOf(p3, 'the soviets');
    const elsewhere = reanchor(common, [p1, { id: 'x', text: 'Nobody ever asked the soviets what they thought.' }]);
    assert.equal(elsewhere.anchor, 'orphaned', 'the same two words in an unrelated paragraph');
  });

  it('is orphaned, keeping its block and text, when the paragraph was deleted or rewritten', () => {
    const quote = quoteOf(p2, 'soldiers did the same in every regiment');
    const deleted = reanchor(quote, [p1, p3]);
    assert.deepEqual(
      [deleted.anchor, deleted.blockId, deleted.start, deleted.end, deleted.current],
      ['orphaned', 'p2', null, null, null],
    );
    const rewritten = reanchor(quote, [
      { id: 'p2', text: 'The army elected its own committees, regiment by regiment.' },
    ]);
    assert.equal(rewritten.anchor, 'orphaned');
  });

  it('finds a moved long quote wherever it went, and a short one when its context came with it', () => {
    const long = quoteOf(p3, 'held more authority than the Provisional Government');
    const merged = { id: 'm', text: `${p2.text} ${p3.text}` };
    assert.deepEqual([reanchor(long, [p1, merged]).anchor, reanchor(long, [p1, merged]).blockId], ['moved', 'm']);
    const short = quoteOf(p3, 'more authority');
    assert.equal(reanchor(short, [p1, merged]).anchor, 'moved');
  });
});

describe('closestPassage', () => {
  it('scores a near passage high and an unrelated text low', () => {
    const near = closestPassage(p1.text, 'the party folowed them');
    assert.ok(near && near.score > 0.9, JSON.stringify(near));
    assert.equal(p1.text.slice(near.span.start, near.span.end), 'the party followed them');
    const far = closestPassage(p2.text, 'the party followed them into October');
    assert.ok(!far || far.score < 0.75, JSON.stringify(far));
  });
});
