import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type supertest from 'supertest';
import {
  type Account,
  ADMIN_ENV,
  assertClientError,
  assertErrorBody,
  bearer,
  newUser,
  signInAdmin,
} from './helpers/accounts.js';
import { assertSafeHtml, CORPUS, XSS } from './helpers/hostile-strings.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface Block {
  id: string;
  kind: string;
  text: string;
  html: string;
  commentCount: number;
}

const ESSAY_BODY = [
  '# The argument',
  '',
  'The soviets were the organs of the revolution,',
  'and the *party* followed them. See [the archive](https://www.marxists.org/).',
  '',
  '> All power to the soviets.',
  '> — a slogan of 1917',
  '',
  '- land',
  '- **bread**',
  '- peace',
  '',
  '---',
  '',
  '## Counting',
  '',
  '1. first',
  '2. second',
  '',
  '```',
  'code <stays> text',
  '```',
  '',
  'A last paragraph, to quote.',
].join('\n');

const EXPECTED_BLOCKS = [
  { kind: 'heading', text: 'The argument', html: '<h2>The argument</h2>' },
  {
    kind: 'paragraph',
    text: 'The soviets were the organs of the revolution, and the party followed them. See the archive.',
    html: '<p>The soviets were the organs of the revolution, and the <em>party</em> followed them. See <a href="https://www.marxists.org/" rel="nofollow ugc noopener">the archive</a>.</p>',
  },
  {
    kind: 'quote',
    text: 'All power to the soviets. — a slogan of 1917',
    html: '<blockquote>\n<p>All power to the soviets. — a slogan of 1917</p>\n</blockquote>',
  },
  {
    kind: 'list',
    text: 'land\nbread\npeace',
    html: '<ul>\n<li>land</li>\n<li><strong>bread</strong></li>\n<li>peace</li>\n</ul>',
  },
  { kind: 'heading', text: 'Counting', html: '<h2>Counting</h2>' },
  { kind: 'list', text: 'first\nsecond', html: '<ol>\n<li>first</li>\n<li>second</li>\n</ol>' },
  { kind: 'paragraph', text: 'code <stays> text', html: '<pre><code>code &lt;stays&gt; text\n</code></pre>' },
  { kind: 'paragraph', text: 'A last paragraph, to quote.', html: '<p>A last paragraph, to quote.</p>' },
];

