import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MARK_END, MARK_START, snippetHtml } from './snippet.js';

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
