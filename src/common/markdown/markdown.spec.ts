import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  escapeHtml,
  htmlToText,
  mentionCandidates,
  MENTION_LINK_PATTERN,
  renderInlineMarkdown,
  renderMarkdown,
} from './markdown.js';

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

describe('mentions', () => {
  const known = new Map([
    ['ada', 'Ada'],
    ['bob_2', 'bob_2'],
  ]);

  it('links a known @name at the start or after white space, with the text as typed', () => {
    const html = renderMarkdown('@ADA said so, and @bob_2 agreed.', known);
    assert.equal(
      html,
      '<p><a href="/users/Ada" class="mention">@ADA</a> said so, and <a href="/users/bob_2" class="mention">@bob_2</a> agreed.</p>',
    );
  });

  it('leaves unknown names, e-mail addresses, names glued to a word, code and links alone', () => {
    const html = renderMarkdown(
      '@nobody x@ada **b**@ada `@ada`\n\n    @ada in a block\n\n[see @ada](https://example.org) @ada_longer',
      known,
    );
    assert.doesNotMatch(html, /class="mention"/, html);
  });

  it('links nothing without the known names', () => {
    assert.doesNotMatch(renderMarkdown('@ada'), /<a/);
  });

  it('reads the mentioned names back from the html, and finds candidates in the source', () => {
    const html = renderMarkdown('@ada and @Ada and @bob_2', known);
    const linked = [...html.matchAll(new RegExp(MENTION_LINK_PATTERN, 'g'))].map((m) => m[1]);
    assert.deepEqual(linked, ['Ada', 'Ada', 'bob_2'], 'each link names the user as registered');
    assert.deepEqual(mentionCandidates('@Ada, @ada; x@eve\n@carl'), ['ada', 'carl']);
  });

  it('keeps the XSS corpus harmless around mentions', () => {
    const html = renderMarkdown('@ada <script>alert(1)</script> [x](javascript:alert(1)) @ada"onclick=alert(1)', known);
    assert.doesNotMatch(html, /<script|href="javascript:|\sonclick=/i);
    assert.equal((html.match(/class="mention"/g) ?? []).length, 2);
  });

  it('lets no author forge a mention link by hand', () => {
    const html = renderMarkdown('[@ada](/users/ada "x")');
    assert.doesNotMatch(html, /class=/);
  });
});
