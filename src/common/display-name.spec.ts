import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findHiddenCharacter as sut } from './display-name.js';

describe('findHiddenCharacter', () => {
  it('accepts ordinary names in any script, with accents, spaces and emoji', () => {
    for (const name of [
      'admin',
      'Ada Lovelace',
      'Émile Zola',
      'e\u0301tienne',
      'Лев Толстой',
      '李白',
      'محمد',
      'שלום',
      'Ana ❤️',
      '👩🏽‍🔬 Lab',
      '👨‍👩‍👧',
      '#️⃣ hash',
      'O’Brien',
    ]) {
      assert.equal(sut(name), null, name);
    }
  });

  it('refuses zero-width characters, bidi controls, the soft hyphen and other format characters', () => {
    const hidden = [
      '\u200B',
      '\u200C',
      '\u200D',
      '\u2060',
      '\uFEFF',
      '\u00AD',
      '\u202E',
      '\u202D',
      '\u202A',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u200E',
      '\u200F',
      '\u061C',
      '\u{E0041}',
    ];
    for (const c of hidden) {
      assert.equal(
        sut(`ad${c}min`),
        `U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`,
        JSON.stringify(c),
      );
    }
  });

  it('refuses control characters, blank lookalikes and white space other than the plain space', () => {
    for (const c of [
      '\u0007',
      '\u0085',
      '\t',
      '\n',
      '\u00A0',
      '\u3000',
      '\u2003',
      '\u2028',
      '\u2029',
      '\u3164',
      '\uFFA0',
      '\u115F',
      '\u2800',
      '\u034F',
      '\uFE0F',
      '\uE000',
      '\uD800',
    ]) {
      assert.notEqual(sut(`ad${c}min`), null, JSON.stringify(c));
    }
  });

  it('refuses a joiner or variation selector that is not part of an emoji', () => {
    assert.equal(sut('a\u200D👍'), 'U+200D');
    assert.equal(sut('👍\u200Db'), 'U+200D');
    assert.equal(sut('admin\uFE0F'), 'U+FE0F');
  });
});
