import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, htmlToText, renderInlineMarkdown, renderMarkdown } from './markdown.js';

describe('renderMarkdown', () => {
  it('renders emphasis, lists and quotes', () => {
    const html = renderMarkdown('**bold** and _em_\n\n- one\n- two\n\n> quoted');
    assert.match(html, /<strong>bold<\/strong> and <em>em<\/em>/);
    assert.match(html, /<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    assert.match(html, /<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>/);
  });

  it('never lets raw html, scripts or event handlers through', () => {
    const payloads = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="https://x" onclick="alert(1)">x</a>',
      '<svg onload=alert(1)>',
      '<iframe src="https://evil"></iframe>',
    ];
    for (const payload of payloads) {
      const html = renderMarkdown(payload);
      assert.doesNotMatch(html, /<(script|img|svg|iframe)/i, payload);
      assert.doesNotMatch(html, /<[^>]*\son\w+=/i, payload);
    }
  });

  it('drops javascript: and data: links and marks other links nofollow ugc noopener', () => {
    assert.doesNotMatch(renderMarkdown('[x](javascript:alert(1))'), /href=/i);
    assert.doesNotMatch(renderMarkdown('[x](data:text/html;base64,PHNjcmlwdD4=)'), /href=/i);
    assert.doesNotMatch(renderMarkdown('[x](JaVaScRiPt:alert(1))'), /href=/i);
    const html = renderMarkdown('[essay](https://example.org/a?b=1)');
    assert.match(html, /<a href="https:\/\/example\.org\/a\?b=1" rel="nofollow ugc noopener">essay<\/a>/);
  });

  it('renders inline markdown without a paragraph', () => {
    assert.equal(renderInlineMarkdown('a **b**'), 'a <strong>b</strong>');
  });
});

describe('htmlToText', () => {
  it('keeps the words a reader sees, one line per block', () => {
    assert.equal(
      htmlToText('<p>a <strong>b</strong> &amp; c</p><ul><li>one</li><li>two</li></ul>'),
      'a b & c\none\ntwo',
    );
  });
  it('is the inverse of escapeHtml', () => {
    const text = `<b> "quoted" & 'single'`;
    assert.equal(htmlToText(`<p>${escapeHtml(text)}</p>`), text);
  });
});
