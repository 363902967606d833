import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchBlocks, SAME_PASSAGE, similarity } from './block-identity.js';

const essay = [
  { id: 'h1', text: 'Why the soviets mattered' },
  { id: 'p1', text: 'The soviets were the organs of the revolution, and the party followed them into October.' },
  { id: 'p2', text: 'Workers elected delegates in every factory; soldiers did the same in every regiment.' },
  { id: 'p3', text: 'By the summer the soviets held more authority than the Provisional Government ever had.' },
  { id: 'p4', text: 'This is the short one.' },
];
const texts = (blocks: { text: string }[]) => blocks.map((b) => ({ text: b.text }));

describe('matchBlocks', () => {
  it('keeps every id when nothing changed, and an unchanged block’s id wherever it moves', () => {
    assert.deepEqual(matchBlocks(essay, texts(essay)), ['h1', 'p1', 'p2', 'p3', 'p4']);
    const moved = [essay[0], essay[3], essay[1], essay[4], essay[2]];
    assert.deepEqual(matchBlocks(essay, texts(moved)), ['h1', 'p3', 'p1', 'p4', 'p2']);
  });

  it('keeps the id of a block whose typo was fixed, or to which a sentence was added', () => {
    const sut = matchBlocks(essay, [
      { text: 'Why the soviets matered' },
      { text: 'The soviets were the organs of the revolution, and the party followed them into October.' },
      {
        text:
          'Workers elected delegates in every factory; soldiers did the same in every regiment. ' +
          'Peasants followed in the autumn.',
      },
      { text: 'By the summer the soviets held more authority than the Provisional Govt. ever had.' },
      { text: 'This is the short one.' },
    ]);
    assert.deepEqual(sut, ['h1', 'p1', 'p2', 'p3', 'p4']);
  });

  it('gives new ids to the halves of a paragraph split in two and to two paragraphs merged', () => {
    const split = matchBlocks(essay, [
      essay[0],
      { text: 'The soviets were the organs of the revolution,' },
      { text: 'and the party followed them into October.' },
      essay[2],
      essay[3],
    ]);
    assert.deepEqual(split, ['h1', null, null, 'p2', 'p3']);
    const merged = matchBlocks(essay, [essay[0], { text: `${essay[1].text} ${essay[2].text}` }, essay[3], essay[4]]);
    assert.deepEqual(merged, ['h1', null, 'p3', 'p4']);
  });

  it('lets a block keep its id when the split leaves most of it in one part', () => {
    const long = `${essay[2].text} ${essay[3].text} Then came the Kornilov affair, which turned the capital red.`;
    const sut = matchBlocks([{ id: 'long', text: long }], [{ text: long.slice(0, 180) }, { text: long.slice(180) }]);
    assert.deepEqual(sut, ['long', null]);
  });

  it('drops a deleted block and gives a replaced one a new id', () => {
    const sut = matchBlocks(essay, [
      essay[0],
      essay[1],
      { text: 'Something else entirely: a note on the calendar used in Russia until February 1918.' },
      essay[4],
    ]);
    assert.deepEqual(sut, ['h1', 'p1', null, 'p4']);
  });

  it('finds a block that was both edited and moved when few blocks are left over', () => {
    const sut = matchBlocks(essay, [essay[0], essay[2], essay[3], essay[4], { text: `${essay[1].text} Briefly.` }]);
    assert.deepEqual(sut, ['h1', 'p2', 'p3', 'p4', 'p1']);
  });

  it('pairs repeated texts in order and never gives one old id to two blocks', () => {
    const previous = [
      { id: 'a', text: 'Same.' },
      { id: 'b', text: 'Same.' },
    ];
    assert.deepEqual(matchBlocks(previous, [{ text: 'Same.' }, { text: 'Same.' }, { text: 'Same.' }]), [
      'a',
      'b',
      null,
    ]);
    const twoEdits = matchBlocks([essay[1]], [{ text: `${essay[1].text}!` }, { text: `${essay[1].text}?` }]);
    assert.deepEqual(twoEdits.filter(Boolean), ['p1']);
  });
});

describe('similarity', () => {
  it('is high for small edits and low for unrelated paragraphs of the same length', () => {
    assert.ok(similarity('The party followed them.', 'The party folowed them.') > 0.9);
    assert.ok(
      similarity(essay[1].text, essay[3].text) < SAME_PASSAGE,
      String(similarity(essay[1].text, essay[3].text)),
    );
    assert.equal(similarity('', ''), 1);
  });
});
