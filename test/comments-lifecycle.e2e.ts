import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import supertest from 'supertest';
import { createApp } from '../src/app.factory.js';
import { newUser } from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { startTestApp, testConfig, type TestApp } from './helpers/test-app.js';

interface Reader {
  id: string;
  token: string;
}

describe('the comment lifecycle', () => {
  let t: TestApp;
  let fx: Fixtures;
  let article: ArticleFixture;
  let alice: Reader;
  let bob: Reader;
  let counter = 0;

  async function newReader(): Promise<Reader> {
    const { id, token } = await newUser(t, `reader_${process.pid}_${++counter}`);
    return { id, token };
  }

  const post = (reader: Reader, body: object, slug = article.slug) =>
    t.http.post(`/api/articles/${slug}/comments`).set('Authorization', `Bearer ${reader.token}`).send(body);

  const articleView = async (slug = article.slug) => (await t.http.get(`/api/articles/${slug}`).expect(200)).body;

  before(async () => {
    t = await startTestApp();
    fx = new Fixtures(t.app);
    article = await fx.newArticle([
      'The soviets were the organs of the revolution, and the party followed them.',
      'A second paragraph that nobody quotes.',
    ]);
    alice = await newReader();
    bob = await newReader();
  });

  after(() => t.close());

  it('posts a comment, trimmed and rendered, and counts it on the article', async () => {
    const before = await articleView();
    const res = await post(alice, { body: '  A **first** thought.\n\n', stance: 'agree' });
    assert.equal(res.status, 201);
    const c = res.body;
    assert.equal(c.body, 'A **first** thought.');
    assert.equal(c.html, '<p>A <strong>first</strong> thought.</p>');
    assert.equal(c.stance, 'agree');
    assert.equal(c.status, 'visible');
    assert.equal(c.depth, 0);
    assert.equal(c.parentId, null);
    assert.equal(c.author.id, alice.id);
    assert.deepEqual([c.score, c.upvotes, c.downvotes, c.myVote, c.replyCount], [0, 0, 0, 0, 0]);
    assert.match(c.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const after = await articleView();
    assert.equal(after.commentCount, before.commentCount + 1);
    assert.equal(after.lastCommentAt, c.createdAt);
  });

  it('nests replies at any depth and counts them on the parent', async () => {
    const top = (await post(alice, { body: 'top' }).expect(201)).body;
    const reply = (await post(bob, { body: 'reply', parentId: top.id, stance: 'disagree' }).expect(201)).body;
    const deeper = (await post(alice, { body: 'deeper', parentId: reply.id, stance: 'question' }).expect(201)).body;
    assert.deepEqual([reply.depth, deeper.depth], [1, 2]);
    assert.equal(deeper.parentId, reply.id);
    const permalink = await t.http.get(`/api/comments/${top.id}?depth=5`).expect(200);
    assert.equal(permalink.body.comment.replyCount, 1);
    assert.equal(permalink.body.comment.replies[0].replies[0].body, 'deeper');
    assert.equal(permalink.body.comment.replies[0].stance, 'disagree');
    // The article to link to and follow, and the event number the answer is current to.
    const essay = (await t.http.get(`/api/articles/${article.slug}`).expect(200)).body;
    assert.deepEqual(permalink.body.article, { id: essay.id, slug: essay.slug, title: essay.title });
    assert.equal(permalink.body.seq, essay.seq);
    const deep = await t.http.get(`/api/comments/${deeper.id}`).expect(200);
    assert.deepEqual(
      deep.body.ancestors.map((a: { id: string }) => a.id),
      [top.id, reply.id],
    );
  });

  it('refuses a reply to a comment of another article (409) or to no comment (404)', async () => {
    const other = await fx.newArticle();
    const foreign = (await post(alice, { body: 'elsewhere' }, other.slug).expect(201)).body;
    const res = await post(bob, { body: 'crossing over', parentId: foreign.id });
    assert.equal(res.status, 409);
    assert.equal(res.body.statusCode, 409);
    assert.equal((await post(bob, { body: 'to nothing', parentId: '987654321' })).status, 404);
  });

  it('anchors a verified quote to its block and counts it there', async () => {
    const block = article.blocks[0];
    const res = await post(bob, {
      body: 'Did they though?',
      stance: 'question',
      quote: { source: 'article', blockId: block.id, text: 'the organs   of the\nrevolution' },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.quote, {
      source: 'article',
      blockId: block.id,
      text: 'the organs   of the\nrevolution',
      verified: true,
      // Where the words stand in the block's text (white space folded: "the organs of the revolution").
      start: block.text.indexOf('the organs of the revolution'),
      end: block.text.indexOf('the organs of the revolution') + 'the organs of the revolution'.length,
      anchor: 'exact',
      current: null,
      revision: 1,
    });
    const view = await articleView();
    assert.equal(view.blocks[0].commentCount, 1);
    assert.equal(view.blocks[1].commentCount, 0);
    const byBlock = await t.http.get(`/api/articles/${article.slug}/comments?blockId=${block.id}`).expect(200);
    assert.deepEqual(
      byBlock.body.items.map((c: { id: string }) => c.id),
      [res.body.id],
    );
  });

  it('refuses a quote that is not in its source with 422, and creates nothing', async () => {
    const before = await articleView();
    const cases = [
      { source: 'article', blockId: article.blocks[0].id, text: 'the party led them' },
      { source: 'article', blockId: 'bnotablock', text: 'the organs' },
      { source: 'comment', commentId: '987654321', text: 'anything' },
    ];
    for (const quote of cases) {
      const res = await post(alice, { body: 'misquoting', quote });
      assert.equal(res.status, 422, JSON.stringify(quote));
      assert.equal(res.body.statusCode, 422);
    }
    const after = await articleView();
    assert.equal(after.commentCount, before.commentCount);
  });

  it('quotes a comment, and re-verifies the quote when that comment is edited', async () => {
    const source = (await post(alice, { body: 'Leadership follows the masses, not the other way round.' }).expect(201))
      .body;
    const quoting = (
      await post(bob, {
        body: 'I doubt it.',
        parentId: source.id,
        quote: { source: 'comment', commentId: source.id, text: 'follows the masses' },
      }).expect(201)
    ).body;
    assert.deepEqual(quoting.quote, {
      source: 'comment',
      commentId: source.id,
      text: 'follows the masses',
      verified: true,
    });
    const quoteOf = async () => (await t.http.get(`/api/comments/${quoting.id}`).expect(200)).body.comment.quote;
    await t.http
      .patch(`/api/comments/${source.id}`)
      .set('Authorization', `Bearer ${alice.token}`)
      .send({ body: 'Leadership leads.' })
      .expect(200);
    assert.equal((await quoteOf()).verified, false);
    await t.http
      .patch(`/api/comments/${source.id}`)
      .set('Authorization', `Bearer ${alice.token}`)
      .send({ body: 'Again: leadership follows the masses.' })
      .expect(200);
    assert.equal((await quoteOf()).verified, true);
  });

  it('edits keep every earlier version, oldest first', async () => {
    const first = (await post(alice, { body: 'version one' }).expect(201)).body;
    const auth = { Authorization: `Bearer ${alice.token}` };
    const second = await t.http
      .patch(`/api/comments/${first.id}`)
      .set(auth)
      .send({ body: ' version two ' })
      .expect(200);
    assert.equal(second.body.body, 'version two');
    assert.ok(second.body.editedAt);
    await t.http.patch(`/api/comments/${first.id}`).set(auth).send({ body: 'version three' }).expect(200);
    const history = await t.http.get(`/api/comments/${first.id}/history`).expect(200);
    assert.deepEqual(
      history.body.items.map((v: { body: string }) => v.body),
      ['version one', 'version two'],
    );
    assert.equal(history.body.items[0].createdAt, first.createdAt);
    assert.equal(history.body.items[1].html, '<p>version two</p>');
    const now = await t.http.get(`/api/comments/${first.id}`).expect(200);
    assert.equal(now.body.comment.body, 'version three');
  });

  it('deletes to a placeholder that keeps its replies, and uncounts it', async () => {
    const block = article.blocks[1];
    const doomed = (
      await post(alice, {
        body: 'regret',
        quote: { source: 'article', blockId: block.id, text: 'nobody quotes' },
      }).expect(201)
    ).body;
    const reply = (await post(bob, { body: 'still here', parentId: doomed.id }).expect(201)).body;
    const before = await articleView();
    await t.http.delete(`/api/comments/${doomed.id}`).set('Authorization', `Bearer ${alice.token}`).expect(204);
    const after = await articleView();
    assert.equal(after.commentCount, before.commentCount - 1);
    assert.equal(after.blocks[1].commentCount, before.blocks[1].commentCount - 1);
    const view = await t.http.get(`/api/comments/${doomed.id}`).expect(200);
    assert.equal(view.body.comment.status, 'deleted');
    assert.equal(view.body.comment.body, null);
    assert.equal(view.body.comment.html, null);
    assert.equal(view.body.comment.replies[0].id, reply.id);
    assert.equal((await t.http.get(`/api/comments/${doomed.id}/history`)).status, 403);
    const again = await t.http
      .patch(`/api/comments/${doomed.id}`)
      .set('Authorization', `Bearer ${alice.token}`)
      .send({ body: 'undo' });
    assert.equal(again.status, 403);
  });

  it('counts one vote per reader, changeable and withdrawable, and shows each reader their own', async () => {
    const target = (await post(alice, { body: 'vote on me' }).expect(201)).body;
    const vote = (reader: Reader, value: number) =>
      t.http.put(`/api/comments/${target.id}/vote`).set('Authorization', `Bearer ${reader.token}`).send({ value });
    assert.deepEqual((await vote(bob, 1).expect(200)).body, { score: 1, upvotes: 1, downvotes: 0, myVote: 1 });
    assert.deepEqual((await vote(bob, 1).expect(200)).body, { score: 1, upvotes: 1, downvotes: 0, myVote: 1 });
    assert.deepEqual((await vote(bob, -1).expect(200)).body, { score: -1, upvotes: 0, downvotes: 1, myVote: -1 });
    const carol = await newReader();
    await vote(carol, -1).expect(200);
    const seen = await t.http.get(`/api/comments/${target.id}`).set('Authorization', `Bearer ${bob.token}`).expect(200);
    assert.deepEqual([seen.body.comment.score, seen.body.comment.myVote], [-2, -1]);
    assert.equal((await t.http.get(`/api/comments/${target.id}`).expect(200)).body.comment.myVote, 0);
    assert.deepEqual((await vote(bob, 0).expect(200)).body, { score: -1, upvotes: 0, downvotes: 1, myVote: 0 });
    const own = await vote(alice, 1);
    assert.equal(own.status, 403);
    for (const bad of [2, -2, '1', null, 0.5]) assert.equal((await vote(bob, bad as number)).status, 400, String(bad));
  });

  it('counts exactly 50 votes when 50 readers vote on one comment at once', async () => {
    const target = (await post(alice, { body: 'popular' }).expect(201)).body;
    // Registered one after another: 50 at once would overflow the password-hashing queue (503s by design).
    const readers: Reader[] = [];
    for (let i = 0; i < 50; i++) readers.push(await newReader());
    const answers = await Promise.all(
      readers.map((r) =>
        t.http.put(`/api/comments/${target.id}/vote`).set('Authorization', `Bearer ${r.token}`).send({ value: 1 }),
      ),
    );
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    const view = await t.http.get(`/api/comments/${target.id}`).expect(200);
    assert.deepEqual([view.body.comment.upvotes, view.body.comment.score], [50, 50]);
    const rows: { n: number }[] = await t.dataSource.query(
      'SELECT count(*)::int AS n FROM votes WHERE comment_id = $1',
      [target.id],
    );
    assert.equal(rows[0].n, 50);
  });

  it('keeps one vote per reader when the same reader flips their vote concurrently', async () => {
    const target = (await post(alice, { body: 'flip-flop' }).expect(201)).body;
    const values = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    await Promise.all(
      values.map((value) =>
        t.http.put(`/api/comments/${target.id}/vote`).set('Authorization', `Bearer ${bob.token}`).send({ value }),
      ),
    );
    const view = (
      await t.http.get(`/api/comments/${target.id}`).set('Authorization', `Bearer ${bob.token}`).expect(200)
    ).body.comment;
    assert.equal(view.upvotes + view.downvotes, 1);
    assert.equal(view.score, view.myVote);
  });

  it('reports once per reader', async () => {
    const target = (await post(alice, { body: 'reportable' }).expect(201)).body;
    const report = () =>
      t.http
        .post(`/api/comments/${target.id}/reports`)
        .set('Authorization', `Bearer ${bob.token}`)
        .send({ reason: 'off-topic', note: ' drifting ' });
    const first = await report();
    assert.equal(first.status, 201);
    assert.equal(first.body.reason, 'off-topic');
    assert.equal(first.body.note, 'drifting');
    assert.equal((await report()).status, 409);
    const bad = await t.http
      .post(`/api/comments/${target.id}/reports`)
      .set('Authorization', `Bearer ${bob.token}`)
      .send({ reason: 'boring' });
    assert.equal(bad.status, 400);
  });

  describe('Idempotency-Key', () => {
    const countByBody = async (body: string) =>
      (await t.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM comments WHERE body = $1', [body]))[0]
        .n;

    it('answers a retry with the first answer and creates nothing', async () => {
      const send = () => post(alice, { body: 'retried once' }).set('Idempotency-Key', 'retry-1');
      const first = await send();
      const second = await send();
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.deepEqual(second.body, first.body);
      assert.equal(await countByBody('retried once'), 1);
    });

    it('refuses the same key with a different body', async () => {
      await post(alice, { body: 'keyed' }).set('Idempotency-Key', 'retry-2').expect(201);
      const res = await post(alice, { body: 'something else' }).set('Idempotency-Key', 'retry-2');
      assert.equal(res.status, 409);
      assert.equal(res.body.statusCode, 409);
      assert.equal(await countByBody('something else'), 0);
    });

    it('keeps keys per user: another reader may use the same key', async () => {
      const a = await post(alice, { body: 'mine' }).set('Idempotency-Key', 'shared-key').expect(201);
      const b = await post(bob, { body: 'mine' }).set('Idempotency-Key', 'shared-key').expect(201);
      assert.notEqual(a.body.id, b.body.id);
    });

    it('creates exactly one comment when retries with one key arrive concurrently', async () => {
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          post(alice, { body: 'storm of retries' }).set('Idempotency-Key', 'concurrent-1'),
        ),
      );
      assert.deepEqual([...new Set(answers.map((a) => a.status))], [201]);
      assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
      assert.equal(await countByBody('storm of retries'), 1);
    });

    it('stores nothing for a request that failed, so a corrected retry goes through', async () => {
      const bad = await post(alice, {
        body: 'fix me',
        quote: { source: 'article', blockId: article.blocks[0].id, text: 'not there' },
      }).set('Idempotency-Key', 'failed-first');
      assert.equal(bad.status, 422);
      const again = await post(alice, {
        body: 'fix me',
        quote: { source: 'article', blockId: article.blocks[0].id, text: 'not there' },
      }).set('Idempotency-Key', 'failed-first');
      assert.equal(again.status, 422);
      assert.equal(await countByBody('fix me'), 0);
    });
  });

  describe('article settings', () => {
    it('holds comments of a premoderated article for moderators: seen by the author only', async () => {
      const held = await fx.newArticle();
      await t.dataSource.query('UPDATE articles SET premoderation = true WHERE id = $1', [held.id]);
      const res = await post(alice, { body: 'awaiting approval' }, held.slug).expect(201);
      assert.equal(res.body.status, 'pending');
      await t.http.get(`/api/comments/${res.body.id}`).set('Authorization', `Bearer ${alice.token}`).expect(200);
      assert.equal(
        (await t.http.get(`/api/comments/${res.body.id}`).set('Authorization', `Bearer ${bob.token}`)).status,
        404,
      );
      assert.equal((await t.http.get(`/api/comments/${res.body.id}`)).status, 404);
      const forAuthor = await t.http
        .get(`/api/articles/${held.slug}/comments`)
        .set('Authorization', `Bearer ${alice.token}`)
        .expect(200);
      assert.deepEqual([forAuthor.body.items.length, forAuthor.body.total], [1, 1]);
      const forOthers = await t.http.get(`/api/articles/${held.slug}/comments`).expect(200);
      assert.deepEqual([forOthers.body.items.length, forOthers.body.total], [0, 0]);
      assert.equal((await articleView(held.slug)).commentCount, 0);
    });

    it('refuses new comments and votes on a locked article with 403', async () => {
      const locked = await fx.newArticle();
      const existing = (await post(alice, { body: 'before the lock' }, locked.slug).expect(201)).body;
      await t.dataSource.query('UPDATE articles SET locked = true WHERE id = $1', [locked.id]);
      assert.equal((await post(bob, { body: 'after the lock' }, locked.slug)).status, 403);
      const vote = await t.http
        .put(`/api/comments/${existing.id}/vote`)
        .set('Authorization', `Bearer ${bob.token}`)
        .send({ value: 1 });
      assert.equal(vote.status, 403);
    });
  });
});

describe('rate limits', () => {
  let t: TestApp;

  before(async () => {
    // A factor of 0.05 leaves 6 writes a minute per reader.
    t = await startTestApp({ env: { RATE_LIMIT_FACTOR: '0.05' } });
  });

  after(() => t.close());

  it('answers 429 with Retry-After once a reader writes too fast', async () => {
    const fx = new Fixtures(t.app);
    const article = await fx.newArticle();
    const reader = await newUser(t, 'too_fast');
    const statuses: number[] = [];
    let limited: { headers: Record<string, string>; body: { statusCode: number; error: string } } | undefined;
    for (let i = 0; i < 10; i++) {
      const res = await t.http
        .post(`/api/articles/${article.slug}/comments`)
        .set('Authorization', `Bearer ${reader.token}`)
        .send({ body: `quick ${i}` });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    assert.ok(statuses.includes(201));
    assert.ok(limited, `no 429 in ${statuses.join(',')}`);
    assert.equal(limited.body.statusCode, 429);
    assert.match(limited.headers['retry-after'], /^\d+$/);
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.deepEqual(statuses, [201, 201, 201, 201, 201, 201, 429, 429, 429, 429], 'exactly the limit, then none');
  });
});

describe('rate limits across processes', () => {
  let t: TestApp;

  before(async () => {
    // A database of its own, so no other test has counted against this client yet.
    t = await startTestApp({ env: { RATE_LIMIT_FACTOR: '0.05' } });
  });

  after(() => t.close());

  it('is one limit across processes: a reader switching between two servers on one database gets the same 6', async () => {
    const other = await createApp(testConfig({ RATE_LIMIT_FACTOR: '0.05' }), t.databaseUrl);
    try {
      await other.init();
      const servers = [t.http, supertest(other.getHttpServer())];
      const article = await new Fixtures(t.app).newArticle();
      const reader = await newUser(t, 'two_servers');
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await servers[i % 2]
          .post(`/api/articles/${article.slug}/comments`)
          .set('Authorization', `Bearer ${reader.token}`)
          .send({ body: `both ${i}` });
        statuses.push(res.status);
      }
      assert.deepEqual(
        statuses,
        [201, 201, 201, 201, 201, 201, 429, 429, 429, 429],
        'counted once, whichever process answered',
      );
    } finally {
      await other.close();
    }
  });
});
