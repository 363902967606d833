import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  endsWithTerminalPunctuation,
  foldWhitespace,
  groupParagraphs,
  isWhollyQuoted,
  looksLikeHeading,
  makeBlock,
  parseMonthFirstDate,
  splitLines,
  splitQuotationAndAside,
  tidyBlocks,
  titleCase,
} from './text-utils.js';

describe('text-utils', () => {
  it('splits lines on LF and CRLF and groups them into paragraphs at blank lines', () => {
    const lines = splitLines('a\r\nb\n\n  \nc\n');
    assert.deepEqual(lines, ['a', 'b', '', '  ', 'c', '']);
    assert.deepEqual(groupParagraphs(lines), [['a', 'b'], ['c']]);
  });

  it('folds white space runs to one space and trims', () => {
    assert.equal(foldWhitespace('  one\n\t two   three '), 'one two three');
  });

  it('reads sentence endings through closing brackets and quote marks', () => {
    assert.ok(endsWithTerminalPunctuation('(… the Russian Revolution.)'));
    assert.ok(endsWithTerminalPunctuation('Anything goes!”'));
    assert.ok(endsWithTerminalPunctuation('this was changed:'));
    assert.ok(!endsWithTerminalPunctuation('So what made Lenin great? He served, not led'));
  });

  it('takes short lines that do not end like sentences for headings', () => {
    assert.ok(looksLikeHeading('So what made Lenin great? He served, not led', 130));
    assert.ok(looksLikeHeading('Tsarist Russia', 80));
    assert.ok(!looksLikeHeading('Indeed, Lenin provided no epiphany.', 130));
    assert.ok(!looksLikeHeading('a long line without an end '.repeat(6), 130));
    assert.ok(!looksLikeHeading('   ', 130));
  });

  it('recognises whole quotations and a quotation followed by a parenthetical remark', () => {
    assert.ok(isWhollyQuoted('“A,” he said, “B.”'));
    assert.ok(!isWhollyQuoted('“A.” And then more.'));
    assert.deepEqual(splitQuotationAndAside('“Quoted.” (Remark!)'), { quotation: '“Quoted.”', aside: '(Remark!)' });
    assert.equal(splitQuotationAndAside('“Quoted.” Not a remark.'), null);
    assert.equal(splitQuotationAndAside('Plain (text)'), null);
  });

  it('title-cases names', () => {
    assert.equal(titleCase('RAMIN  MAZAHERI'), 'Ramin Mazaheri');
  });

  it('builds folded blocks and drops empty and repeated ones', () => {
    assert.deepEqual(makeBlock('list', ' a  b \n\n c '), { kind: 'list', content: 'a b\nc', format: 'plain' });
    const blocks = [
      makeBlock('paragraph', 'Same  text'),
      makeBlock('paragraph', ' '),
      makeBlock('paragraph', 'Same text'),
      makeBlock('quote', 'Same text'),
    ];
    assert.deepEqual(
      tidyBlocks(blocks).map((block) => `${block.kind}:${block.content}`),
      ['paragraph:Same text', 'quote:Same text'],
    );
  });

  it('parses month-first dates to UTC midnight', () => {
    assert.equal(parseMonthFirstDate('Fri, Jan 19, 2024'), '2024-01-19T00:00:00.000Z');
    assert.equal(
      parseMonthFirstDate(' New International, Vol. XIV No. 4, April 1948, p. 123–126.'),
      '1948-04-01T00:00:00.000Z',
    );
    assert.equal(parseMonthFirstDate('L’An 1 de la révolution russe, 1930.'), null);
    assert.equal(parseMonthFirstDate('Holly Quilty'), null);
  });
});
