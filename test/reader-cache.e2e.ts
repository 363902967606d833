import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ANONYMOUS } from '../src/auth/viewer.js';
import { CommentsService } from '../src/comments/comments.service.js';
import { ADMIN_ENV, type Account, bearer, newUser, signInAdmin, withRole } from './helpers/accounts.js';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { type ArticleFixture, Fixtures, flattenThread } from './helpers/fixtures.js';
import { countQueries } from './helpers/query-counter.js';
import { type RawAnswer, rawGet, varyOf } from './helpers/raw-get.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface CommentJson {
  id: string;
  body: string | null;
  status: string;
  myVote: number;
  author: { displayName: string; role: string } | null;
  replies: CommentJson[];
}

describe('anonymous readers served from a cache the event numbers keep exact', () => {
  let t: TestApp;
  let fx: Fixtures;
  let admin: Account;
  let moderator: Account;
  let second: AppProcess;

  const threadPath = (article: ArticleFixture, query = '') => `/api/articles/${article.slug}/comments${query}`;
  const post = (who: Account, article: ArticleFixture, body: string) =>
    t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set('Authorization', bearer(who.token))
      .send({ body })
      .expect(201);
  const items = (answer: RawAnswer) => flattenThread<CommentJson>((JSON.parse(answer.text) as { items: [] }).items);

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    fx = new Fixtures(t.app);
    admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
    second = await startAppProcess({ DATABASE_URL: t.databaseUrl, SEED_ON_START: 'false' });
  });

  after(async () => {
    await second?.stop('SIGTERM');
    await t.close();
  });

  it('answers an anonymous reader from the cache: the same bytes, one indexed read, whatever the query’s wording', async () => {
    const article = await fx.newArticle();
    const parent = await fx.newComment({ article, body: 'A first comment, long enough to be worth a look.' });
    await fx.newComment({ article, parent, body: 'A reply to it.' });
    const first = await rawGet(t.baseUrl, threadPath(article));
    assert.equal(first.status, 200);
    assert.equal(first.headers['cache-control'], 'public, no-cache');
    assert.match(String(first.headers.etag), /^W\/"[A-Za-z0-9_-]+"$/);
    for (const name of ['accept-encoding', 'authorization', 'cookie']) assert.ok(varyOf(first).includes(name), name);
    // What the service makes for an anonymous reader, through JSON as it goes out.
    const expected: unknown = JSON.parse(
      JSON.stringify(await t.app.get(CommentsService).thread(article.slug, {}, ANONYMOUS)),
    );
    assert.deepEqual(JSON.parse(first.text), expected);

    let again: RawAnswer | undefined;
    // The defaults written out are the same query: the same key, so the same answer from the cache.
    const statements = await countQueries(t.dataSource, async () => {
      again = await rawGet(t.baseUrl, threadPath(article, '?limit=20&depth=3&sort=best&replyLimit=10'));
    });
    assert.equal(statements, 1, 'a hit costs the article’s read key and nothing else');
    assert.equal(again?.status, 200);
    assert.equal(again?.headers.etag, first.headers.etag);
    assert.equal(again?.text, first.text);
    // Another page is another answer.
    const flat = await rawGet(t.baseUrl, threadPath(article, '?depth=0'));
    assert.notEqual(flat.headers.etag, first.headers.etag);
    assert.equal(items(flat).length, 1);
  });

  it('answers 304 without a body to a matching If-None-Match, and 200 again once the thread changes', async () => {
    const article = await fx.newArticle();
    const comment = await fx.newComment({ article });
    const voter = await newUser(t);
    const first = await rawGet(t.baseUrl, threadPath(article));
    const etag = String(first.headers.etag);
    const notModified = await rawGet(t.baseUrl, threadPath(article), { 'If-None-Match': `"other", ${etag}` });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.wire.length, 0);
    assert.equal(notModified.headers.etag, etag);
    assert.equal(notModified.headers['cache-control'], 'public, no-cache');
    // The other process answers 304 too: the ETag comes from the database's numbers, not from this process.
    assert.equal((await rawGet(second.baseUrl, threadPath(article), { 'If-None-Match': etag })).status, 304);
    await t.http
      .put(`/api/comments/${comment.id}/vote`)
      .set('Authorization', bearer(voter.token))
      .send({ value: 1 })
      .expect(200);
    const changed = await rawGet(t.baseUrl, threadPath(article), { 'If-None-Match': etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.etag, etag);
    assert.equal((JSON.parse(changed.text) as { items: { score: number }[] }).items[0].score, 1);
  });

  it('never serves an answer older than the database: a write through another process moves the key', async () => {
    const article = await fx.newArticle();
    const writer = await newUser(t);
    await fx.newComment({ article, body: 'Already there.' });
    // Both processes cache the thread as it stands.
    const before = [await rawGet(t.baseUrl, threadPath(article)), await rawGet(second.baseUrl, threadPath(article))];
    assert.deepEqual(
      before.map((a) => items(a).length),
      [1, 1],
    );
    assert.equal(before[0].headers.etag, before[1].headers.etag, 'both processes name the same answer alike');
    // Written through the other process; read at once through this one, which heard nothing of it.
    const posted = await fetch(`${second.baseUrl}/api/articles/${article.slug}/comments`, {
      method: 'POST',
      headers: { Authorization: bearer(writer.token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ body: 'Posted through the second process.' }),
    });
    assert.equal(posted.status, 201);
    const here = await rawGet(t.baseUrl, threadPath(article));
    assert.ok(items(here).some((c) => c.body === 'Posted through the second process.'));
    assert.notEqual(here.headers.etag, before[0].headers.etag);
    // And the other way round.
    await post(writer, article, 'Posted through the first process.');
    const there = await rawGet(second.baseUrl, threadPath(article));
    assert.deepEqual(
      items(there)
        .map((c) => c.body)
        .sort(),
      ['Already there.', 'Posted through the first process.', 'Posted through the second process.'],
    );
  });

  it('shows a renamed author by their new name, and their new role: names move a number of their own', async () => {
    const article = await fx.newArticle();
    const author = await newUser(t, undefined, { displayName: 'Before Rename' });
    await post(author, article, 'Signed with my name.');
    const authorOf = async (baseUrl: string) => items(await rawGet(baseUrl, threadPath(article)))[0].author;
    assert.equal((await authorOf(t.baseUrl))?.displayName, 'Before Rename');
    await t.http
      .patch('/api/auth/me')
      .set('Authorization', bearer(author.token))
      .send({ displayName: 'After Rename' })
      .expect(200);
    assert.equal((await authorOf(second.baseUrl))?.displayName, 'After Rename');
    assert.equal((await authorOf(t.baseUrl))?.displayName, 'After Rename');
    await t.http
      .patch(`/api/admin/users/${author.id}`)
      .set('Authorization', bearer(admin.token))
      .send({ role: 'moderator' })
      .expect(200);
    assert.equal((await authorOf(t.baseUrl))?.role, 'moderator');
  });

  it('never gives a signed-in reader a cached answer, nor anyone else their votes', async () => {
    const article = await fx.newArticle();
    const comment = await fx.newComment({ article });
    const [voter, other] = [await newUser(t), await newUser(t)];
    await t.http
      .put(`/api/comments/${comment.id}/vote`)
      .set('Authorization', bearer(voter.token))
      .send({ value: 1 })
      .expect(200);
    // The voter first: an answer made for them is never kept for the anonymous reader who comes next.
    const mine = await rawGet(t.baseUrl, threadPath(article), { Authorization: bearer(voter.token) });
    assert.equal(items(mine)[0].myVote, 1);
    assert.equal(mine.headers['cache-control'], 'private, no-store');
    assert.equal(mine.headers.etag, undefined);
    const anonymous = await rawGet(t.baseUrl, threadPath(article));
    assert.equal(items(anonymous)[0].myVote, 0);
    // And an anonymous answer in the cache is never given to a signed-in reader (nor an If-None-Match honoured).
    const others = await rawGet(t.baseUrl, threadPath(article), {
      Authorization: bearer(other.token),
      'If-None-Match': String(anonymous.headers.etag),
    });
    assert.equal(others.status, 200);
    assert.equal(items(others)[0].myVote, 0);
    assert.equal(
      (await rawGet(t.baseUrl, threadPath(article), { Authorization: bearer(voter.token) })).text,
      mine.text,
    );
  });

  it('keeps pending and removed comments out of every anonymous answer, cached or not', async () => {
    const article = await fx.newArticle();
    const author = await newUser(t);
    await fx.newComment({ article, authorId: author.id, body: 'Waiting for a moderator.', status: 'pending' });
    await fx.newComment({ article, body: 'Removed by a moderator.', status: 'removed' });
    const visible = await fx.newComment({ article, body: 'Soon removed.' });
    // Those who may see more ask first; what they see is never kept for others.
    const asAuthor = items(await rawGet(t.baseUrl, threadPath(article), { Authorization: bearer(author.token) }));
    assert.ok(asAuthor.some((c) => c.body === 'Waiting for a moderator.'));
    const asModerator = items(await rawGet(t.baseUrl, threadPath(article), { Authorization: bearer(moderator.token) }));
    assert.ok(asModerator.some((c) => c.body === 'Removed by a moderator.'));
    const hidden = ['Waiting for a moderator.', 'Removed by a moderator.'];
    for (let i = 0; i < 2; i++) {
      const anonymous = await rawGet(t.baseUrl, threadPath(article));
      for (const text of hidden) assert.ok(!anonymous.text.includes(text), `${text} (read ${i + 1})`);
      assert.ok(items(anonymous).some((c) => c.body === 'Soon removed.'));
    }
    // A removal moves the article's number: the next anonymous answer is made anew, without the body.
    await t.http
      .post(`/api/moderation/comments/${visible.id}/remove`)
      .set('Authorization', bearer(moderator.token))
      .send({ reason: 'Off topic' })
      .expect(200);
    for (const base of [t.baseUrl, second.baseUrl]) {
      const anonymous = await rawGet(base, threadPath(article));
      assert.ok(!anonymous.text.includes('Soon removed.'));
      assert.ok(!anonymous.text.includes('Off topic'), 'the removal’s reason is its author’s and moderators’ only');
      assert.equal(items(anonymous).find((c) => c.id === visible.id)?.status, 'removed');
    }
  });

  it('caches the essay’s own answer the same way, with its counts current', async () => {
    const article = await fx.newArticle();
    const writer = await newUser(t);
    const first = await rawGet(t.baseUrl, `/api/articles/${article.slug}`);
    assert.equal(first.status, 200);
    assert.equal(first.headers['cache-control'], 'public, no-cache');
    // An essay is kept once hot: made again at its second reading (and kept then), from the cache at the third.
    const essayReads = [];
    for (let i = 0; i < 2; i++) {
      let again: RawAnswer | undefined;
      essayReads.push(
        await countQueries(t.dataSource, async () => {
          again = await rawGet(t.baseUrl, `/api/articles/${article.slug}`);
        }),
      );
      assert.equal(again?.text, first.text);
      assert.equal(again?.headers.etag, first.headers.etag);
    }
    assert.ok(essayReads[0] > 1, `made again at the second reading (${essayReads[0]} statements)`);
    assert.equal(essayReads[1], 1, 'the third from the cache');
    assert.equal(
      (await rawGet(t.baseUrl, `/api/articles/${article.slug}`, { 'If-None-Match': String(first.headers.etag) }))
        .status,
      304,
    );
    await post(writer, article, 'One more comment on the essay.');
    const after = await rawGet(second.baseUrl, `/api/articles/${article.slug}`);
    assert.notEqual(after.headers.etag, first.headers.etag);
    assert.equal((JSON.parse(after.text) as { commentCount: number }).commentCount, 1);
    // What fails is neither kept nor named for revalidation.
    for (const path of [
      '/api/articles/no-such-essay',
      '/api/articles/no-such-essay/comments',
      `/api/articles/${article.slug}/comments?blockId=no-such-block`,
    ]) {
      const failed = await rawGet(t.baseUrl, path);
      assert.equal(failed.status, 404, path);
      assert.equal(failed.headers.etag, undefined, path);
      assert.notEqual(failed.headers['cache-control'], 'public, no-cache', path);
    }
  });

  it('compresses answers in the coding the client prefers, and leaves small ones as they are', async () => {
    const article = await fx.newArticle();
    for (let i = 0; i < 12; i++)
      await fx.newComment({ article, body: `Comment ${i}: ${'words that repeat '.repeat(20)}` });
    const plain = await rawGet(t.baseUrl, threadPath(article));
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(plain.wire.length > 4000);
    for (const [accept, coding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip;q=0.5', 'gzip'],
      ['identity', undefined],
    ] as const) {
      // Twice: the first makes the coding, the second takes it from the cache.
      for (let i = 0; i < 2; i++) {
        const answer = await rawGet(t.baseUrl, threadPath(article), { 'Accept-Encoding': accept });
        assert.equal(answer.headers['content-encoding'], coding, accept);
        assert.equal(answer.text, plain.text, accept);
        if (coding) assert.ok(answer.wire.length < plain.wire.length / 3, `${accept}: ${answer.wire.length} bytes`);
      }
    }
    // Signed-in answers and the rest of the API are compressed too (not kept), with Vary.
    const signedIn = await rawGet(t.baseUrl, threadPath(article), {
      Authorization: bearer(moderator.token),
      'Accept-Encoding': 'br',
    });
    assert.equal(signedIn.headers['content-encoding'], 'br');
    assert.equal(items(signedIn).length, 12);
    const list = await rawGet(t.baseUrl, '/api/articles?limit=100', { 'Accept-Encoding': 'gzip' });
    assert.equal(list.headers['content-encoding'], 'gzip');
    assert.ok(varyOf(list).includes('accept-encoding'));
    assert.ok(Array.isArray((JSON.parse(list.text) as { items: unknown[] }).items));
    const small = await rawGet(t.baseUrl, '/api/articles/no-such-essay', { 'Accept-Encoding': 'br' });
    assert.equal(small.headers['content-encoding'], undefined);
    assert.equal(small.status, 404);
  });
});
