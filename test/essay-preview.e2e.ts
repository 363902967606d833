import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type Account, ADMIN_ENV, assertErrorBody, bearer, newUser, signInAdmin } from './helpers/accounts.js';
import { ESSAY_AFTER_REVISION, ESSAY_BEFORE_REVISION } from './helpers/revision-corpus.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface Block {
  id: string;
  kind: string;
  text: string;
  html: string;
}

interface Outcomes {
  exact: number;
  moved: number;
  changed: number;
  orphaned: number;
}

describe('previewing an essay before publishing or saving it', () => {
  let t: TestApp;
  let admin: Account;
  let reader: Account;

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    admin = await signInAdmin(t);
    reader = await newUser(t);
  });

  after(() => t.close());

  async function publish(body: string): Promise<{ slug: string; id: string; blocks: Block[] }> {
    const res = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({ title: `Essay ${randomBytes(4).toString('hex')}`, author: 'A. Writer', body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { slug: string; id: string; blocks: Block[] };
  }

  function previewNew(body: unknown, token: string | null = admin.token) {
    const req = t.http.post('/api/articles/preview');
    return (token ? req.set('Authorization', bearer(token)) : req).send(body as object);
  }

  function previewRevision(slug: string, body: unknown, token: string | null = admin.token) {
    const req = t.http.post(`/api/articles/${slug}/preview`);
    return (token ? req.set('Authorization', bearer(token)) : req).send(body as object);
  }

  async function quote(slug: string, blockId: string, text: string, author = reader): Promise<string> {
    const res = await t.http
      .post(`/api/articles/${slug}/comments`)
      .set('Authorization', bearer(author.token))
      .send({ body: 'On this passage.', quote: { source: 'article', blockId, text } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  }

  /** The anchors the quotes of the essay's visible and pending comments have now, straight from the database. */
  async function storedOutcomes(articleId: string): Promise<Outcomes> {
    const rows: { anchor: keyof Outcomes; n: number }[] = await t.dataSource.query(
      `SELECT q.anchor, count(*)::int AS n FROM comment_quotes q JOIN comments c ON c.id = q.comment_id
        WHERE c.article_id = $1 AND q.source = 'article' AND c.status IN ('visible', 'pending') GROUP BY q.anchor`,
      [articleId],
    );
    const outcomes: Outcomes = { exact: 0, moved: 0, changed: 0, orphaned: 0 };
    for (const row of rows) outcomes[row.anchor] = row.n;
    return outcomes;
  }

  async function essayState(slug: string) {
    const essay = await t.http.get(`/api/articles/${slug}`).expect(200);
    const revisions = await t.http.get(`/api/articles/${slug}/revisions`).expect(200);
    const quotes: { id: string; anchor: string; blockId: string; start: number | null }[] = await t.dataSource.query(
      `SELECT q.id, q.anchor, q.block_id AS "blockId", q.start_offset AS start FROM comment_quotes q
         JOIN comments c ON c.id = q.comment_id WHERE c.article_id = $1 ORDER BY q.id`,
      [essay.body.id],
    );
    return {
      revision: essay.body.revision as number,
      updatedAt: essay.body.updatedAt as string,
      seq: essay.body.seq as number,
      blocks: (essay.body.blocks as Block[]).map((b) => [b.id, b.text]),
      revisions: revisions.body.items.length as number,
      quotes,
    };
  }

  it('renders a new essay’s blocks exactly as publishing it then does, publishing nothing', async () => {
    const body = [
      '# A heading',
      '',
      'A paragraph with *emphasis*, a [link](https://example.org) and <script>alert(1)</script> raw html.',
      '',
      '> A quotation.',
      '',
      '- one',
      '- two',
    ].join('\n');
    const count = async () => (await t.dataSource.query('SELECT count(*)::int AS n FROM articles'))[0].n as number;
    const before = await count();
    const preview = await previewNew({ body });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(await count(), before, 'a preview publishes nothing');
    const published = await publish(body);
    assert.deepEqual(
      preview.body.blocks,
      published.blocks.map(({ kind, text, html }) => ({ kind, text, html })),
    );
    assert.doesNotMatch(JSON.stringify(preview.body), /<script/);
  });

  it('refuses a new essay’s preview to readers and anonymous visitors, and checks the body as publishing does', async () => {
    assertErrorBody(await previewNew({ body: 'Text.' }, null), 401);
    assertErrorBody(await previewNew({ body: 'Text.' }, reader.token), 403);
    assertErrorBody(await previewNew({ body: '   ' }), 400);
    assertErrorBody(await previewNew({}), 400);
    assertErrorBody(await previewNew({ body: 'Text.', title: 'No such field here' }), 400);
    const onlyBreaks = await previewNew({ body: '---\n\n***' });
    assertErrorBody(onlyBreaks, 400);
    assert.match(JSON.stringify(onlyBreaks.body.message), /body has no text/);
    const tooManyBlocks = await previewNew({ body: Array.from({ length: 10_001 }, () => 'a').join('\n\n') });
    assertErrorBody(tooManyBlocks, 400);
    assert.match(JSON.stringify(tooManyBlocks.body.message), /at most 10000 blocks/);
    const tooLarge = await previewNew({ body: 'x'.repeat(2 * 1024 * 1024 + 1) });
    assertErrorBody(tooLarge, 413);
    const tooLong = await previewNew({ body: 'x'.repeat(500_001) });
    assertErrorBody(tooLong, 400, 'over 500,000 characters');
    // Only an admin gets the larger body read: a reader's 100 KB draft is refused before it is parsed.
    assertErrorBody(await previewNew({ body: 'x'.repeat(100_000) }, reader.token), 403);
  });

  it('counts what a revision would do to the quotes, writes nothing, and the revision then does exactly that', async () => {
    const essay = await publish(ESSAY_BEFORE_REVISION);
    const [workers, soviets, art, summer, doomed] = essay.blocks;
    await quote(essay.slug, workers.id, 'soldiers did the same in every regiment');
    await quote(essay.slug, soviets.id, 'the party followed them into October');
    await quote(essay.slug, art.id, 'art');
    await quote(essay.slug, summer.id, 'By the summer the soviets held');
    await quote(essay.slug, doomed.id, 'the calendar reform of February 1918');
    // A deleted comment's quote is re-anchored too, but is not counted: nobody reads it.
    const deleted = await quote(essay.slug, doomed.id, 'A paragraph the author will delete');
    await t.http.delete(`/api/comments/${deleted}`).set('Authorization', bearer(reader.token)).expect(204);
    // A held comment's quote is counted: it may yet be approved.
    await t.http
      .patch(`/api/articles/${essay.slug}/settings`)
      .set('Authorization', bearer(admin.token))
      .send({ premoderation: true })
      .expect(200);
    const held = await t.http
      .post(`/api/articles/${essay.slug}/comments`)
      .set('Authorization', bearer(reader.token))
      .send({ body: 'Held.', quote: { source: 'article', blockId: workers.id, text: 'Workers elected delegates' } });
    assert.equal(held.status, 201, JSON.stringify(held.body));
    assert.equal(held.body.status, 'pending');

    const before = await essayState(essay.slug);
    const preview = await previewRevision(essay.slug, { body: ESSAY_AFTER_REVISION });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.revises, true);
    assert.deepEqual(preview.body.quotes, { exact: 2, moved: 1, changed: 1, orphaned: 2 });
    assert.deepEqual(await essayState(essay.slug), before, 'the preview wrote nothing');

    const revised = await t.http
      .patch(`/api/articles/${essay.slug}`)
      .set('Authorization', bearer(admin.token))
      .send({ body: ESSAY_AFTER_REVISION });
    assert.equal(revised.status, 200, JSON.stringify(revised.body));
    assert.deepEqual(
      preview.body.blocks,
      (revised.body.blocks as Block[]).map(({ id, kind, text, html }) => ({ id, kind, text, html })),
      'the blocks and ids the revision gave are the ones previewed',
    );
    assert.deepEqual(await storedOutcomes(essay.id), preview.body.quotes);

    // The source of the saved revision is no change: nothing would move, and the quotes keep the anchors they have.
    const source = await t.http.get(`/api/articles/${essay.slug}/source`).set('Authorization', bearer(admin.token));
    const same = await previewRevision(essay.slug, { body: source.body.body });
    assert.equal(same.status, 200);
    assert.equal(same.body.revises, false);
    assert.deepEqual(same.body.quotes, { exact: 2, moved: 1, changed: 1, orphaned: 2 });
    assert.deepEqual(
      same.body.blocks.map((b: Block) => b.id),
      (revised.body.blocks as Block[]).map((b) => b.id),
    );
  });

  it('gives an essay without quotes zero counts and new blocks new ids, as the revision does', async () => {
    const essay = await publish('First paragraph, kept as it is.\n\nSecond paragraph, about to be replaced.');
    const body = 'First paragraph, kept as it is.\n\nAn entirely different closing thought on another subject.';
    const preview = await previewRevision(essay.slug, { body });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.deepEqual(preview.body.quotes, { exact: 0, moved: 0, changed: 0, orphaned: 0 });
    assert.equal(preview.body.blocks[0].id, essay.blocks[0].id);
    assert.ok(!essay.blocks.some((b) => b.id === preview.body.blocks[1].id), 'a new block has a new id');
    const revised = await t.http
      .patch(`/api/articles/${essay.slug}`)
      .set('Authorization', bearer(admin.token))
      .send({ body })
      .expect(200);
    assert.deepEqual(
      preview.body.blocks.map((b: Block) => b.id),
      revised.body.blocks.map((b: Block) => b.id),
    );
  });

  it('refuses a revision’s preview to readers and anonymous visitors, for unknown essays and bad bodies', async () => {
    const essay = await publish('A short essay.');
    assertErrorBody(await previewRevision(essay.slug, { body: 'Text.' }, null), 401);
    assertErrorBody(await previewRevision(essay.slug, { body: 'Text.' }, reader.token), 403);
    assertErrorBody(await previewRevision('no-such-essay', { body: 'Text.' }), 404);
    assertErrorBody(await previewRevision('Not%20a%20slug', { body: 'Text.' }), 404);
    assertErrorBody(await previewRevision(essay.slug, { body: '' }), 400);
    assertErrorBody(await previewRevision(essay.slug, { body: 42 }), 400);
    assertErrorBody(await previewRevision(essay.slug, { body: 'Text.', tags: [] }), 400);
    assertErrorBody(await previewRevision(essay.slug, { body: '<div>only html</div>' }), 400);
    assertErrorBody(await previewRevision(essay.slug, { body: 'x'.repeat(2 * 1024 * 1024 + 1) }), 413);
    assertErrorBody(await previewRevision(essay.slug, { body: 'x'.repeat(100_000) }, reader.token), 403);
  });
});

describe('the rate limit of previews', () => {
  let t: TestApp;

  before(async () => {
    // A factor of 0.05 leaves 6 lookups and 6 writes a minute per user.
    t = await startTestApp({ env: { ...ADMIN_ENV, RATE_LIMIT_FACTOR: '0.05' } });
  });

  after(() => t.close());

  it('counts previews on the budget of lookups made while typing, never on the writes’', async () => {
    const admin = await signInAdmin(t);
    const published = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({ title: 'Limited', author: 'A. Writer', body: 'A first paragraph.' });
    assert.equal(published.status, 201, JSON.stringify(published.body));
    const statuses: number[] = [];
    let limited: { headers: Record<string, string> } | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await t.http
        .post(i % 2 === 0 ? '/api/articles/preview' : `/api/articles/${published.body.slug}/preview`)
        .set('Authorization', bearer(admin.token))
        .send({ body: `A draft, typed ${i} times.` });
      statuses.push(res.status);
      if (res.status === 429) {
        assertErrorBody(res, 429);
        limited = res;
      }
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 429, 429], 'exactly the lookups’ limit');
    assert.match(limited?.headers['retry-after'] ?? '', /^\d+$/);
    // The writes' budget is untouched: saving still works after the previews ran out.
    const saved = await t.http
      .patch(`/api/articles/${published.body.slug}`)
      .set('Authorization', bearer(admin.token))
      .send({ body: 'A first paragraph, revised.' });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(saved.body.revision, 2);
  });
});