describe('publishing an essay (POST /api/articles)', () => {
  let t: TestApp;
  let admin: Account;

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV, seed: true });
    admin = await signInAdmin(t);
  });

  after(() => t.close());

  function publish(body: unknown, token = admin.token): supertest.Test {
    return t.http
      .post('/api/articles')
      .set('Authorization', bearer(token))
      .send(body as object);
  }

  function essay(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      title: `An essay ${randomBytes(4).toString('hex')}`,
      author: 'A. Writer',
      body: 'One paragraph.',
      ...overrides,
    };
  }

  async function articleCount(): Promise<number> {
    const rows: { n: number }[] = await t.dataSource.query('SELECT count(*)::int AS n FROM articles');
    return rows[0].n;
  }

  describe('an essay with every kind of block', () => {
    let created: supertest.Response;

    before(async () => {
      created = await publish({
        title: '  The Soviets and the Party  ',
        author: '  Holly Quilty ',
        body: ESSAY_BODY,
        publishedAt: '2024-01-19T10:00:00+01:00',
        tags: [' history ', 'russia', 'history', 'russia '],
        source: '  First published in a magazine. ',
      });
    });

    it('answers 201 with the whole article, as GET answers it', async () => {
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const got = await t.http.get(`/api/articles/${created.body.slug}`).expect(200);
      assert.deepEqual(created.body, got.body);
      assert.deepEqual(Object.keys(created.body).sort(), [
        'author',
        'blocks',
        'canonicalUrl',
        'commentCount',
        'excerpt',
        'following',
        'id',
        'lastCommentAt',
        'publishedAt',
        'revision',
        'seq',
        'settings',
        'slug',
        'source',
        'stances',
        'tags',
        'title',
        'updatedAt',
      ]);
    });

    it('keeps the fields trimmed, tags without repeats, the date in UTC, the counts at zero and the settings at their defaults', () => {
      const a = created.body;
      assert.equal(a.slug, 'the-soviets-and-the-party');
      assert.equal(a.title, 'The Soviets and the Party');
      assert.equal(a.author, 'Holly Quilty');
      assert.equal(a.publishedAt, '2024-01-19T09:00:00.000Z');
      assert.deepEqual(a.tags, ['history', 'russia']);
      assert.equal(a.source, 'First published in a magazine.');
      assert.equal(
        a.excerpt,
        'The soviets were the organs of the revolution, and the party followed them. See the archive.',
      );
      assert.equal(a.commentCount, 0);
      assert.deepEqual(a.stances, { agree: 0, disagree: 0, question: 0, evidence: 0 });
      assert.equal(a.lastCommentAt, null);
      assert.equal(a.seq, 0);
      assert.deepEqual(a.settings, { locked: false, premoderation: false, slowModeSeconds: 0 });
    });

    it('makes the blocks in order: headings, paragraphs, the quotation, the lists, the code; the thematic break dropped', () => {
      const blocks = created.body.blocks as Block[];
      assert.deepEqual(
        blocks.map(({ kind, text, html }) => ({ kind, text, html })),
        EXPECTED_BLOCKS,
      );
      for (const block of blocks) {
        assert.equal(block.commentCount, 0);
        assert.match(block.id, /^[A-Za-z0-9_-]{1,32}$/);
        assertSafeHtml(block.html, block.text);
      }
      assert.equal(new Set(blocks.map((b) => b.id)).size, blocks.length, 'block ids are unique');
    });

    it('records it in the moderation log: who, what, which article', async () => {
      const log = await t.http
        .get('/api/moderation/log?limit=100')
        .set('Authorization', bearer(admin.token))
        .expect(200);
      const entry = (log.body.items as { action: string; articleId: string }[]).find(
        (e) => e.action === 'article.create' && e.articleId === created.body.id,
      ) as Record<string, unknown> | undefined;
      assert.ok(entry, 'an article.create entry for the essay');
      assert.equal((entry.actor as { id: string }).id, admin.id);
      assert.deepEqual(entry.article, { id: created.body.id, slug: created.body.slug, title: created.body.title });
      assert.deepEqual(entry.details, { slug: created.body.slug, title: created.body.title });
    });

    it('lists it first', async () => {
      const list = await t.http.get('/api/articles?limit=3').expect(200);
      assert.equal(list.body.items[0].slug, created.body.slug);
      assert.equal(list.body.items[0].excerpt, created.body.excerpt);
    });

    it('takes a comment quoting one of its paragraphs, verified, and counts it on the block', async () => {
      const reader = await newUser(t);
      const block = (created.body.blocks as Block[]).at(-1) as Block;
      const res = await t.http
        .post(`/api/articles/${created.body.slug}/comments`)
        .set('Authorization', bearer(reader.token))
        .send({
          body: 'Quoting the essay',
          quote: { source: 'article', blockId: block.id, text: 'A last  paragraph' },
        });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(res.body.quote, {
        source: 'article',
        blockId: block.id,
        text: 'A last  paragraph',
        verified: true,
        start: 0,
        end: 'A last paragraph'.length,
        anchor: 'exact',
        current: null,
        revision: 1,
      });
      const after = await t.http.get(`/api/articles/${created.body.slug}`).expect(200);
      assert.equal((after.body.blocks as Block[]).find((b) => b.id === block.id)?.commentCount, 1);
      assert.equal(after.body.commentCount, 1);
      const wrong = await t.http
        .post(`/api/articles/${created.body.slug}/comments`)
        .set('Authorization', bearer(reader.token))
        .send({
          body: 'Misquoting',
          quote: { source: 'article', blockId: block.id, text: 'words that are not there' },
        });
      assertErrorBody(wrong, 422, 'a quote not in the block');
    });
  });

  describe('slugs', () => {
    it('numbers the slug of a second essay with the same title', async () => {
      const title = `Same Title ${randomBytes(3).toString('hex')}`;
      const first = await publish(essay({ title })).expect(201);
      const second = await publish(essay({ title })).expect(201);
      const third = await publish(essay({ title: `${title}!` })).expect(201);
      assert.equal(second.body.slug, `${first.body.slug}-2`);
      assert.equal(third.body.slug, `${first.body.slug}-3`);
      // The same body in each: every block id still differs (ids are unique across articles).
      const ids = [first, second, third].flatMap((res) => (res.body.blocks as Block[]).map((b) => b.id));
      assert.equal(new Set(ids).size, ids.length);
    });

    it('gives six essays published at once six distinct slugs, all 201', async () => {
      const title = `At Once ${randomBytes(3).toString('hex')}`;
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => publish(essay({ title, body: `Essay number ${i}.` }))),
      );
      for (const res of answers) assert.equal(res.status, 201, JSON.stringify(res.body));
      const slugs = answers.map((res) => res.body.slug as string);
      const base = slugs.find((slug) => !/-\d$/.test(slug)) as string;
      assert.deepEqual(
        new Set(slugs),
        new Set([base, `${base}-2`, `${base}-3`, `${base}-4`, `${base}-5`, `${base}-6`]),
      );
      for (const [i, res] of answers.entries()) {
        const got = await t.http.get(`/api/articles/${res.body.slug}`).expect(200);
        assert.equal(got.body.blocks[0].text, `Essay number ${i}.`, 'each slug leads to its own essay');
      }
    });

    it('makes a slug from any title, falling back to "article"', async () => {
      const res = await publish(essay({ title: 'Война и мир' })).expect(201);
      assert.match(res.body.slug, /^article(-\d+)?$/);
      await t.http.get(`/api/articles/${res.body.slug}`).expect(200);
    });
  });

  describe('validation', () => {
    const long = (n: number, char = 'a') => char.repeat(n);

    it('refuses each field out of bounds or of the wrong type with 400, creating nothing', async () => {
      const before = await articleCount();
      const cases: [string, Record<string, unknown>][] = [
        ['no title', { title: undefined }],
        ['empty title', { title: '' }],
        ['blank title', { title: ' \n\t ' }],
        ['title of 301 characters', { title: long(301, '😀') }],
        ['title a number', { title: 5 }],
        ['title null', { title: null }],
        ['no body', { body: undefined }],
        ['empty body', { body: '' }],
        ['blank body', { body: '   \n\n\t  \n' }],
        ['body a list', { body: ['x'] }],
        ['body of only thematic breaks', { body: '---\n\n***\n\n___' }],
        ['body of only html', { body: '<div>\n<p>Hello</p>\n</div>\n\n<script>alert(1)</script>' }],
        ['body of only html and a break', { body: '<img src=x onerror=alert(1)>\n\n---' }],
        ['body of 500,001 characters', { body: long(500_001) }],
        ['body of 10,001 blocks', { body: Array.from({ length: 10_001 }, (_, i) => `p${i}`).join('\n\n') }],
        ['no author', { author: undefined }],
        ['blank author', { author: '   ' }],
        ['author of 201 characters', { author: long(201) }],
        ['author an object', { author: { name: 'x' } }],
        ['publishedAt not a date', { publishedAt: 'yesterday' }],
        ['publishedAt a date without a time', { publishedAt: '2024-01-19' }],
        ['publishedAt without an offset', { publishedAt: '2024-01-19T10:00:00' }],
        ['publishedAt a day that does not exist', { publishedAt: '2024-02-30T00:00:00Z' }],
        ['publishedAt before year 1', { publishedAt: '0001-01-01T00:30:00+01:00' }],
        ['publishedAt a number', { publishedAt: 1705622400000 }],
        ['publishedAt empty', { publishedAt: '' }],
        ['tags not a list', { tags: 'history' }],
        ['tags null', { tags: null }],
        ['21 tags', { tags: Array.from({ length: 21 }, (_, i) => `tag${i}`) }],
        ['an empty tag', { tags: ['ok', '  '] }],
        ['a tag of 51 characters', { tags: [long(51)] }],
        ['a tag a number', { tags: [5] }],
        ['source of 501 characters', { source: long(501) }],
        ['source a number', { source: 5 }],
        ['an unknown field', { slug: 'chosen-slug' }],
        ['an internal field', { importKey: 'x' }],
        ['seq', { seq: 5 }],
      ];
      for (const [label, fields] of cases) {
        const res = await publish(essay(fields));
        assertErrorBody(res, 400, label);
      }
      assert.equal(await articleCount(), before, 'no refused request created an article');
    });

    it('accepts every field at its bounds', async () => {
      const res = await publish({
        title: long(300, '😀'),
        author: long(200, 'é'),
        body: 'x',
        publishedAt: null,
        tags: Array.from({ length: 20 }, (_, i) => `${i}${long(49, 't')}`.slice(0, 50)),
        source: long(500),
      });
      assert.equal(res.status, 201, JSON.stringify(res.body).slice(0, 300));
      assert.equal(res.body.title, long(300, '😀'));
      assert.equal(res.body.publishedAt, null);
      assert.equal(res.body.tags.length, 20);
      const minimal = await publish({ title: 'T', author: 'A', body: 'B', source: '', tags: [] }).expect(201);
      assert.equal(minimal.body.source, null, 'an empty source is none');
      assert.deepEqual(minimal.body.tags, []);
      assert.equal(minimal.body.publishedAt, null);
    });

    it('answers a JSON body over 2 MB with 413, and keeps 64 KB for every other route and for anonymous requests', async () => {
      const before = await articleCount();
      const tooLarge = await publish(essay({ body: long(2 * 1024 * 1024 + 1) }));
      assertErrorBody(tooLarge, 413, 'essay over 2 MB');
      assert.equal(tooLarge.body.error, 'payload_too_large');
      assert.equal(await articleCount(), before);
      // Without credentials the larger limit does not apply: nobody anonymous gets to send 2 MB.
      const anonymous = await t.http.post('/api/articles').send(essay({ body: long(100_000) }));
      assertErrorBody(anonymous, 413, 'an anonymous 100 KB essay');
      const anonymousSmall = await t.http.post('/api/articles').send(essay());
      assertErrorBody(anonymousSmall, 401, 'an anonymous small essay');
      const reader = await newUser(t);
      const comment = await t.http
        .post('/api/articles/bolshevism-vs-stalinism/comments')
        .set('Authorization', bearer(reader.token))
        .send({ body: long(100_000) });
      assertErrorBody(comment, 413, 'a 100 KB comment');
      const settings = await t.http
        .patch('/api/articles/bolshevism-vs-stalinism/settings')
        .set('Authorization', bearer(admin.token))
        .send({ locked: false, padding: long(100_000) });
      assertErrorBody(settings, 413, 'a 100 KB settings change');
      const register413 = await t.http.post('/api/auth/register').send({ username: 'x', password: long(100_000) });
      assertErrorBody(register413, 413, 'a 100 KB registration');
    });

    it('publishes a 100 KB essay, and one of nearly 500,000 three-byte characters (1.5 MB of UTF-8)', async () => {
      const paragraph = `${long(999, 'w')}.`;
      const hundredKb = Array.from({ length: 100 }, () => paragraph).join('\n\n');
      const res = await publish(essay({ body: hundredKb }));
      assert.equal(res.status, 201, JSON.stringify(res.body).slice(0, 300));
      assert.equal(res.body.blocks.length, 100);
      const chinese = Array.from({ length: 500 }, () => `${long(997, '字')}。`).join('\n\n');
      assert.equal([...chinese].length, 499_998);
      assert.ok(Buffer.byteLength(chinese) > 1_400_000);
      const big = await publish(essay({ body: chinese }));
      assert.equal(big.status, 201, JSON.stringify(big.body).slice(0, 300));
      assert.equal(big.body.blocks.length, 500);
    });

    it('answers a body that is not JSON with a 4xx', async () => {
      for (const [type, body] of [
        ['text/plain', JSON.stringify(essay())],
        ['application/x-www-form-urlencoded', 'title=x&author=y&body=z'],
      ]) {
        const res = await t.http
          .post('/api/articles')
          .set('Authorization', bearer(admin.token))
          .set('Content-Type', type)
          .send(body);
        assertClientError(res, type);
      }
      const malformed = await t.http
        .post('/api/articles')
        .set('Authorization', bearer(admin.token))
        .set('Content-Type', 'application/json')
        .send('{"title": "x",');
      assertErrorBody(malformed, 400, 'malformed JSON');
      assert.equal(malformed.body.error, 'malformed_json');
    });
  });

  describe('hostile input', () => {
    it('keeps hostile text as given in title, author, tags and source', async () => {
      for (const [label, text] of CORPUS) {
        const value = text.trim();
        const tag = [...value].length <= 50 && value.length > 0 ? [value] : [];
        const res = await publish({ title: text, author: text, body: 'A plain paragraph.', tags: tag, source: text });
        assert.ok(res.status < 500, `${label}: ${res.status}`);
        if (res.status !== 201) {
          assertClientError(res, label);
          continue;
        }
        const got = await t.http.get(`/api/articles/${res.body.slug}`).expect(200);
        assert.equal(got.body.title, value, `${label}: title`);
        assert.equal(got.body.author, value, `${label}: author`);
        assert.deepEqual(got.body.tags, tag, `${label}: tags`);
        assert.equal(got.body.source, value, `${label}: source`);
        assert.match(got.body.slug, /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, `${label}: slug`);
      }
    });

    it('renders every hostile body to safe html, or refuses it with a 4xx', async () => {
      let published = 0;
      for (const [label, text] of CORPUS) {
        const res = await publish(essay({ body: `${text}\n\nA paragraph after it.\n\n- ${text}\n\n> ${text}` }));
        assert.ok(res.status < 500, `${label}: ${res.status}`);
        if (res.status !== 201) {
          assertClientError(res, label);
          continue;
        }
        published++;
        for (const block of res.body.blocks as Block[]) assertSafeHtml(block.html, `${label} (${block.kind})`);
        assert.ok(
          (res.body.blocks as Block[]).some((b) => b.text === 'A paragraph after it.'),
          label,
        );
      }
      assert.ok(published >= XSS.length, `${published} hostile essays published`);
    });

    it('keeps Markdown that is not a safe link as text, and drops raw html', async () => {
      const res = await publish(
        essay({
          body: [
            '[x](javascript:alert(1))',
            '',
            'Before <img src=x onerror=alert(1)> after <b onmouseover="alert(1)">bold</b>.',
            '',
            '<script>alert(1)</script>',
            '',
            '<iframe src="https://evil.example"></iframe>',
            '',
            '![x](javascript:alert(1)) and ![tracker](https://evil.example/t.png)',
          ].join('\n'),
        }),
      ).expect(201);
      const blocks = res.body.blocks as Block[];
      assert.deepEqual(
        blocks.map((b) => b.text),
        ['[x](javascript:alert(1))', 'Before after bold.', '![x](javascript:alert(1)) and tracker'],
      );
      for (const block of blocks) {
        assertSafeHtml(block.html, block.text);
        assert.doesNotMatch(block.html, /href|<img|<script|<iframe/i, block.html);
      }
      const stored: { html: string }[] = await t.dataSource.query(
        'SELECT b.html FROM article_blocks b JOIN articles a ON a.id = b.article_id WHERE a.slug = $1',
        [res.body.slug],
      );
      for (const row of stored) assertSafeHtml(row.html, 'stored');
    });
  });
});
