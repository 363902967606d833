import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Account, assertErrorBody, bearer, register } from './helpers/accounts.js';
import { type ArticleFixture, type CommentFixture, Fixtures } from './helpers/fixtures.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

/** The deepest a comment may sit (README, "Threads"): a top-level comment is at depth 0. */
const MAX_DEPTH = 200;
/** The ancestors a permalink carries at most: the nearest ones. */
const MAX_ANCESTORS = 20;

describe('thread depth: capped with a clear 422, and a permalink carries a bounded number of ancestors', () => {
  let t: TestApp;
  let article: ArticleFixture;
  let writer: Account;
  /** chain[d] is at depth d, for d from 0 to MAX_DEPTH - 1. */
  const chain: CommentFixture[] = [];

  before(async () => {
    t = await startTestApp();
    const fx = new Fixtures(t.app);
    article = await fx.newArticle();
    writer = await register(t);
    for (let d = 0; d < MAX_DEPTH; d++) chain.push(await fx.newComment({ article, parent: chain[d - 1] }));
  });

  after(() => t.close());

  const reply = (parentId: string) =>
    t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set('Authorization', bearer(writer.token))
      .send({ body: 'deeper', parentId });

  it('takes a reply at the deepest depth allowed, and refuses one deeper with 422 thread_too_deep, storing nothing', async () => {
    const atCap = await reply(chain[MAX_DEPTH - 1].id);
    assert.equal(atCap.status, 201, JSON.stringify(atCap.body));
    assert.equal(atCap.body.depth, MAX_DEPTH);
    const count = async () => {
      const rows: { n: number }[] = await t.dataSource.query(
        'SELECT count(*)::int AS n FROM comments WHERE article_id = $1',
        [article.id],
      );
      return rows[0].n;
    };
    const before = await count();
    const tooDeep = await reply(atCap.body.id as string);
    assertErrorBody(tooDeep, 422, 'a reply past the cap');
    assert.equal(tooDeep.body.error, 'thread_too_deep');
    assert.match(tooDeep.body.message as string, /200/);
    assert.equal(await count(), before, 'nothing was stored');
    // Still a thread one can reply into below the cap.
    assert.equal((await reply(chain[10].id)).status, 201);
  });

  it('gives the permalink of a deep comment its nearest 20 ancestors, top-down, and counts the ones left out', async () => {
    const deepest = chain[MAX_DEPTH - 1];
    const res = await t.http.get(`/api/comments/${deepest.id}?depth=0`).expect(200);
    const ids = (res.body.ancestors as { id: string }[]).map((a) => a.id);
    assert.equal(ids.length, MAX_ANCESTORS);
    assert.deepEqual(
      ids,
      chain.slice(MAX_DEPTH - 1 - MAX_ANCESTORS, MAX_DEPTH - 1).map((c) => c.id),
      'the nearest ones, from the top down',
    );
    assert.equal(res.body.moreAncestors, MAX_DEPTH - 1 - MAX_ANCESTORS);
  });

  it('gives a shallow comment all its ancestors and moreAncestors 0', async () => {
    const shallow = await t.http.get(`/api/comments/${chain[5].id}?depth=0`).expect(200);
    assert.deepEqual(
      (shallow.body.ancestors as { id: string }[]).map((a) => a.id),
      chain.slice(0, 5).map((c) => c.id),
    );
    assert.equal(shallow.body.moreAncestors, 0);
    const exactly = await t.http.get(`/api/comments/${chain[MAX_ANCESTORS].id}?depth=0`).expect(200);
    assert.equal(exactly.body.ancestors.length, MAX_ANCESTORS);
    assert.equal(exactly.body.moreAncestors, 0);
    const top = await t.http.get(`/api/comments/${chain[0].id}?depth=0`).expect(200);
    assert.deepEqual([top.body.ancestors, top.body.moreAncestors], [[], 0]);
  });
});
