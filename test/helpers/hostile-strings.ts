import assert from 'node:assert/strict';

/**
 * A compact corpus of hostile strings (no naughty-strings package is installed): each entry is [label, string].
 * XSS payloads first, then strings that trouble parsers, encoders and databases. Shared by the HTTP, Socket.IO and
 * essay-publishing suites, with the check that rendered html is safe.
 */
export const XSS: [string, string][] = [
  ['script tag', '<script>alert(1)</script>'],
  ['script tag, mixed case, with src', '<ScRiPt SRC="https://evil.example/x.js"></sCrIpT>'],
  ['img with onerror', '<img src=x onerror=alert(1)>'],
  ['img with onerror, unclosed', '<img src=x onerror=alert(1)//'],
  ['svg with onload', '<svg onload=alert(1)>'],
  ['svg with onload, upper case', '<SVG/ONLOAD=alert(1)>'],
  ['iframe', '<iframe src="https://evil.example"></iframe>'],
  ['iframe with srcdoc', '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'],
  ['event handler on an allowed tag', '<a href="https://ok.example" onclick="alert(1)">click</a>'],
  ['event handler on a paragraph', '<p onmouseover="alert(1)">hover</p>'],
  ['body onload', '<body onload=alert(1)>'],
  ['style attribute with a javascript: url', '<div style="background:url(javascript:alert(1))">x</div>'],
  ['style tag', '<style>*{background:url("javascript:alert(1)")}</style>'],
  ['object and embed', '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">'],
  ['form with a javascript: action', '<form action="javascript:alert(1)"><input type=submit></form>'],
  ['nested script to survive one pass', '<scr<script>ipt>alert(1)</scr</script>ipt>'],
  [
    'mXSS through math and style',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  ],
  ['Markdown link to javascript:', '[click](javascript:alert(1))'],
  ['Markdown link to JaVaScRiPt:', '[click](JaVaScRiPt:alert(1))'],
  ['Markdown link to javascript: with an entity colon', '[click](javascript&#58;alert(1))'],
  ['Markdown link to javascript: with a tab entity', '[click](jav&#x09;ascript:alert(1))'],
  ['Markdown link to javascript: in angle brackets', '[click](<javascript:alert(1)>)'],
  ['Markdown link to javascript: with leading space and newline', '[click](\n javascript:alert(1))'],
  ['Markdown link to data:', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['Markdown link to vbscript:', '[click](vbscript:msgbox(1))'],
  ['Markdown reference link to javascript:', '[click][evil]\n\n[evil]: javascript:alert(1)'],
  ['Markdown link breaking out of href', '[click](https://ok.example/"onmouseover="alert(1))'],
  ['Markdown link with a quoting title', '[click](https://ok.example "\\" onmouseover=\\"alert(1)")'],
  ['protocol-relative Markdown link', '[click](//evil.example/x)'],
  ['javascript: autolink', '<javascript:alert(1)>'],
  ['JAVASCRIPT: autolink', '<JAVASCRIPT:alert(1)>'],
  ['data: autolink', '<data:text/html,<script>alert(1)</script>>'],
  ['vbscript: autolink', '<vbscript:msgbox(1)>'],
  ['bare javascript: url for linkify', 'see javascript:alert(1) and www.example.com'],
  ['raw link with a tab entity in javascript:', '<a href="jav&#x09;ascript:alert(1)">x</a>'],
  [
    'raw link with decimal entities',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  ],
  [
    'raw link with hex entities, no semicolons',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
  ],
  ['Markdown image to javascript:', '![x](javascript:alert(1))'],
  ['Markdown image with onerror in its title', '![x](https://ok.example/a.png "\\" onerror=\\"alert(1)")'],
  ['Markdown image to a tracker', '![x](https://evil.example/track.png)'],
  ['Markdown image to a data: url', '![x](data:image/png;base64,iVBORw0KGgo=)'],
  ['HTML entities for a script tag', '&lt;script&gt;alert(1)&lt;/script&gt;'],
  ['numeric entities for a script tag', '&#60;script&#62;alert(1)&#60;/script&#62;'],
  ['script in a code span', '`<script>alert(1)</script>`'],
  ['script in a fenced block with a language', '```html" onload="alert(1)\n<script>alert(1)</script>\n```'],
  ['template injection in an attribute', '<a href="{{constructor.constructor(\'alert(1)\')()}}">x</a>'],
];

export const NAUGHTY: [string, string][] = [
  ['right-to-left override', 'invoice \u202Egnp.exe\u202C attached'],
  ['zero-width characters', 'zero\u200Bwidth\u200Cnon\u200Djoiner\u2060word'],
  ['byte-order mark inside', 'a\uFEFFb'],
  ['emoji with ZWJ sequences and flags', 'family 👩‍👩‍👧‍👦 flag 🇺🇦 pile 💩 rainbow 🏳️‍🌈'],
  ['combining marks', 'Z̴̡̢͈͖̼͓̆̌a̸͙̓l̷̥̇g̶̠̈́o̵͍͒ text'],
  ['NUL character', 'before \u0000 after'],
  ['other control characters', 'bell\u0007 escape\u001b[31m red\u007f'],
  ['line and paragraph separators', 'one\u2028two\u2029three'],
  ['CRLF and tabs', 'line one\r\nline two\r\n\r\n\tindented'],
  ['a very long word', 'a'.repeat(9_000)],
  ['SQL injection', "'; DROP TABLE comments; --"],
  ['SQL injection, boolean', '" OR 1=1 --'],
  ['SQL injection, stacked', "1'); SELECT pg_sleep(10); --"],
  ['template expressions', '{{7*7}} ${7*7} #{7*7} <%= 7*7 %>'],
  ['path traversal', '../../etc/passwd'],
  ['Windows path traversal', '..\\..\\windows\\win.ini'],
  ['percent-encoded NUL', '%00'],
  ['percent-encoded traversal', '%2e%2e%2f%2e%2e%2f'],
  ['format string', '%s%s%s%n%x'],
  ['lone high surrogate', 'lone \ud800 high'],
  ['lone low surrogate', 'lone \udfff low'],
  ['reversed surrogate pair', 'pair \udc00\ud800 reversed'],
  ['non-characters', 'non \uFFFE\uFFFF chars'],
  ['forty hearts with variation selectors', '❤️'.repeat(40)],
  ['white space around', '   \n\t padded \n  '],
  ['deeply nested blockquotes', `${'>'.repeat(2_000)} deep`],
  ['deeply nested brackets', `${'['.repeat(2_000)}x${']'.repeat(2_000)}(y)`],
  ['many emphasis markers', '*_'.repeat(2_000)],
  ['JSON inside', '{"body": "nested", "admin": true}'],
  ['prototype names', '__proto__ constructor prototype'],
  ['null and undefined as words', 'null undefined NaN'],
];

export const CORPUS: [string, string][] = [...XSS, ...NAUGHTY];

/** Entities as a browser would decode them in an attribute value: named, decimal and hex, with or without `;`. */
function decodeEntities(text: string): string {
  const named: Record<string, string> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    colon: ':',
    tab: '\t',
    newline: '\n',
    nbsp: '\u00a0',
  };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, entity: string) => {
    const lower = entity.toLowerCase();
    const code = lower.startsWith('#x')
      ? parseInt(lower.slice(2), 16)
      : lower.startsWith('#')
        ? parseInt(lower.slice(1), 10)
        : NaN;
    if (!Number.isNaN(code)) return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    return named[lower] ?? whole;
  });
}

