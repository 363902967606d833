import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SeedImporter } from '../src/seeding/seed-importer.js';
import { buildBlocks, excerptOf } from '../src/articles/article-blocks.js';
import { ArticlesRepository } from '../src/articles/articles.repository.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const THREAD_ARTICLE = 'why-anti-socialists-talk-about-lenin-even-more-than-socialists';

interface Node {
  id: string;
  parentId: string | null;
  depth: number;
  author: { username: string; displayName: string };
  body: string;
  html: string;
  quotes: { source: string; blockId: string; text: string; verified: boolean }[];
  replies: Node[];
}

describe('the seeded essays and their reader thread', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ seed: true });
  });

  after(() => t.close());

  it('serves the four essays with their authors', async () => {
    const res = await t.http.get('/api/articles').expect(200);
    const byTitle = Object.fromEntries(
      res.body.items.map((a: { title: string; author: string }) => [a.title, a.author]),
    );
    assert.equal(Object.keys(byTitle).length, 4);
    assert.equal(byTitle['Bolshevism vs. Stalinism'], 'Holly Quilty');
    assert.equal(byTitle['Why anti-socialists talk about Lenin even more than socialists'], 'Ramin Mazaheri');
    assert.equal(byTitle['Notes: Left Wing Communism by Lenin - Chapter 1'], 'Anonymous');
    const serge = Object.entries(byTitle).find(([title]) => title.startsWith('Year One of the Russian Revolution'));
    assert.ok(serge);
    assert.equal(serge[1], 'Victor Serge');
  });

  it('keeps the archive’s metadata as source, not as body text', async () => {
    const list = await t.http.get('/api/articles').expect(200);
    const slug = list.body.items.find((a: { author: string }) => a.author === 'Victor Serge').slug;
    const article = (await t.http.get(`/api/articles/${slug}`).expect(200)).body;
    assert.match(article.source, /First Published/);
    assert.match(article.source, /Translation: Dan Eastman/);
    for (const block of article.blocks) assert.doesNotMatch(block.text, /^(Written|First Published|Transcription)/);
  });

  it('nests the eight reader comments as the text says: 2 answers 1, 6 answers 5', async () => {
    const res = await t.http.get(`/api/articles/${THREAD_ARTICLE}/comments?sort=old&depth=10`).expect(200);
    assert.equal(res.body.total, 8);
    const top: Node[] = res.body.items;
    assert.equal(top.length, 6);
    const names = (nodes: Node[]): string[] => nodes.flatMap((n) => [n.author.displayName, ...names(n.replies)]);
    assert.deepEqual(names(top), [
      'Stewart',
      'D.W. Jenkins',
      'Anonymous reader',
      'Anonymous reader',
      'Rochat',
      'M. Thorez',
      'Anonymous reader',
      'Ramin Mazaheri',
    ]);
    assert.equal(top[0].replies[0].parentId, top[0].id);
    assert.equal(top[0].replies[0].depth, 1);
    assert.match(top[0].replies[0].body, /As Mr Stewart so lucidly points/);
    assert.doesNotMatch(top[0].replies[0].body, /D\.W\. Jenkins\s*$/, 'the signature became the author');
    assert.match(top[3].replies[0].body, /Can Mr\. Rochat show us/);
    assert.match(top[5].body, /Many thanks for the kind words on my article/);
  });

  it('gives the reader comments the stances their own words state, and no other', async () => {
    const res = await t.http.get(`/api/articles/${THREAD_ARTICLE}/comments?sort=old&depth=10`).expect(200);
    const flat = (nodes: (Node & { stance: string | null })[]): [string, string | null][] =>
      nodes.flatMap((n) => [
        [n.body.slice(0, 24), n.stance],
        ...flat(n.replies as (Node & { stance: string | null })[]),
      ]);
    assert.deepEqual(
      flat(res.body.items).map(([, stance]) => stance),
      [null, null, null, 'agree', 'evidence', 'question', null, null],
    );
    const article = (await t.http.get(`/api/articles/${THREAD_ARTICLE}`).expect(200)).body;
    assert.deepEqual(article.stances, { agree: 1, disagree: 0, question: 0, evidence: 1 }, 'top-level comments only');
    const filtered = await t.http.get(`/api/articles/${THREAD_ARTICLE}/comments?stance=evidence`).expect(200);
    assert.deepEqual(
      filtered.body.items.map((c: Node) => c.author.displayName),
      ['Rochat'],
    );
  });

  it('anchors the passages comment 1 quotes to the blocks they come from, verified', async () => {
    const thread = await t.http.get(`/api/articles/${THREAD_ARTICLE}/comments?sort=old&depth=0&limit=1`).expect(200);
    const first: Node = thread.body.items[0];
    assert.ok(first.quotes.length >= 3, `comment 1 quotes ${first.quotes.length} passages`);
    const article = (await t.http.get(`/api/articles/${THREAD_ARTICLE}`).expect(200)).body;
    const blockText = new Map<string, string>(article.blocks.map((b: { id: string; text: string }) => [b.id, b.text]));
    for (const quote of first.quotes) {
      assert.equal(quote.source, 'article');
      assert.equal(quote.verified, true);
      assert.ok(blockText.get(quote.blockId)?.includes(quote.text), `quote not in its block: ${quote.text}`);
    }
    assert.ok(
      first.quotes.some((q) => q.text.startsWith('If it had not been Lenin there would have been someone else')),
    );
    const quoted = new Set(first.quotes.map((q) => q.blockId));
    for (const block of article.blocks) {
      assert.equal(block.commentCount, quoted.has(block.id) ? 1 : 0, `block ${block.id} count`);
    }
    assert.equal(article.commentCount, 8);
    const byBlock = await t.http
      .get(`/api/articles/${THREAD_ARTICLE}/comments?blockId=${first.quotes[0].blockId}`)
      .expect(200);
    assert.deepEqual(
      byBlock.body.items.map((c: Node) => c.id),
      [first.id],
    );
  });

  it('renders comment bodies as sanitised html', async () => {
    const thread = await t.http.get(`/api/articles/${THREAD_ARTICLE}/comments?sort=old&depth=10`).expect(200);
    const all: Node[] = [];
    const walk = (nodes: Node[]) => nodes.forEach((n) => (all.push(n), walk(n.replies)));
    walk(thread.body.items);
    for (const comment of all) {
      assert.ok(comment.html.startsWith('<'), comment.id);
      assert.doesNotMatch(comment.html, /<script|\son\w+=|javascript:/i);
    }
    assert.ok(
      all.some((c) => c.html.includes('<blockquote>')),
      'whole-paragraph quotations become blockquotes',
    );
  });

  it('imports idempotently: a second run changes and duplicates nothing, and block ids stay the same', async () => {
    const snapshot = async () => {
      const rows: { t: string; n: number }[] = await t.dataSource.query(
        `SELECT 'articles' AS t, count(*)::int AS n FROM articles UNION ALL SELECT 'blocks', count(*)::int FROM article_blocks
         UNION ALL SELECT 'comments', count(*)::int FROM comments UNION ALL SELECT 'quotes', count(*)::int FROM comment_quotes
         UNION ALL SELECT 'users', count(*)::int FROM users`,
      );
      const blockIds: { id: string }[] = await t.dataSource.query('SELECT id FROM article_blocks ORDER BY id');
      return { rows, blockIds: blockIds.map((b) => b.id) };
    };
    const before = await snapshot();
    const report = await t.app.get(SeedImporter).importAll();
    assert.deepEqual(report.imported, []);
    assert.equal(report.skipped.length, 4);
    assert.deepEqual(await snapshot(), before);
  });

  it('numbers an imported essay’s slug with the smallest free number when its title’s slug is taken', async () => {
    const other = await startTestApp();
    try {
      const articles = other.app.get(ArticlesRepository);
      for (const slug of ['bolshevism-vs-stalinism', 'bolshevism-vs-stalinism-3']) {
        const blocks = buildBlocks(slug, [{ kind: 'paragraph', content: 'Taken first.', format: 'plain' }]);
        await other.dataSource.transaction((manager) =>
          articles.insertWithBlocks(
            manager,
            {
              slug,
              title: slug,
              author: 'A. Writer',
              publishedAt: null,
              listedAt: new Date(),
              excerpt: excerptOf(blocks),
              tags: [],
              source: null,
              importKey: null,
            },
            blocks,
          ),
        );
      }
      await other.app.get(SeedImporter).importAll();
      const rows: { slug: string }[] = await other.dataSource.query('SELECT slug FROM articles WHERE title = $1', [
        'Bolshevism vs. Stalinism',
      ]);
      assert.deepEqual(
        rows.map((r) => r.slug),
        ['bolshevism-vs-stalinism-2'],
      );
    } finally {
      await other.close();
    }
  });

  it('derives the same block ids in a fresh database', async () => {
    const other = await startTestApp({ seed: true });
    try {
      const ids = async (app: TestApp) =>
        (await app.dataSource.query<{ id: string }[]>('SELECT id FROM article_blocks ORDER BY id')).map((r) => r.id);
      assert.deepEqual(await ids(other), await ids(t));
    } finally {
      await other.close();
    }
  });
});
