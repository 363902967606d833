import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type supertest from 'supertest';
import { type Account, ADMIN_ENV, bearer, newUser, signInAdmin, withRole } from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { untilJobsDone } from './helpers/jobs.js';
import { Follower } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface CommentJson {
  id: string;
  status: string;
  body: string | null;
  following: boolean;
  removalReason: string | null;
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
  const sockets: Follower[] = [];

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

  after(async () => {
    sockets.forEach((socket) => socket.close());
    await t.close();
  });

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

  describe('removalReason', () => {
    const thread = async (who: Account | null) => {
      const request = t.http.get(`/api/articles/${article.slug}/comments?sort=new&limit=100`);
      const res = await (who ? as(who, request) : request).expect(200);
      const flat: CommentJson[] = [];
      const walk = (nodes: (CommentJson & { replies: CommentJson[] })[]) =>
        nodes.forEach((n) => {
          flat.push(n);
          walk(n.replies as (CommentJson & { replies: CommentJson[] })[]);
        });
      walk(res.body.items);
      return flat;
    };

    it('tells the author and moderators why the comment was last removed, in every answer, and nobody else', async () => {
      const [writer, reader, moderator] = [
        await newUser(t),
        await newUser(t),
        await withRole(t, admin.token, 'moderator'),
      ];
      const socket = await Follower.connect(t.baseUrl, reader.token);
      sockets.push(socket);
      assert.equal((await socket.join(article.slug)).ok, true);
      const post = async (body: object) =>
        (
          await as(writer, t.http.post(`/api/articles/${article.slug}/comments`))
            .send(body)
            .expect(201)
        ).body as CommentJson;
      const comment = await post({ body: 'Said something regrettable.' });
      assert.equal(comment.removalReason, null);
      const reply = await post({ body: 'And a reply under it.', parentId: comment.id });

      assert.equal((await moderate(moderator, 'remove', comment.id, 'first reason')).removalReason, 'first reason');
      const restored = await moderate(moderator, 'restore', comment.id, 'a second look');
      assert.equal(restored.removalReason, null, 'a restored comment is not removed');
      const removed = await moderate(moderator, 'remove', comment.id, 'Personal attack');
      assert.deepEqual(
        [removed.status, removed.body, removed.removalReason],
        ['removed', 'Said something regrettable.', 'Personal attack'],
      );

      const reasonIn = (items: CommentJson[]) => items.find((c) => c.id === comment.id)?.removalReason;
      assert.equal(reasonIn(await thread(writer)), 'Personal attack', 'the author, in the thread');
      assert.equal(reasonIn(await thread(moderator)), 'Personal attack', 'a moderator, in the thread');
      assert.equal(reasonIn(await thread(reader)), null, 'another reader');
      assert.equal(reasonIn(await thread(null)), null, 'an anonymous reader');
      assert.equal((await thread(writer)).find((c) => c.id === reply.id)?.removalReason, null, 'its visible reply');

      const permalink = async (who: Account, id: string) =>
        (await as(who, t.http.get(`/api/comments/${id}`)).expect(200)).body as {
          comment: CommentJson;
          ancestors: CommentJson[];
        };
      const own = await permalink(writer, comment.id);
      assert.deepEqual(
        [own.comment.status, own.comment.body, own.comment.removalReason],
        ['removed', null, 'Personal attack'],
      );
      assert.equal((await permalink(writer, reply.id)).ancestors[0].removalReason, 'Personal attack');
      assert.equal((await permalink(reader, reply.id)).ancestors[0].removalReason, null);
      assert.equal((await permalink(reader, comment.id)).comment.removalReason, null);
      assert.equal(reasonIn((await queue(moderator, 'removed')).items), 'Personal attack', 'the removed queue');

      await follow(writer, comment.id);
      const follows = (await as(writer, t.http.get('/api/follows')).expect(200)).body as {
        items: { comment: CommentJson | null }[];
      };
      assert.equal(follows.items[0].comment?.removalReason, 'Personal attack', 'the author’s list of follows');
      await follow(reader, comment.id);
      const theirs = (await as(reader, t.http.get('/api/follows')).expect(200)).body as {
        items: { comment: CommentJson | null }[];
      };
      assert.equal(theirs.items[0].comment?.removalReason, null, 'someone else’s list of follows');

      await untilJobsDone(t.dataSource);
      const inbox = (await as(writer, t.http.get('/api/notifications')).expect(200)).body as {
        items: { kind: string; reason: string | null; comment: CommentJson | null }[];
      };
      assert.deepEqual(
        inbox.items.map((n) => [n.kind, n.reason, n.comment?.removalReason]),
        [
          ['removed', 'Personal attack', 'Personal attack'],
          ['restored', 'a second look', 'Personal attack'],
          ['removed', 'first reason', 'Personal attack'],
        ],
        'the inbox shows each comment as it is now',
      );

      // The room heard both removals and the restoration, never with a reason.
      const events = await socket.waitFor(2, 'comment.removed');
      assert.equal(events.length, 2);
      for (const event of socket.received) {
        assert.doesNotMatch(JSON.stringify(event.payload), /first reason|Personal attack|removalReason":"/);
      }
      const restoredEvent = socket.events('comment.restored')[0];
      assert.equal((restoredEvent.payload.comment as CommentJson).removalReason, null);
    });
  });
});