const DANGEROUS_TAG =
  /<\s*\/?\s*(script|iframe|img|svg|math|object|embed|style|form|input|link|meta|base|frame|frameset|body|video|audio|source|template)\b/i;
const DANGEROUS_SCHEME = /^(javascript|data|vbscript):/i;

/**
 * The rendered html is safe: no dangerous element, no event handler or style attribute, no link to a script scheme
 * (also after decoding entities and dropping the white space and control characters a browser ignores). Text the
 * renderer escaped (`&lt;script&gt;`) is text: only real tags are inspected.
 */
export function assertSafeHtml(html: string, label: string): void {
  assert.doesNotMatch(html, DANGEROUS_TAG, `${label}: a dangerous element in ${html.slice(0, 300)}`);
  for (const tag of html.match(/<[^>]*>/g) ?? []) {
    assert.doesNotMatch(tag, /[\s/"']on[a-z]+\s*=/i, `${label}: an event handler in ${tag}`);
    assert.doesNotMatch(tag, /[\s/"']style\s*=/i, `${label}: a style attribute in ${tag}`);
    for (const [, , value] of tag.matchAll(
      /\s(href|src|action|formaction|xlink:href|srcdoc)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi,
    )) {
      // eslint-disable-next-line no-control-regex
      const url = decodeEntities(value.replace(/^["']|["']$/g, '')).replace(/[\u0000-\u0020\u007f]+/g, '');
      assert.doesNotMatch(url, DANGEROUS_SCHEME, `${label}: a script link in ${tag}`);
    }
  }
}
