import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
});
