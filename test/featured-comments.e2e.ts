import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type Account,
  ADMIN_ENV,
  assertErrorBody,
  bearer,
  newUser,
  signInAdmin,
  withRole,
} from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { Follower } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface CommentJson {
  id: string;
  parentId: string | null;
  status: string;
  featured: boolean;
  body: string | null;
}

describe('featured comments', () => {
  let t: TestApp;
  let moderator: Account;
  let alice: Account;
  let article: ArticleFixture;
  const sockets: Follower[] = [];

  const post = async (body: object, slug = article.slug): Promise<CommentJson> => {
    const res = await t.http
      .post(`/api/articles/${slug}/comments`)
      .set('Authorization', bearer(alice.token))
      .send(body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as CommentJson;
  };

  const feature = (id: string, on = true, who: Account | null = moderator) => {
    const request = on
      ? t.http.post(`/api/moderation/comments/${id}/feature`)
      : t.http.delete(`/api/moderation/comments/${id}/feature`);
    return who ? request.set('Authorization', bearer(who.token)) : request;
  };

  const act = async (action: 'remove' | 'restore', id: string) => {
    const res = await t.http
      .post(`/api/moderation/comments/${id}/${action}`)
      .set('Authorization', bearer(moderator.token))
      .send({});
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };

  /** The ids `?featured=true` lists to this viewer (top level), newest first. */
  const featuredIds = async (who?: Account, query = ''): Promise<string[]> => {
    const request = t.http.get(`/api/articles/${article.slug}/comments?featured=true&sort=new${query}`);
    const res = await (who ? request.set('Authorization', bearer(who.token)) : request);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body.items as CommentJson[]).map((c) => c.id);
  };

  const logOf = async (commentId: string): Promise<string[]> => {
    const rows: { action: string }[] = await t.dataSource.query(
      'SELECT action FROM moderation_log WHERE comment_id = $1 ORDER BY id',
      [commentId],
    );
    return rows.map((r) => r.action);
  };

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    const admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
    alice = await newUser(t);
    article = await new Fixtures(t.app).newArticle();
  });

  after(async () => {
    sockets.forEach((s) => s.close());
    await t.close();
  });

  it('is for moderators only, and refuses what cannot be featured', async () => {
    const comment = await post({ body: 'worth featuring, maybe' });
    assertErrorBody(await feature(comment.id, true, null), 401, 'anonymous');
    assertErrorBody(await feature(comment.id, true, alice), 403, 'a reader');
    assertErrorBody(await feature(comment.id, false, alice), 403, 'a reader, taking it off');
    assertErrorBody(await feature('999999999', true), 404, 'no such comment');
    assertErrorBody(await feature('not-an-id', true), 404, 'not an id');
    const reply = await post({ body: 'a reply', parentId: comment.id });
    assertErrorBody(await feature(reply.id, true), 409, 'a reply');
    await act('remove', comment.id);
    assertErrorBody(await feature(comment.id, true), 409, 'a removed comment');
    assert.deepEqual(await logOf(comment.id), ['comment.remove'], 'nothing refused was logged');
    const bad = await t.http.get(`/api/articles/${article.slug}/comments?featured=yes`);
    assertErrorBody(bad, 400, 'featured=yes');
  });

  it('features a comment for every reader, live and logged once, and takes the mark off', async () => {
    const plain = await post({ body: 'an ordinary comment' });
    const chosen = await post({ body: 'the comment to feature' });
    assert.equal(chosen.featured, false);
    const follower = await Follower.connect(t.baseUrl);
    sockets.push(follower);
    const { seq } = (await follower.join(article.slug)) as { seq: number };

    const res = await feature(chosen.id);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((res.body as CommentJson).featured, true);
    const again = await feature(chosen.id);
    assert.equal(again.status, 200, 'featuring twice is no error');
    assert.deepEqual(await logOf(chosen.id), ['comment.feature'], 'and logs once');

    const [event] = await follower.waitFor(1, 'comment.featured');
    assert.deepEqual(
      { ...event.payload, at: undefined },
      { seq: seq + 1, articleId: article.id, at: undefined, commentId: chosen.id, featured: true },
    );
    assert.deepEqual(await featuredIds(), [chosen.id], 'anonymous readers');
    assert.deepEqual(await featuredIds(alice), [chosen.id], 'a signed-in reader');
    const read = await t.http.get(`/api/comments/${chosen.id}`).expect(200);
    assert.equal(read.body.comment.featured, true);
    const thread = await t.http.get(`/api/articles/${article.slug}/comments?sort=new`).expect(200);
    const flags = new Map((thread.body.items as CommentJson[]).map((c) => [c.id, c.featured]));
    assert.deepEqual([flags.get(chosen.id), flags.get(plain.id)], [true, false]);

    const off = await feature(chosen.id, false);
    assert.equal(off.status, 200);
    assert.equal((off.body as CommentJson).featured, false);
    assert.equal((await feature(chosen.id, false)).status, 200, 'taking it off twice is no error');
    assert.deepEqual(await logOf(chosen.id), ['comment.feature', 'comment.unfeature']);
    const [, second] = await follower.waitFor(2, 'comment.featured');
    assert.equal(second.payload.seq, seq + 2);
    assert.equal(second.payload.featured, false);
    assert.deepEqual(await featuredIds(), []);
  });

  it('lists a featured comment to nobody while it is hidden, and again once restored', async () => {
    const chosen = await post({ body: 'featured, then removed' });
    assert.equal((await feature(chosen.id)).status, 200);
    await act('remove', chosen.id);
    assert.deepEqual(await featuredIds(), [], 'anonymous');
    assert.deepEqual(await featuredIds(moderator), [], 'moderators too: the list is what readers see');
    const placeholder = await t.http.get(`/api/comments/${chosen.id}`).expect(200);
    assert.equal(placeholder.body.comment.featured, false, 'a placeholder shows no mark');
    await act('restore', chosen.id);
    assert.deepEqual(await featuredIds(), [chosen.id]);

    // The filter keeps top-level comments; their replies come with them, unfiltered.
    const reply = await post({ body: 'an answer under the featured one', parentId: chosen.id });
    const res = await t.http.get(`/api/articles/${article.slug}/comments?featured=true&depth=1`).expect(200);
    const [only] = res.body.items as (CommentJson & { replies: CommentJson[] })[];
    assert.deepEqual(
      only.replies.map((r) => r.id),
      [reply.id],
    );
    assert.equal((await feature(chosen.id, false)).status, 200);
  });
});
