import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type supertest from 'supertest';
import { type Account, ADMIN_ENV, bearer, newUser, signInAdmin, withRole } from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface CommentJson {
  id: string;
  status: string;
  body: string | null;
  following: boolean;
}

/**
 * The viewer's own fields on a Comment (`following`) in every HTTP answer that carries one: a new comment's answer
 * (replayed by its Idempotency-Key), the moderators' decisions and their queues, besides the thread reads.
 */
describe('the viewer’s fields on every Comment answer', () => {
  let t: TestApp;
  let fx: Fixtures;
  let admin: Account;
  let article: ArticleFixture;

  const as = <T extends supertest.Test>(who: Account, request: T): T => request.set('Authorization', bearer(who.token));
  const follow = (who: Account, commentId: string) =>
    as(who, t.http.put(`/api/comments/${commentId}/follow`)).expect(204);
  const moderate = async (who: Account, action: string, commentId: string, reason?: string) =>
    (
      await as(who, t.http.post(`/api/moderation/comments/${commentId}/${action}`))
        .send(reason ? { reason } : {})
        .expect(200)
    ).body as CommentJson;
  const queue = async (who: Account, status: string) =>
    (await as(who, t.http.get(`/api/moderation/queue?status=${status}&articleId=${article.id}&limit=100`)).expect(200))
      .body as { items: CommentJson[] };

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    fx = new Fixtures(t.app);
    admin = await signInAdmin(t);
    article = await fx.newArticle();
  });

  after(() => t.close());

  describe('following', () => {
    it('answers a replayed new comment with the author’s follow made since', async () => {
      const author = await newUser(t);
      const send = () =>
        as(author, t.http.post(`/api/articles/${article.slug}/comments`))
          .set('Idempotency-Key', `follow-${author.username}`)
          .send({ body: 'Posted once, answered twice.' })
          .expect(201);
      const first = (await send()).body as CommentJson;
      assert.equal(first.following, false);
      await follow(author, first.id);
      const replay = (await send()).body as CommentJson;
      assert.equal(replay.id, first.id, 'the same comment');
      assert.equal(replay.following, true);
    });

    it('answers a moderator’s remove, restore and approve with the moderator’s own follow', async () => {
      const [writer, moderator, other] = [
        await newUser(t),
        await withRole(t, admin.token, 'moderator'),
        await withRole(t, admin.token, 'moderator'),
      ];
      const comment = (
        await as(writer, t.http.post(`/api/articles/${article.slug}/comments`))
          .send({ body: 'Watched by a moderator.' })
          .expect(201)
      ).body as CommentJson;
      await follow(moderator, comment.id);
      const removed = await moderate(moderator, 'remove', comment.id, 'off topic');
      assert.deepEqual([removed.status, removed.following], ['removed', true]);
      assert.equal((await queue(moderator, 'removed')).items.find((c) => c.id === comment.id)?.following, true);
      assert.equal(
        (await queue(other, 'removed')).items.find((c) => c.id === comment.id)?.following,
        false,
        'another moderator does not follow it',
      );
      const restored = await moderate(moderator, 'restore', comment.id);
      assert.deepEqual([restored.status, restored.following], ['visible', true]);
      assert.equal((await moderate(other, 'remove', comment.id)).following, false);

      const premoderated = await fx.newArticle();
      await t.dataSource.query('UPDATE articles SET premoderation = true WHERE id = $1', [premoderated.id]);
      const held = (
        await as(writer, t.http.post(`/api/articles/${premoderated.slug}/comments`))
          .send({ body: 'Waiting for a moderator.' })
          .expect(201)
      ).body as CommentJson;
      await follow(moderator, held.id);
      const pending = (
        await as(moderator, t.http.get(`/api/moderation/queue?status=pending&articleId=${premoderated.id}`)).expect(200)
      ).body as { items: CommentJson[] };
      assert.deepEqual(
        pending.items.map((c) => [c.id, c.following]),
        [[held.id, true]],
      );
      const approved = await moderate(moderator, 'approve', held.id);
      assert.deepEqual([approved.status, approved.following], ['visible', true]);
    });
  });
});
