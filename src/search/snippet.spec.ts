import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutEnds, MARK_END, MARK_START, snippetHtml } from './snippet.js';

describe('snippetHtml', () => {
  const marked = (word: string) => `${MARK_START}${word}${MARK_END}`;

  it('marks the matched words and escapes the rest', () => {
    assert.equal(
      snippetHtml(`a <script>alert("x")</script> & ${marked('revolution')} 'q'`),
      'a &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>revolution</mark> &#39;q&#39;',
    );
  });

  it('escapes a match that holds html', () => {
    assert.equal(
      snippetHtml(marked('<img src=x onerror=alert(1)>')),
      '<mark>&lt;img src=x onerror=alert(1)&gt;</mark>',
    );
  });

  it('keeps the marks balanced whatever the markers', () => {
    assert.equal(snippetHtml(`${MARK_END}a${MARK_START}${MARK_START}b`), 'a<mark>b</mark>');
    assert.equal(snippetHtml(''), '');
  });
});

describe('cutEnds', () => {
  const text = 'The revolution ended. Then came the long winter of the archives, and nobody read them again for years.';

  it('sees a headline that is the whole text, whatever punctuation it dropped at the ends', () => {
    const headline = `The ${MARK_START}revolution${MARK_END} ended. Then came the long winter of the archives, and nobody read them again for years`;
    assert.deepEqual(cutEnds(headline, text, text), { before: false, after: false, lead: '', tail: '.' });
  });

  it('sees what a headline leaves out before and after', () => {
    const ends = (headline: string) => cutEnds(headline, text, text);
    assert.deepEqual(ends('came the long winter of the archives'), { before: true, after: true, lead: '', tail: '' });
    assert.deepEqual(ends('The revolution ended. Then came'), { before: false, after: true, lead: '', tail: '' });
    assert.deepEqual(ends('nobody read them again for years'), { before: true, after: false, lead: '', tail: '.' });
  });

  it('takes the first and last fragments of a headline of several', () => {
    assert.deepEqual(cutEnds('The revolution ended … read them again for years', text, text), {
      before: false,
      after: false,
      lead: '',
      tail: '.',
    });
  });

  it('puts an ellipsis where the text was cut', () => {
    assert.equal(
      snippetHtml(`the ${MARK_START}winter${MARK_END}`, { before: true, after: true }),
      '… the <mark>winter</mark> …',
    );
  });

  it('gives back the punctuation ts_headline dropped at an end the snippet keeps, escaped', () => {
    const quoted = '“Ended <here> & now?”';
    const headline = `Ended here & ${MARK_START}now${MARK_END}`;
    const ends = cutEnds(headline, quoted, quoted);
    assert.deepEqual(ends, { before: false, after: false, lead: '“', tail: '?”' });
    assert.equal(snippetHtml(headline, ends), '“Ended here &amp; <mark>now</mark>?”');
    // Not twice, when the headline kept it.
    assert.equal(snippetHtml('years.', { before: false, after: false, tail: '.' }), 'years.');
    // Nor a long run of symbols.
    assert.equal(cutEnds('years', 'years', 'years !!!!!!!!').tail, '');
  });
});
