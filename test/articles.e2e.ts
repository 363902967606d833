import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Fixtures } from './helpers/fixtures.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

describe('articles', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ seed: true });
    const fx = new Fixtures(t.app);
    for (let i = 0; i < 5; i++) await fx.newArticle();
  });

  after(() => t.close());

  it('lists every article once across pages, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { slug: string }[]; nextCursor: string | null } } = await t.http
        .get(`/api/articles?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        .expect(200);
      assert.ok(res.body.items.length <= 3);
      seen.push(...res.body.items.map((a: { slug: string }) => a.slug));
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 9);
    assert.equal(new Set(seen).size, 9);
    const all = await t.http.get('/api/articles?limit=100').expect(200);
    assert.deepEqual(
      all.body.items.map((a: { slug: string }) => a.slug),
      seen,
    );
    assert.equal(all.body.nextCursor, null);
  });

  it('gives each summary the contract’s fields and nothing internal', async () => {
    const res = await t.http.get('/api/articles?limit=100').expect(200);
    const summary = res.body.items.find((a: { slug: string }) => a.slug === 'bolshevism-vs-stalinism');
    assert.deepEqual(Object.keys(summary).sort(), [
      'author',
      'commentCount',
      'excerpt',
      'id',
      'lastCommentAt',
      'publishedAt',
      'slug',
      'tags',
      'title',
    ]);
    assert.equal(summary.author, 'Holly Quilty');
    assert.equal(summary.publishedAt, '2024-01-19T00:00:00.000Z');
    assert.equal(typeof summary.id, 'string');
    assert.ok(!JSON.stringify(res.body).includes('importKey'));
  });

  it('serves an article with its blocks and settings', async () => {
    const res = await t.http.get('/api/articles/bolshevism-vs-stalinism').expect(200);
    const article = res.body;
    assert.equal(article.title, 'Bolshevism vs. Stalinism');
    assert.deepEqual(article.settings, { locked: false, premoderation: false, slowModeSeconds: 0 });
    assert.ok(article.blocks.length > 20);
    const kinds = new Set(article.blocks.map((b: { kind: string }) => b.kind));
    for (const kind of ['heading', 'paragraph', 'list']) assert.ok(kinds.has(kind), `no ${kind} block`);
    for (const block of article.blocks) {
      assert.deepEqual(Object.keys(block).sort(), [
        'commentCount',
        'highlights',
        'html',
        'id',
        'kind',
        'stances',
        'text',
      ]);
      assert.match(block.id, /^[A-Za-z0-9_-]{1,32}$/);
      assert.doesNotMatch(block.html, /<script|\son\w+=/i);
    }
    assert.equal(
      new Set(article.blocks.map((b: { id: string }) => b.id)).size,
      article.blocks.length,
      'block ids are unique',
    );
  });

  it('answers 404 for an unknown or impossible slug', async () => {
    for (const slug of ['no-such-essay', '..%2F..%2Fetc%2Fpasswd', 'UPPER', '%00', 'a'.repeat(300)]) {
      const res = await t.http.get(`/api/articles/${slug}`);
      assert.equal(res.status, 404, slug);
      assert.equal(res.body.statusCode, 404);
      assert.equal(res.body.error, 'article_not_found');
    }
    const thread = await t.http.get('/api/articles/no-such-essay/comments');
    assert.equal(thread.status, 404);
  });

  it('refuses bad paging parameters with 400', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=x', 'cursor=not-a-cursor', 'cursor=', 'foo=bar']) {
      const res = await t.http.get(`/api/articles?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.statusCode, 400, query);
    }
  });
});
