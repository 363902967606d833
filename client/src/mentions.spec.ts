import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeMention, mentionAtCaret } from './mentions.js';

/** The caret is where `|` stands in the text. */
const at = (marked: string) => mentionAtCaret(marked.replace('|', ''), marked.indexOf('|'));

describe('@ autocomplete', () => {
  it('finds the name typed at the caret, from its @', () => {
    assert.deepEqual(at('@|'), { start: 0, end: 1, prefix: '' });
    assert.deepEqual(at('Thanks @ad|'), { start: 7, end: 10, prefix: 'ad' });
    assert.deepEqual(at('Thanks\n@Ada_L-1|, really'), { start: 7, end: 15, prefix: 'Ada_L-1' });
    assert.deepEqual(at('see @ad|am here'), { start: 4, end: 9, prefix: 'ad' }, 'the caret inside a name');
  });

  it('finds none where the server would link none', () => {
    for (const marked of ['mail me at ada@ex|', 'no at sign|', '@ada |', '`@ad|', `@${'a'.repeat(31)}|`, '@ad.|'])
      assert.equal(at(marked), null, marked);
  });

  it('puts the picked name in place of what was typed, the caret past it and one space', () => {
    const pick = (marked: string, username: string) => {
      const text = marked.replace('|', '');
      const typed = mentionAtCaret(text, marked.indexOf('|'));
      assert.ok(typed, marked);
      const done = completeMention(text, typed, username);
      return `${done.text.slice(0, done.caret)}|${done.text.slice(done.caret)}`;
    };
    assert.equal(pick('Thanks @ad|', 'ada_lovelace'), 'Thanks @ada_lovelace |');
    assert.equal(pick('@ad| and more', 'ada'), '@ada |and more', 'no second space');
    assert.equal(pick('see @ad|xx, then', 'adam'), 'see @adam|, then', 'the rest of the typed name goes');
  });
});
