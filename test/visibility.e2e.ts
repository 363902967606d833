import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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
import { type ArticleFixture, Fixtures, flattenThread } from './helpers/fixtures.js';
import { Follower } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface CommentJson {
  id: string;
  parentId: string | null;
  body: string | null;
  author: { id: string } | null;
  status: string;
  replyCount: number;
  quote: { verified: boolean } | null;
}

interface Revision {
  body: string;
  html: string;
  createdAt: string;
  public?: boolean;
}

const unique = (label: string) => `${label} ${randomBytes(4).toString('hex')}`;

/**
 * Nothing a moderator has not approved reaches readers: held versions stay out of the public history, pending
 * comments leave no trace, an edit in a premoderated essay is reviewed again, a locked thread freezes every write,
 * and a comment's history is bounded and paged.
 */
describe('visibility of what moderators have not approved', () => {
  let t: TestApp;
  let fx: Fixtures;
  let admin: Account;
  let moderator: Account;
  let alice: Account;
  let bob: Account;
  let bannedWord: string;

  const as = (who: Account | null, req: ReturnType<TestApp['http']['get']>) =>
    who ? req.set('Authorization', bearer(who.token)) : req;
  const post = (who: Account, slug: string, body: object) =>
    as(who, t.http.post(`/api/articles/${slug}/comments`)).send(body);
  const edit = (who: Account, id: string, body: string) => as(who, t.http.patch(`/api/comments/${id}`)).send({ body });
  const remove = (who: Account, id: string) => as(who, t.http.delete(`/api/comments/${id}`));
  const approve = (id: string) =>
    as(moderator, t.http.post(`/api/moderation/comments/${id}/approve`))
      .send({})
      .expect(200);
  const history = (who: Account | null, id: string, query = '') =>
    as(who, t.http.get(`/api/comments/${id}/history${query}`));
  const permalink = (who: Account | null, id: string) => as(who, t.http.get(`/api/comments/${id}`));
  const settings = (slug: string, body: object) =>
    as(moderator, t.http.patch(`/api/articles/${slug}/settings`))
      .send(body)
      .expect(200);
  const thread = async (who: Account | null, slug: string): Promise<CommentJson[]> => {
    const res = await as(who, t.http.get(`/api/articles/${slug}/comments?depth=5&limit=100`)).expect(200);
    return flattenThread<CommentJson>(res.body.items);
  };
  const premoderated = async (): Promise<ArticleFixture> => {
    const article = await fx.newArticle();
    await settings(article.slug, { premoderation: true });
    return article;
  };

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    fx = new Fixtures(t.app);
    admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
    alice = await newUser(t);
    bob = await newUser(t);
    bannedWord = `forbidden${randomBytes(3).toString('hex')}`;
    await as(admin, t.http.put('/api/moderation/banned-words'))
      .send({ words: [bannedWord] })
      .expect(200);
  });

  after(() => t.close());

  describe('edit history', () => {
    it('never shows readers a version written while the comment was held', async () => {
      const article = await premoderated();
      const held = unique('The held and rude first draft');
      const c = (await post(alice, article.slug, { body: held }).expect(201)).body as CommentJson;
      assert.equal(c.status, 'pending');
      const polite = unique('A polite second draft');
      await edit(alice, c.id, polite).expect(200);
      await approve(c.id);
      const anonymous = (await history(null, c.id).expect(200)).body.items as Revision[];
      assert.equal(anonymous.length, 0, `readers see no earlier version: ${JSON.stringify(anonymous)}`);
      const asBob = (await history(bob, c.id).expect(200)).body.items as Revision[];
      assert.ok(!JSON.stringify(asBob).includes('rude'), 'another reader does not see the held text');
      // A moderator (and the author) see every version, each saying whether readers ever saw it.
      const full = (await history(moderator, c.id).expect(200)).body.items as Revision[];
      assert.deepEqual(
        full.map((r) => [r.body, r.public]),
        [[held, false]],
      );
      const own = (await history(alice, c.id).expect(200)).body.items as Revision[];
      assert.deepEqual(
        own.map((r) => r.body),
        [held],
      );
    });

    it('keeps a version readers saw, and hides one held for a banned word', async () => {
      const article = await fx.newArticle();
      const first = unique('A first version everyone read');
      const c = (await post(alice, article.slug, { body: first }).expect(201)).body as CommentJson;
      assert.equal(c.status, 'visible');
      const rude = unique(`Now with ${bannedWord} in it`);
      assert.equal((await edit(alice, c.id, rude).expect(200)).body.status, 'pending');
      await edit(alice, c.id, unique('Polite again')).expect(200);
      await approve(c.id);
      const anonymous = (await history(null, c.id).expect(200)).body.items as Revision[];
      assert.deepEqual(
        anonymous.map((r) => r.body),
        [first],
      );
      const full = (await history(moderator, c.id).expect(200)).body.items as Revision[];
      assert.deepEqual(
        full.map((r) => [r.body, r.public]),
        [
          [first, true],
          [rude, false],
        ],
      );
    });

    it('pages the history with a cursor, oldest first, the whole of it in one answer by default', async () => {
      const article = await fx.newArticle();
      const c = (await post(alice, article.slug, { body: 'version 0' }).expect(201)).body as CommentJson;
      for (let i = 1; i <= 25; i++) await edit(alice, c.id, `version ${i}`).expect(200);
      type Page = { items: Revision[]; nextCursor: string | null };
      const whole = (await history(null, c.id).expect(200)).body as Page;
      assert.deepEqual(
        whole.items.map((r) => r.body),
        Array.from({ length: 25 }, (_, i) => `version ${i}`),
      );
      assert.equal(whole.nextCursor, null);
      const first = (await history(null, c.id, '?limit=20').expect(200)).body as Page;
      assert.equal(first.items.length, 20);
      assert.equal(first.items[0].body, 'version 0');
      assert.equal(typeof first.nextCursor, 'string');
      const second = (await history(null, c.id, `?limit=20&cursor=${first.nextCursor}`).expect(200)).body as Page;
      assert.deepEqual(
        second.items.map((r) => r.body),
        ['version 20', 'version 21', 'version 22', 'version 23', 'version 24'],
      );
      assert.equal(second.nextCursor, null);
      assertErrorBody(await history(null, c.id, '?limit=101'), 400, 'limit over 100');
      assertErrorBody(await history(null, c.id, '?limit=0'), 400, 'limit under 1');
      assertErrorBody(await history(null, c.id, '?cursor=not-a-cursor'), 400, 'a cursor the server did not issue');
    });

    it('caps the edits of one comment with a clear 409', async () => {
      const article = await fx.newArticle();
      const c = (await post(bob, article.slug, { body: 'edit me' }).expect(201)).body as CommentJson;
      for (let i = 1; i <= 50; i++) await edit(bob, c.id, `edit ${i}`).expect(200);
      const refused = await edit(bob, c.id, 'one edit too many');
      assertErrorBody(refused, 409, 'the 51st edit');
      assert.match(String(refused.body.message), /50/);
      const res = await permalink(null, c.id).expect(200);
      assert.equal(res.body.comment.body, 'edit 50');
    });
  });

  describe('pending comments leave no trace', () => {
    it('shows readers no pending ancestor in a permalink', async () => {
      const article = await fx.newArticle();
      const parent = await fx.newComment({ article, authorId: alice.id, status: 'pending', body: 'A secret parent' });
      const child = await fx.newComment({ article, parent, authorId: bob.id, body: 'A visible reply' });
      const res = await permalink(null, child.id).expect(200);
      const ancestor = res.body.ancestors[0] as CommentJson;
      assert.notEqual(ancestor.status, 'pending', JSON.stringify(ancestor));
      assert.equal(ancestor.body, null);
      assert.equal(ancestor.author, null);
      assert.equal(ancestor.replyCount, 0);
      // Its author and moderators still see it as it is.
      const own = await permalink(alice, child.id).expect(200);
      assert.equal(own.body.ancestors[0].status, 'pending');
      assert.equal(own.body.ancestors[0].body, 'A secret parent');
    });

    it('refuses a reply to a pending comment: 404 to whoever may not see it, 409 to its author and moderators', async () => {
      const article = await premoderated();
      const c = (await post(alice, article.slug, { body: unique('Held for review') }).expect(201)).body as CommentJson;
      assertErrorBody(await post(bob, article.slug, { body: 'reply', parentId: c.id }), 404, 'another reader');
      assertErrorBody(await post(alice, article.slug, { body: 'reply to myself', parentId: c.id }), 409, 'its author');
      assertErrorBody(await post(moderator, article.slug, { body: 'reply', parentId: c.id }), 409, 'a moderator');
      await approve(c.id);
      assert.equal((await post(bob, article.slug, { body: 'now a reply', parentId: c.id })).status, 201);
    });

    it('lets a never-approved comment deleted by its author simply disappear', async () => {
      const article = await premoderated();
      const parent = (await post(moderator, article.slug, { body: unique('A moderator opens') }).expect(201))
        .body as CommentJson;
      const reply = (await post(alice, article.slug, { body: unique('A held reply'), parentId: parent.id }).expect(201))
        .body as CommentJson;
      assert.equal(reply.status, 'pending');
      const follower = await Follower.connect(t.baseUrl);
      try {
        await follower.join(article.slug);
        await remove(alice, reply.id).expect(204);
        // Barrier: a later event of the same room; nothing about the withdrawn reply may come before it.
        const barrier = (await post(moderator, article.slug, { body: unique('Barrier') }).expect(201))
          .body as CommentJson;
        await follower.waitFor(1, 'comment.created');
        const seen = follower.received.filter((r) => r.event !== 'presence');
        assert.deepEqual(
          seen.map((r) => r.event),
          ['comment.created'],
          JSON.stringify(seen),
        );
        assert.equal((seen[0].payload.comment as CommentJson).id, barrier.id);
      } finally {
        follower.close();
      }
      const nodes = await thread(null, article.slug);
      assert.ok(!nodes.some((n) => n.id === reply.id), 'no placeholder for readers');
      assert.equal(nodes.find((n) => n.id === parent.id)?.replyCount, 0, 'the parent counts no reply');
      assertErrorBody(await permalink(null, reply.id), 404, 'its permalink');
      const queue = (
        await as(moderator, t.http.get(`/api/moderation/queue?status=pending&articleId=${article.id}`)).expect(200)
      ).body.items as CommentJson[];
      assert.ok(!queue.some((q) => q.id === reply.id), 'gone from the queue');
    });

    it('keeps a public quote’s verified still while its hidden source is edited', async () => {
      const article = await fx.newArticle();
      const words = unique('These exact words');
      const source = (await post(alice, article.slug, { body: `${words} stand here.` }).expect(201))
        .body as CommentJson;
      const quoting = (
        await post(bob, article.slug, {
          body: 'As she says',
          quote: { source: 'comment', commentId: source.id, text: words },
        }).expect(201)
      ).body as CommentJson;
      assert.equal(quoting.quote?.verified, true);
      const verified = async () =>
        ((await permalink(null, quoting.id).expect(200)).body.comment as CommentJson).quote?.verified;
      await edit(alice, source.id, `Gone, and ${bannedWord}.`).expect(200);
      const whileHidden = await verified();
      await edit(alice, source.id, `${words} stand here again.`).expect(200);
      assert.equal(await verified(), whileHidden, 'an edit readers cannot see does not move verified');
      await approve(source.id);
      assert.equal(await verified(), true, 'approved: the words stand in it again');
    });

    it('refuses to quote a comment readers cannot see', async () => {
      const article = await premoderated();
      const words = unique('Words under review');
      const c = (await post(alice, article.slug, { body: words }).expect(201)).body as CommentJson;
      const res = await post(alice, article.slug, {
        body: 'Quoting myself',
        quote: { source: 'comment', commentId: c.id, text: words },
      });
      assertErrorBody(res, 422, 'a quote of a pending comment');
    });
  });

  describe('edits and locked threads follow the same rules as new comments', () => {
    it('sends an edit in a premoderated essay back to review, and tells followers it left', async () => {
      const article = await fx.newArticle();
      const c = (await post(alice, article.slug, { body: unique('Approved once') }).expect(201)).body as CommentJson;
      await settings(article.slug, { premoderation: true });
      const follower = await Follower.connect(t.baseUrl);
      try {
        await follower.join(article.slug);
        const edited = (await edit(alice, c.id, unique('Changed afterwards')).expect(200)).body as CommentJson;
        assert.equal(edited.status, 'pending');
        const [gone] = await follower.waitFor(1, 'comment.removed', 'comment.updated');
        assert.equal(gone.event, 'comment.removed');
        assert.equal(gone.payload.commentId, c.id);
      } finally {
        follower.close();
      }
      // Hidden from readers until approved: they keep the bare placeholder they saw it leave as.
      const shown = (await permalink(null, c.id).expect(200)).body.comment as CommentJson;
      assert.deepEqual(
        [shown.status, shown.body, shown.author],
        ['removed', null, null],
        'hidden from readers until approved',
      );
      const queue = (
        await as(moderator, t.http.get(`/api/moderation/queue?status=pending&articleId=${article.id}`)).expect(200)
      ).body.items as CommentJson[];
      assert.ok(
        queue.some((q) => q.id === c.id),
        'back in the queue',
      );
      // A moderator's own edit is not held.
      const own = (await post(moderator, article.slug, { body: unique('Moderator note') }).expect(201))
        .body as CommentJson;
      assert.equal(
        (await edit(moderator, own.id, unique('Moderator note, edited')).expect(200)).body.status,
        'visible',
      );
    });

    it('freezes edit, delete and report in a locked thread for everyone but moderators', async () => {
      const article = await fx.newArticle();
      const c = (await post(alice, article.slug, { body: unique('Before the lock') }).expect(201)).body as CommentJson;
      const m = (await post(moderator, article.slug, { body: unique('Moderator before the lock') }).expect(201))
        .body as CommentJson;
      await settings(article.slug, { locked: true });
      assertErrorBody(await edit(alice, c.id, 'after the lock'), 403, 'edit');
      assertErrorBody(await remove(alice, c.id), 403, 'delete');
      assertErrorBody(
        await as(bob, t.http.post(`/api/comments/${c.id}/reports`)).send({ reason: 'spam' }),
        403,
        'report',
      );
      assert.equal(
        (await as(moderator, t.http.post(`/api/comments/${c.id}/reports`)).send({ reason: 'spam' })).status,
        201,
      );
      await edit(moderator, m.id, unique('Moderator after the lock')).expect(200);
      await remove(moderator, m.id).expect(204);
      const res = await permalink(null, c.id).expect(200);
      assert.equal(res.body.comment.status, 'visible');
    });
  });
});
