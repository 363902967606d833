import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdownBlocksWithIds, parseMarkdownBlocks } from './markdown-blocks.js';

const sut = parseMarkdownBlocks;

/** The html must hold no element, attribute or link that can run script. */
function assertSafe(html: string, label: string): void {
  assert.doesNotMatch(
    html,
    /<\s*\/?\s*(script|img|svg|iframe|object|embed|style|form|input|math|div|span|table)\b/i,
    `${label}: ${html}`,
  );
  assert.doesNotMatch(html, /<[^>]*\s(on\w+|style|class|src)\s*=/i, `${label}: ${html}`);
  assert.doesNotMatch(html, /href\s*=\s*["']?\s*(javascript|data|vbscript):/i, `${label}: ${html}`);
}

describe('parseMarkdownBlocks', () => {
  it('makes one block per heading, paragraph, quotation and list, in order', () => {
    const blocks = sut(
      [
        '# The title',
        '',
        'A first *paragraph*,',
        'on two lines.',
        '',
        '## A section',
        '',
        '> Quoted words',
        '> go on here.',
        '>',
        '> - with a list',
        '',
        '- one',
        '- **two**',
        '  - two and a half',
        '',
        '3. three',
        '4. four',
        '',
        '###### Small heading',
      ].join('\n'),
    );
    assert.deepEqual(
      blocks.map(({ kind, text }) => ({ kind, text })),
      [
        { kind: 'heading', text: 'The title' },
        { kind: 'paragraph', text: 'A first paragraph, on two lines.' },
        { kind: 'heading', text: 'A section' },
        { kind: 'quote', text: 'Quoted words go on here.\nwith a list' },
        { kind: 'list', text: 'one\ntwo\ntwo and a half' },
        { kind: 'list', text: 'three\nfour' },
        { kind: 'heading', text: 'Small heading' },
      ],
    );
    assert.equal(blocks[0].html, '<h2>The title</h2>', '# renders as h2: the page’s h1 is the title');
    assert.equal(blocks[1].html, '<p>A first <em>paragraph</em>, on two lines.</p>');
    assert.equal(blocks[2].html, '<h2>A section</h2>');
    assert.match(
      blocks[3].html,
      /^<blockquote>\s*<p>Quoted words go on here\.<\/p>\s*<ul>\s*<li>with a list<\/li>\s*<\/ul>\s*<\/blockquote>$/,
    );
    assert.match(
      blocks[4].html,
      /^<ul>\s*<li>one<\/li>\s*<li><strong>two<\/strong>\s*<ul>\s*<li>two and a half<\/li>\s*<\/ul>\s*<\/li>\s*<\/ul>$/,
    );
    assert.match(blocks[5].html, /^<ol start="3">\s*<li>three<\/li>\s*<li>four<\/li>\s*<\/ol>$/);
    assert.equal(blocks[6].html, '<h6>Small heading</h6>');
  });

  it('makes indented and fenced code a paragraph of <pre><code>, its lines kept in the text', () => {
    const blocks = sut('```js" onload="alert(1)\nconst a = "<b>";\n  a += 1;\n```\n\n    indented();\n');
    assert.deepEqual(
      blocks.map(({ kind, text }) => ({ kind, text })),
      [
        { kind: 'paragraph', text: 'const a = "<b>";\na += 1;' },
        { kind: 'paragraph', text: 'indented();' },
      ],
    );
    assert.equal(blocks[0].html, '<pre><code>const a = "&lt;b&gt;";\n  a += 1;\n</code></pre>');
    assertSafe(blocks[0].html, 'fence with a hostile language');
  });

  it('drops thematic breaks, html blocks and blocks left without text', () => {
    const blocks = sut(
      [
        '---',
        '',
        '<script>alert(1)</script>',
        '',
        '<div>\ntext in a div\n</div>',
        '',
        '***',
        '',
        '#',
        '',
        '<span></span>',
        '',
        'Kept.',
      ].join('\n'),
    );
    assert.deepEqual(
      blocks.map(({ kind, text, html }) => ({ kind, text, html })),
      [{ kind: 'paragraph', text: 'Kept.', html: '<p>Kept.</p>' }],
    );
    assert.deepEqual(sut('---\n\n* * *\n\n___'), []);
    assert.deepEqual(sut('<img src=x onerror=alert(1)>\n\n<iframe src="https://evil.example"></iframe>'), []);
    assert.deepEqual(sut('   \n\n\t\n'), []);
    assert.deepEqual(sut(''), []);
  });

  it('drops inline html tags but keeps their text; <br> is a line break', () => {
    const [block] = sut(
      'Some <b onclick="alert(1)">bold</b> words<br>and <script>alert(1)</script> more <!-- hidden -->.',
    );
    assert.equal(block.text, 'Some bold words and alert(1) more .');
    assert.equal(block.html, '<p>Some bold words<br />\nand alert(1) more .</p>');
  });

  it('keeps Markdown that is not a link as text, and links only to http(s) and mailto', () => {
    const [block] = sut(
      '[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](vbscript:x) [d](data:text/html;base64,PHNjcmlwdD4=) ' +
        '[e](https://example.org/e) <mailto:x@example.org> www.example.com [f](ftp://example.org/f)',
    );
    assertSafe(block.html, 'links');
    assert.match(block.html, /<a href="https:\/\/example\.org\/e" rel="nofollow ugc noopener">e<\/a>/);
    assert.match(block.html, /<a href="http:\/\/www\.example\.com" rel="nofollow ugc noopener">www\.example\.com<\/a>/);
    assert.match(block.text, /^\[a\]\(javascript:alert\(1\)\) \[b\]\(JaVaScRiPt:alert\(1\)\)/);
    assert.doesNotMatch(block.html, /ftp:/);
  });

  it('shows an image as its alt text, never as an element', () => {
    const [block] = sut(
      'Look: ![a *chart* "x" onerror=alert(1)](https://evil.example/track.png "t") and ![y](javascript:alert(1))',
    );
    assertSafe(block.html, 'images');
    assert.equal(block.text, 'Look: a chart "x" onerror=alert(1) and ![y](javascript:alert(1))');
  });

  it('decodes entities into the text and escapes them again in the html', () => {
    const [block] = sut('Fish &amp; chips &lt;script&gt; &copy; 5 > 3 < 4');
    assert.equal(block.text, 'Fish & chips <script> © 5 > 3 < 4');
    assert.equal(block.html, '<p>Fish &amp; chips &lt;script&gt; © 5 &gt; 3 &lt; 4</p>');
  });

  it('leaves a table as the text it was written as (tables are not a block kind)', () => {
    const blocks = sut('| a | b |\n|---|---|\n| 1 | 2 |');
    assert.deepEqual(
      blocks.map(({ kind, text }) => ({ kind, text })),
      [{ kind: 'paragraph', text: '| a | b | |---|---| | 1 | 2 |' }],
    );
  });

  it('reads Windows line endings like Unix ones', () => {
    assert.deepEqual(sut('# Head\r\n\r\nOne\r\ntwo\r\n'), sut('# Head\n\nOne\ntwo\n'));
  });

  it('survives deeply nested quotations and brackets', () => {
    assert.deepEqual(
      sut(`${'>'.repeat(5)} nested`).map(({ kind, text }) => ({ kind, text })),
      [{ kind: 'quote', text: 'nested' }],
    );
    // Past markdown-it's nesting limit the content is not parsed: a quotation nested 2,000 deep leaves no block.
    assert.deepEqual(sut(`${'>'.repeat(2_000)} deep`), []);
    const brackets = sut(`${'['.repeat(2_000)}x${']'.repeat(2_000)}(y)`);
    assert.equal(brackets.length, 1);
  });
});

describe('markdownBlocksWithIds', () => {
  const blocks = parseMarkdownBlocks('# Same\n\nSame\n\nSame\n\nOther');

  it('gives ids that are unique within the article and the same for the same key and body', () => {
    const first = markdownBlocksWithIds('article:an-essay', blocks);
    assert.equal(new Set(first.map((b) => b.id)).size, first.length);
    assert.deepEqual(
      markdownBlocksWithIds('article:an-essay', parseMarkdownBlocks('# Same\n\nSame\n\nSame\n\nOther')),
      first,
    );
    assert.deepEqual(
      first.map((b) => b.position),
      [0, 1, 2, 3],
    );
    for (const block of first) assert.match(block.id, /^b[0-9a-f]{20}$/);
  });

  it('gives another article’s identical body other ids', () => {
    const one = markdownBlocksWithIds('article:an-essay', blocks).map((b) => b.id);
    const two = markdownBlocksWithIds('article:an-essay-2', blocks).map((b) => b.id);
    assert.equal(new Set([...one, ...two]).size, one.length + two.length);
  });
});
