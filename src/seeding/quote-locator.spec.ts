import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quoteStandsIn } from '../comments/quote-verification.js';
import { locatePassage, locateQuotes, quotedPassages } from './quote-locator.js';

const blocks = [
  { id: 'b1', text: 'A short opening.' },
  {
    id: 'b2',
    text: 'If it had not been Lenin there would have been someone else to heed the People’s call, because the Russian Revolution was a mass event – so mass it was truly rare in history – and it could not have been stopped.',
  },
  {
    id: 'b3',
    text: 'If Trotsky means “the Bolsheviks won over the peasantry” by simply being diligent civil servants, he is correct.',
  },
];

describe('quote locator', () => {
  it('finds long quoted passages and ignores short scare quotes', () => {
    assert.deepEqual(quotedPassages('He said “one two three four five six” and “parasitic”.'), [
      'one two three four five six',
    ]);
  });

  it('stores the block’s own span for an elided quotation, so that it verifies', () => {
    const sut = locatePassage(
      'If it had not been Lenin there would have been someone else to heed the People’s call, because the Russian Revolution was a mass event … and it could not have been stopped.',
      blocks,
    );
    assert.ok(sut);
    assert.equal(sut.blockId, 'b2');
    assert.ok(sut.text.includes('so mass it was truly rare in history'));
    assert.ok(quoteStandsIn(sut.text, blocks[1].text));
  });

  it('matches across inner quote marks the reader left out', () => {
    const sut = locatePassage(
      'If Trotsky means the Bolsheviks won over the peasantry by simply being diligent civil servants',
      blocks,
    );
    assert.deepEqual(sut, {
      blockId: 'b3',
      text: 'If Trotsky means “the Bolsheviks won over the peasantry” by simply being diligent civil servants',
    });
  });

  it('finds nothing for a passage that is not in the article', () => {
    assert.equal(locatePassage('The history of all countries shows that the working class exclusively', blocks), null);
    assert.deepEqual(
      locateQuotes('“The history of all countries shows that the working class exclusively”', blocks),
      [],
    );
  });
});
