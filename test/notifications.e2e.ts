import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Account, assertErrorBody, bearer, newUser, uniqueName } from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { Follower } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { MARK_READ_IDS_MAX } from '../src/common/limits.js';

interface Notification {
  id: string;
  kind: string;
  readAt: string | null;
  actor: { id: string; username: string } | null;
  article: { id: string; slug: string; title: string } | null;
  comment: { id: string; body: string | null; html: string | null; following: boolean } | null;
  reason: string | null;
}

interface Inbox {
  items: Notification[];
  nextCursor: string | null;
  unreadCount: number;
}

/** Follows, mentions and the inbox over HTTP and Socket.IO, on one app. */
describe('follows, mentions and notifications (HTTP and live)', () => {
  let t: TestApp;
  let fx: Fixtures;
  let article: ArticleFixture;
  const open: Follower[] = [];

  const user = () => newUser(t, uniqueName('nt'));

  const post = async (who: Account, body: object, slug = article.slug) =>
    (await t.http.post(`/api/articles/${slug}/comments`).set('Authorization', bearer(who.token)).send(body).expect(201))
      .body as { id: string; html: string; following: boolean };

  const inbox = async (who: Account, query = '') =>
    (await t.http.get(`/api/notifications${query}`).set('Authorization', bearer(who.token)).expect(200)).body as Inbox;

  /** Polls the inbox until a notification about this comment arrives (the fan-out runs after the post's commit). */
  async function notifiedAbout(who: Account, commentId: string): Promise<Notification> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const found = (await inbox(who, '?limit=100')).items.find((n) => n.comment?.id === commentId);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no notification about ${commentId}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const connect = async (who: Account) => {
    const follower = await Follower.connect(t.baseUrl, who.token);
    open.push(follower);
    return follower;
  };

  before(async () => {
    t = await startTestApp();
    fx = new Fixtures(t.app);
    article = await fx.newArticle();
  });

  after(async () => {
    open.forEach((f) => f.close());
    await t.close();
  });

  describe('mentions', () => {
    it('links an existing user’s @name in the html, as typed, and notifies them', async () => {
      const [ann, ben] = [await user(), await user()];
      const comment = await post(ann, { body: `Thanks @${ben.username.toUpperCase()} and @no_such_user_here.` });
      assert.ok(
        comment.html.includes(`<a href="/users/${ben.username}" class="mention">@${ben.username.toUpperCase()}</a>`),
        comment.html,
      );
      assert.ok(comment.html.includes('@no_such_user_here'));
      assert.equal((await notifiedAbout(ben, comment.id)).kind, 'mention');
    });

    it('does not link or notify a name in code', async () => {
      const [ann, ben, cat] = [await user(), await user(), await user()];
      const comment = await post(ann, { body: `\`@${ben.username}\` but @${cat.username}` });
      assert.doesNotMatch(comment.html, new RegExp(`users/${ben.username}`));
      // Cat's mention comes from the same statement that would have notified Ben.
      await notifiedAbout(cat, comment.id);
      assert.equal((await inbox(ben)).items.length, 0);
    });

    it('renders again on edit, linking a name added', async () => {
      const [ann, ben] = [await user(), await user()];
      const comment = await post(ann, { body: 'No names yet.' });
      const edited = (
        await t.http
          .patch(`/api/comments/${comment.id}`)
          .set('Authorization', bearer(ann.token))
          .send({ body: `Now @${ben.username}.` })
          .expect(200)
      ).body as { html: string };
      assert.match(edited.html, new RegExp(`<a href="/users/${ben.username}" class="mention">`));
      assert.equal((await notifiedAbout(ben, comment.id)).kind, 'mention');
    });
  });

  describe('follows', () => {
    it('follows and unfollows an essay idempotently, and says so on the article answer', async () => {
      const reader = await user();
      const url = `/api/articles/${article.slug}/follow`;
      assertErrorBody(await t.http.put(url), 401, 'unauthenticated');
      await t.http.put(url).set('Authorization', bearer(reader.token)).expect(204);
      await t.http.put(url).set('Authorization', bearer(reader.token)).expect(204);
      const read = (slugAs: Account | null) =>
        (slugAs
          ? t.http.get(`/api/articles/${article.slug}`).set('Authorization', bearer(slugAs.token))
          : t.http.get(`/api/articles/${article.slug}`)
        ).expect(200);
      assert.equal((await read(reader)).body.following, true);
      assert.equal((await read(null)).body.following, false);
      await t.http.delete(url).set('Authorization', bearer(reader.token)).expect(204);
      await t.http.delete(url).set('Authorization', bearer(reader.token)).expect(204);
      assert.equal((await read(reader)).body.following, false);
      assertErrorBody(
        await t.http.put('/api/articles/no-such-essay/follow').set('Authorization', bearer(reader.token)),
        404,
        'article_not_found',
      );
    });

    it('follows a comment the viewer may see, says so on every Comment, and lists follows newest first', async () => {
      const [reader, writer] = [await user(), await user()];
      const other = await fx.newArticle();
      await t.http.put(`/api/articles/${other.slug}/follow`).set('Authorization', bearer(reader.token)).expect(204);
      const comment = await post(writer, { body: 'Follow me.' });
      await t.http.put(`/api/comments/${comment.id}/follow`).set('Authorization', bearer(reader.token)).expect(204);
      await t.http.put(`/api/comments/${comment.id}/follow`).set('Authorization', bearer(reader.token)).expect(204);
      const permalink = (
        await t.http.get(`/api/comments/${comment.id}`).set('Authorization', bearer(reader.token)).expect(200)
      ).body as { comment: { following: boolean } };
      assert.equal(permalink.comment.following, true);
      const thread = (
        await t.http.get(`/api/articles/${article.slug}/comments?sort=new`).set('Authorization', bearer(writer.token))
      ).body as { items: { id: string; following: boolean }[] };
      assert.equal(thread.items.find((c) => c.id === comment.id)?.following, false, 'the writer does not follow it');
      await t.http.put(`/api/comments/${comment.id}/follow`).set('Authorization', bearer(writer.token)).expect(204);
      const edited = await t.http
        .patch(`/api/comments/${comment.id}`)
        .set('Authorization', bearer(writer.token))
        .send({ body: 'Follow me, edited.' })
        .expect(200);
      assert.equal((edited.body as { following: boolean }).following, true, 'an edit answers the author’s following');

      const first = (await t.http.get('/api/follows?limit=1').set('Authorization', bearer(reader.token)).expect(200))
        .body as {
        items: { kind: string; comment: { id: string } | null; article: { slug: string } }[];
        nextCursor: string;
      };
      assert.equal(first.items[0].kind, 'comment');
      assert.equal(first.items[0].comment?.id, comment.id);
      assert.equal(first.items[0].article.slug, article.slug);
      const second = (
        await t.http
          .get(`/api/follows?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`)
          .set('Authorization', bearer(reader.token))
          .expect(200)
      ).body as { items: { kind: string; comment: null; article: { slug: string } }[]; nextCursor: string | null };
      assert.deepEqual(
        second.items.map((f) => [f.kind, f.comment, f.article.slug]),
        [['article', null, other.slug]],
      );
      assert.equal(second.nextCursor, null);
      assertErrorBody(await t.http.get('/api/follows'), 401, 'unauthenticated');
      await t.http.delete(`/api/comments/${comment.id}/follow`).set('Authorization', bearer(reader.token)).expect(204);
      const after = (await t.http.get('/api/follows').set('Authorization', bearer(reader.token))).body as {
        items: unknown[];
      };
      assert.equal(after.items.length, 1);
    });

    it('answers 404 for a comment the viewer may not see, as elsewhere', async () => {
      const [reader, writer] = [await user(), await user()];
      const premoderated = await fx.newArticle();
      await t.dataSource.query('UPDATE articles SET premoderation = true WHERE id = $1', [premoderated.id]);
      const held = await post(writer, { body: 'Waiting.' }, premoderated.slug);
      for (const id of [held.id, '999999999', 'abc']) {
        assertErrorBody(
          await t.http.put(`/api/comments/${id}/follow`).set('Authorization', bearer(reader.token)),
          404,
          'comment_not_found',
        );
      }
      await t.http.put(`/api/comments/${held.id}/follow`).set('Authorization', bearer(writer.token)).expect(204);
    });
  });

  describe('inbox', () => {
    it('pages newest first, counts the unread ones and marks some or all read', async () => {
      const [ann, ben] = [await user(), await user()];
      const parent = await post(ann, { body: 'Reply to me.' });
      const replies = [];
      for (let i = 0; i < 3; i++) replies.push(await post(ben, { body: `Reply ${i}`, parentId: parent.id }));
      await notifiedAbout(ann, replies[2].id);
      await notifiedAbout(ann, replies[0].id);
      const page1 = await inbox(ann, '?limit=2');
      assert.equal(page1.unreadCount, 3);
      assert.deepEqual(
        page1.items.map((n) => n.comment?.id),
        [replies[2].id, replies[1].id],
      );
      assert.equal(page1.items[0].kind, 'reply');
      assert.equal(page1.items[0].actor?.id, ben.id);
      assert.equal(page1.items[0].article?.slug, article.slug);
      const page2 = await inbox(ann, `?limit=2&cursor=${encodeURIComponent(page1.nextCursor as string)}`);
      assert.deepEqual(
        page2.items.map((n) => n.comment?.id),
        [replies[0].id],
      );
      assert.equal(page2.nextCursor, null);

      const read = await t.http
        .post('/api/notifications/read')
        .set('Authorization', bearer(ann.token))
        .send({ ids: [page1.items[0].id] })
        .expect(200);
      assert.deepEqual(read.body, { unreadCount: 2 });
      assert.deepEqual(
        (await inbox(ann, '?unread=true')).items.map((n) => n.comment?.id),
        [replies[1].id, replies[0].id],
      );
      // Someone else's notification ids change nothing.
      const byBen = await t.http
        .post('/api/notifications/read')
        .set('Authorization', bearer(ben.token))
        .send({ ids: [page1.items[1].id] })
        .expect(200);
      assert.deepEqual(byBen.body, { unreadCount: 0 });
      assert.equal((await inbox(ann)).unreadCount, 2);
      const all = await t.http.post('/api/notifications/read').set('Authorization', bearer(ann.token)).send({});
      assert.deepEqual(all.body, { unreadCount: 0 });
    });

    it('refuses anonymous readers, bad ids, too many ids and a cursor it did not issue', async () => {
      const ann = await user();
      assertErrorBody(await t.http.get('/api/notifications'), 401, 'unauthenticated');
      assertErrorBody(await t.http.post('/api/notifications/read').send({}), 401, 'unauthenticated');
      const markRead = (body: object) =>
        t.http.post('/api/notifications/read').set('Authorization', bearer(ann.token)).send(body);
      assertErrorBody(await markRead({ ids: ['x'] }), 400, 'validation_failed');
      assertErrorBody(await markRead({ ids: 'all' }), 400, 'validation_failed');
      const tooMany = Array.from({ length: MARK_READ_IDS_MAX + 1 }, (_, i) => String(i + 1));
      assertErrorBody(await markRead({ ids: tooMany }), 400, 'validation_failed');
      assertErrorBody(
        await t.http.get('/api/notifications?cursor=forged').set('Authorization', bearer(ann.token)),
        400,
        'bad_cursor',
      );
      assertErrorBody(
        await t.http.get('/api/notifications?unread=yes').set('Authorization', bearer(ann.token)),
        400,
        'validation_failed',
      );
    });
  });

  describe('live', () => {
    it('sends `notification` with the unread count to the recipient’s own connections only', async () => {
      const [ann, ben, cat] = [await user(), await user(), await user()];
      const annLive = await connect(ann);
      const catLive = await connect(cat);
      const annsComment = await post(ann, { body: 'Ann’s point.' });
      const catsComment = await post(cat, { body: 'Cat’s point.' });
      const reply = await post(ben, { body: 'To Ann.', parentId: annsComment.id });
      const heard = await annLive.waitUntil('notification');
      const payload = heard.payload as { seq: null; notification: Notification; unreadCount: number };
      assert.equal(payload.seq, null);
      assert.equal(payload.unreadCount, 1);
      assert.equal(payload.notification.kind, 'reply');
      assert.equal(payload.notification.comment?.id, reply.id);
      assert.equal(payload.notification.comment?.body, 'To Ann.');
      assert.deepEqual(payload.notification, (await inbox(ann)).items[0]);
      // Cat's own notification, from a later comment, is the barrier: Ann's would have reached Cat before it.
      const toCat = await post(ben, { body: 'To Cat.', parentId: catsComment.id });
      await catLive.expectNoneBefore(
        (r) => r.event === 'notification' && (r.payload.notification as Notification).comment?.id === reply.id,
        (r) => r.event === 'notification' && (r.payload.notification as Notification).comment?.id === toCat.id,
      );
      assert.equal(catLive.events('notification').length, 1);
    });
  });
});
