import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ArticlesRepository } from '../src/articles/articles.repository.js';
import {
  type Account,
  ADMIN_ENV,
  ADMIN_PASSWORD,
  assertErrorBody,
  bearer,
  newUser,
  PASSWORD,
  signInAdmin,
  withRole,
} from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { untilJobsDone } from './helpers/jobs.js';
import { Follower } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface CommentJson {
  id: string;
  status: string;
  body: string | null;
  score: number;
  upvotes: number;
  replyCount: number;
  author: { username: string; displayName: string } | null;
  replies: CommentJson[];
}

describe('my data: GET /api/auth/me/export and DELETE /api/auth/me', () => {
  let t: TestApp;
  let fx: Fixtures;
  let essay: ArticleFixture;

  const auth = (who: Account) => ({ Authorization: bearer(who.token) });
  const post = async (who: Account, body: object, slug = essay.slug) =>
    (await t.http.post(`/api/articles/${slug}/comments`).set(auth(who)).send(body).expect(201)).body as CommentJson;
  const vote = (who: Account, id: string, value: number) =>
    t.http.put(`/api/comments/${id}/vote`).set(auth(who)).send({ value }).expect(200);
  const comment = async (id: string) =>
    (await t.http.get(`/api/comments/${id}`).expect(200)).body.comment as CommentJson;
  const articleView = async (slug = essay.slug) =>
    (await t.http.get(`/api/articles/${slug}`).expect(200)).body as { commentCount: number };
  const exportOf = async (who: Account) => {
    const res = await t.http.get('/api/auth/me/export').set(auth(who)).expect(200);
    return { res, data: JSON.parse(res.text) as Record<string, unknown[]> & Record<string, unknown> };
  };

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    fx = new Fixtures(t.app);
    essay = await fx.newArticle();
  });

  after(() => t.close());

  it('exports everything about the user and nothing private of anyone else; anonymous: 401', async () => {
    const alice = await newUser(t, undefined, { displayName: 'Alice Export' });
    const bob = await newUser(t);
    await t.http.patch('/api/auth/me').set(auth(alice)).send({ email: 'alice@example.org' }).expect(200);
    await t.http.patch('/api/auth/me').set(auth(bob)).send({ email: 'bob-secret@example.org' }).expect(200);
    const first = await post(alice, { body: 'first version' });
    await t.http.patch(`/api/comments/${first.id}`).set(auth(alice)).send({ body: 'second version' }).expect(200);
    const bobs = await post(bob, { body: `a reply mentioning @${alice.username}`, parentId: first.id });
    await fx.newComment({ article: essay, authorId: bob.id, status: 'pending', body: 'bob pending' });
    await vote(alice, bobs.id, -1);
    await t.http.post(`/api/comments/${bobs.id}/reports`).set(auth(alice)).send({ reason: 'spam' }).expect(201);
    await t.http.put(`/api/articles/${essay.slug}/follow`).set(auth(alice)).expect(204);
    // The reply's notification is written by a job after the reply commits: every job has run before the export.
    await untilJobsDone(t.dataSource);

    const { res, data } = await exportOf(alice);
    assert.equal(res.headers['content-disposition'], `attachment; filename="essay-forum-${alice.username}.json"`);
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.deepEqual(Object.keys(data).sort(), [
      'account',
      'comments',
      'complete',
      'exportedAt',
      'follows',
      'notifications',
      'reports',
      'user',
      'votes',
    ]);
    assert.equal(data.complete, true);
    assert.deepEqual(data.user, {
      id: alice.id,
      username: alice.username,
      displayName: 'Alice Export',
      role: 'reader',
    });
    assert.equal((data.account as unknown as { email: string }).email, 'alice@example.org');
    const comments = data.comments as {
      id: string;
      body: string;
      article: { slug: string };
      versions: { body: string }[];
    }[];
    assert.deepEqual(
      comments.map((c) => [c.id, c.body, c.article.slug, c.versions.map((v) => v.body)]),
      [[first.id, 'second version', essay.slug, ['first version']]],
    );
    assert.deepEqual(
      (data.votes as { commentId: string; value: number }[]).map((v) => [v.commentId, v.value]),
      [[bobs.id, -1]],
    );
    assert.deepEqual(
      (data.reports as { commentId: string; reason: string }[]).map((r) => [r.commentId, r.reason]),
      [[bobs.id, 'spam']],
    );
    const notifications = data.notifications as { kind: string; comment: { id: string } | null }[];
    assert.ok(notifications.length >= 1, 'the reply notified alice');
    assert.ok(notifications.every((n) => n.comment?.id === bobs.id));
    assert.deepEqual(
      (data.follows as { kind: string; article: { slug: string } }[]).map((f) => [f.kind, f.article.slug]),
      [['article', essay.slug]],
    );
    assert.ok(!res.text.includes('bob-secret@example.org'), 'no other user’s e-mail');
    assert.ok(!res.text.includes('bob pending'), 'no pending comment of another user');

    assertErrorBody(await t.http.get('/api/auth/me/export').expect(401), 401);
  });

  it('deletes the account in one step: placeholders, withdrawn votes, ended sessions, a reserved username', async () => {
    const alice = await newUser(t, undefined, { displayName: 'Alice Gone' });
    const bob = await newUser(t);
    const carol = await newUser(t);
    const article = await fx.newArticle();
    const top = (
      await t.http
        .post(`/api/articles/${article.slug}/comments`)
        .set(auth(alice))
        .set('Idempotency-Key', 'alice-retry-1')
        .send({ body: 'alice, top level' })
        .expect(201)
    ).body as CommentJson;
    const reply = await post(bob, { body: 'bob answers', parentId: top.id }, article.slug);
    const lone = await post(alice, { body: 'alice, without replies' }, article.slug);
    const held = await fx.newComment({ article, authorId: alice.id, status: 'pending', body: 'never seen' });
    const bobsOther = await post(bob, { body: 'bob again' }, article.slug);
    await vote(carol, top.id, 1);
    await vote(alice, reply.id, 1);
    await vote(alice, bobsOther.id, -1);
    await t.http.put(`/api/articles/${article.slug}/follow`).set(auth(alice)).expect(204);
    const before = await articleView(article.slug);

    const follower = await Follower.connect(t.baseUrl, carol.token);
    await follower.join(article.slug);
    const aliceLive = await Follower.connect(t.baseUrl, alice.token);
    const bystander = await newUser(t);
    const signedInElsewhere = await t.http
      .post('/api/auth/login')
      .send({ username: alice.username, password: PASSWORD })
      .expect(200);
    const otherSession = { ...alice, token: signedInElsewhere.body.token as string };
    try {
      // A wrong password changes nothing.
      const wrong = await t.http.delete('/api/auth/me').set(auth(alice)).send({ password: 'not the password' });
      assertErrorBody(wrong, 401);
      await t.http.get('/api/auth/me').set(auth(alice)).expect(200);
      assert.equal((await comment(top.id)).status, 'visible');
      assert.equal((await comment(reply.id)).upvotes, 1);
      assertErrorBody(await t.http.delete('/api/auth/me').send({ password: PASSWORD }).expect(401), 401);
      assertErrorBody(await t.http.delete('/api/auth/me').set(auth(alice)).send({}).expect(400), 400);

      const closed = new Promise<string>((resolve) => aliceLive.socket.once('disconnect', (reason) => resolve(reason)));
      await t.http.delete('/api/auth/me').set(auth(alice)).send({ password: PASSWORD }).expect(204);
      assert.equal(await closed, 'io server disconnect');
      assert.equal((await t.http.get('/api/auth/me').set(auth(alice))).status, 401);
      assert.equal((await t.http.get('/api/auth/me').set(auth(otherSession))).status, 401, 'every session ended');
      assert.equal(
        (await t.http.post('/api/auth/login').send({ username: alice.username, password: PASSWORD })).status,
        401,
      );

      // The thread: placeholders where readers saw alice's comments, the reply kept, scores and counts moved.
      const placeholder = await comment(top.id);
      assert.equal(placeholder.status, 'deleted');
      assert.equal(placeholder.body, null);
      assert.equal(placeholder.replies[0].id, reply.id);
      assert.equal(placeholder.author, null);
      assert.equal((await comment(lone.id)).status, 'deleted');
      assert.equal((await t.http.get(`/api/comments/${held.id}`)).status, 404, 'a comment nobody saw is erased');
      const replyNow = await comment(reply.id);
      assert.deepEqual([replyNow.upvotes, replyNow.score], [0, 0]);
      const otherNow = await comment(bobsOther.id);
      assert.deepEqual([otherNow.score], [0]);
      assert.equal((await articleView(article.slug)).commentCount, before.commentCount - 2);
      const texts: { n: number }[] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM comments WHERE author_id = $1 AND (body <> '' OR html <> '')`,
        [alice.id],
      );
      assert.equal(texts[0].n, 0, 'the text of every comment is erased');
      const history: { n: number }[] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM comment_revisions r JOIN comments c ON c.id = r.comment_id WHERE c.author_id = $1`,
        [alice.id],
      );
      assert.equal(history[0].n, 0);
      const rest: { follows: number; notifications: number }[] = await t.dataSource.query(
        `SELECT (SELECT count(*)::int FROM follows WHERE user_id = $1) AS follows,
                (SELECT count(*)::int FROM notifications WHERE recipient_id = $1) AS notifications`,
        [alice.id],
      );
      assert.deepEqual(rest[0], { follows: 0, notifications: 0 });
      const kept: { n: number }[] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM idempotency_keys WHERE user_id = $1`,
        [alice.id],
      );
      assert.equal(kept[0].n, 0, 'no stored answer keeps the text of a comment');

      // Live: the follower saw the comments go and the scores move.
      await follower.waitUntil(
        (r) => r.event === 'comment.deleted' && (r.payload as { commentId?: string }).commentId === top.id,
        'top deleted',
      );
      await follower.waitUntil(
        (r) => r.event === 'comment.deleted' && (r.payload as { commentId?: string }).commentId === lone.id,
        'lone deleted',
      );
      const voted = await follower.waitUntil(
        (r) => r.event === 'comment.voted' && (r.payload as { commentId?: string }).commentId === reply.id,
        'reply vote withdrawn',
      );
      assert.equal((voted.payload as { score: number }).score, 0);
      await follower.waitUntil(
        (r) => r.event === 'comment.voted' && (r.payload as { commentId?: string }).commentId === bobsOther.id,
        'bob’s other vote withdrawn',
      );

      // Profile gone, username reserved, and the log has it.
      assertErrorBody(await t.http.get(`/api/users/${alice.username}`).expect(404), 404);
      assertErrorBody(await t.http.get(`/api/users/${alice.username}/comments`).expect(404), 404);
      const again = await t.http.post('/api/auth/register').send({ username: alice.username, password: PASSWORD });
      assert.equal(again.status, 409);
      const logged: { n: number }[] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM moderation_log WHERE action = 'account.delete' AND user_id = $1`,
        [alice.id],
      );
      assert.equal(logged[0].n, 1);
      const row: { email: string | null; passwordHash: string | null; deletedAt: Date | null }[] =
        await t.dataSource.query(
          `SELECT email, password_hash AS "passwordHash", deleted_at AS "deletedAt" FROM users WHERE id = $1`,
          [alice.id],
        );
      assert.equal(row[0].email, null);
      assert.equal(row[0].passwordHash, null);
      assert.ok(row[0].deletedAt);
      await t.http.get('/api/auth/me').set(auth(bystander)).expect(200);
    } finally {
      follower.close();
      aliceLive.close();
    }
  });

  it('deletes a user with 1,000 comments over 20 essays, each voted on, in one request', async (ctx) => {
    const prolific = await newUser(t);
    const voter = await newUser(t);
    const essays = await Promise.all(Array.from({ length: 20 }, () => fx.newArticle()));
    for (const article of essays) {
      await t.dataSource.query(
        `WITH ids AS (SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id FROM generate_series(1, 50))
         INSERT INTO comments (id, article_id, path, depth, author_id, body, html, status, published)
         SELECT id, $1, ARRAY[id], 0, $2, 'many words', '<p>many words</p>', 'visible', true FROM ids`,
        [article.id, prolific.id],
      );
      await t.dataSource.transaction((tx) => t.app.get(ArticlesRepository).recountComments(tx, article.id));
    }
    await t.dataSource.query(
      `INSERT INTO votes (comment_id, user_id, value) SELECT id, $2, 1 FROM comments WHERE author_id = $1`,
      [prolific.id, voter.id],
    );
    await t.dataSource.query(`UPDATE comments SET upvotes = 1, score = 1 WHERE author_id = $1`, [prolific.id]);

    const started = performance.now();
    await t.http.delete('/api/auth/me').set(auth(prolific)).send({ password: PASSWORD }).expect(204);
    ctx.diagnostic(`deleting 1,000 comments took ${Math.round(performance.now() - started)} ms`);
    const left: { status: string; n: number }[] = await t.dataSource.query(
      `SELECT status, count(*)::int AS n FROM comments WHERE author_id = $1 GROUP BY status`,
      [prolific.id],
    );
    assert.deepEqual(left, [{ status: 'deleted', n: 1000 }]);
    for (const article of essays) assert.equal((await articleView(article.slug)).commentCount, 0);
  });

  it('keeps the last admin: 409 until another admin exists', async () => {
    const admin = await signInAdmin(t);
    const refused = await t.http.delete('/api/auth/me').set(auth(admin)).send({ password: ADMIN_PASSWORD });
    assertErrorBody(refused, 409);
    await t.http.get('/api/auth/me').set(auth(admin)).expect(200);
    await withRole(t, admin.token, 'admin');
    await t.http.delete('/api/auth/me').set(auth(admin)).send({ password: ADMIN_PASSWORD }).expect(204);
  });
});
