import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { textDiff } from './text-diff.js';

describe('textDiff', () => {
  it('marks a corrected word as one word out and one in, the rest unchanged', () => {
    assert.deepEqual(textDiff('The essay is rigth about 1917.', 'The essay is right about 1917.'), [
      { kind: 'same', text: 'The essay is ' },
      { kind: 'removed', text: 'rigth' },
      { kind: 'added', text: 'right' },
      { kind: 'same', text: ' about 1917.' },
    ]);
  });

  it('gives an added sentence as one run, and identical texts as one unchanged run', () => {
    assert.deepEqual(textDiff('One.', 'One. Two more words.'), [
      { kind: 'same', text: 'One.' },
      { kind: 'added', text: ' Two more words.' },
    ]);
    assert.deepEqual(textDiff('Same.', 'Same.'), [{ kind: 'same', text: 'Same.' }]);
  });

  it('keeps a rewritten phrase together: the old words out, then the new ones in', () => {
    assert.deepEqual(textDiff('The first paragraph is long.', 'On reflection, the second paragraph is long.'), [
      { kind: 'removed', text: 'The first' },
      { kind: 'added', text: 'On reflection, the second' },
      { kind: 'same', text: ' paragraph is long.' },
    ]);
  });

  it('puts the parts back together into either version', () => {
    const before = 'A *first* draft, with a [link](https://example.org) and two paragraphs.\n\nThe second.';
    const after = 'A **second** draft, with no link and one paragraph.';
    const parts = textDiff(before, after);
    const join = (keep: 'added' | 'removed') =>
      parts
        .filter((p) => p.kind !== keep)
        .map((p) => p.text)
        .join('');
    assert.equal(join('added'), before);
    assert.equal(join('removed'), after);
  });
});
