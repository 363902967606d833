import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlToText, renderMarkdown } from '../common/markdown/markdown.js';
import { BannedWordMatcher } from './banned-word-matcher.js';

describe('BannedWordMatcher', () => {
  const sut = new BannedWordMatcher(['scoundrel', 'Running Dog', 'ﬁend']);

  it('matches whole words case-insensitively', () => {
    assert.equal(sut.firstMatch('What a SCOUNDREL he was.'), 'scoundrel');
    assert.equal(sut.firstMatch('a capitalist running dog!'), 'running dog');
  });

  it('does not match inside a longer word', () => {
    assert.equal(sut.firstMatch('scoundrels and scoundrelly acts'), null);
    assert.equal(sut.firstMatch('running doggedly'), null);
  });

  it('sees through look-alike spellings: full-width letters, ligatures, zero-width characters', () => {
    assert.equal(sut.firstMatch('ｓｃｏｕｎｄｒｅｌ'), 'scoundrel');
    assert.equal(sut.firstMatch('scoun\u200bdrel'), 'scoundrel');
    assert.equal(sut.firstMatch('a fiend'), 'fiend');
  });

  it('matches nothing with an empty list', () => {
    assert.equal(new BannedWordMatcher([]).firstMatch('anything at all'), null);
  });

  describe('on what a reader sees of a Markdown comment', () => {
    const blax = new BannedWordMatcher(['zorblax', 'running dog']);
    const seen = (markdown: string) => blax.firstMatch(htmlToText(renderMarkdown(markdown)));

    for (const [label, spelling] of [
      ['strong emphasis inside the word', 'zor**blax**'],
      ['emphasis inside the word', 'zor*blax*'],
      ['underscore emphasis and code inside the word', 'z`or`__blax__'],
      ['a link around part of the word', '[zor](https://example.org)blax'],
      ['a decimal character reference', 'z&#111;rblax'],
      ['a hexadecimal character reference', 'zorbl&#x61;x'],
      ['a soft hyphen as a named reference', 'zor&shy;blax'],
      ['a zero-width space as a reference', 'zor&#8203;blax'],
      ['a zero-width joiner as a named reference', 'zor&zwj;blax'],
      ['a combining grapheme joiner', 'zor&#847;blax'],
      ['a variation selector', 'zor\ufe0fblax'],
      ['a Hangul filler', 'zor\u3164blax'],
      ['full-width letters as character references', '&#xFF5A;&#xFF4F;&#xFF52;&#xFF42;&#xFF4C;&#xFF41;&#xFF58;'],
      ['full-width capitals, decimal references', '&#65338;&#65327;&#65330;&#65314;&#65324;&#65313;&#65336;'],
      ['a heading', '# The ZORBLAX'],
      ['a list item', '- first\n- zorblax'],
    ]) {
      it(`finds a banned word spelt with ${label}: ${spelling}`, () => {
        assert.equal(seen(spelling), 'zorblax');
      });
    }

    it('finds a phrase across inline formatting', () => {
      assert.equal(seen('a running **dog**'), 'running dog');
    });

    it('keeps blocks apart: words of two paragraphs or list items do not join', () => {
      assert.equal(seen('zor\n\nblax'), null);
      assert.equal(seen('- zor\n- blax'), null);
      assert.equal(seen('zor  \nblax'), null);
    });

    it('does not decode twice: an escaped reference is shown, and matched, as written', () => {
      assert.equal(seen('z&amp;#111;rblax'), null);
    });
  });

  describe('on long texts', () => {
    // Linear by construction: one normalisation, one split into words, one map lookup per word (the work per word is
    // bounded by the list). A 100 kB text of one repeated word, banned or not, is answered correctly.
    const repeated = 'a '.repeat(50_000);

    it('answers null for a long run of one unbanned word', () => {
      assert.equal(new BannedWordMatcher(['a b', 'zorblax']).firstMatch(repeated), null);
    });

    it('finds a banned word after a long run, and a phrase whose first word repeats', () => {
      assert.equal(new BannedWordMatcher(['zorblax']).firstMatch(`${repeated}zorblax`), 'zorblax');
      assert.equal(new BannedWordMatcher(['a b']).firstMatch(`${repeated}b`), 'a b');
    });
  });
});
