import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type Account,
  ADMIN_ENV,
  assertErrorBody,
  bearer,
  register,
  signInAdmin,
  withRole,
} from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { Follower, type Received } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface CommentJson {
  id: string;
  articleId: string;
  parentId: string | null;
  depth: number;
  body: string | null;
  html: string | null;
  author: { id: string } | null;
  status: string;
  stance: string | null;
  createdAt: string;
  editedAt: string | null;
  score: number;
  upvotes: number;
  downvotes: number;
  replyCount: number;
  quote: unknown;
}

type Node = CommentJson & { replies: Node[]; moreReplies: number };

const unique = (label: string) => `${label} ${randomBytes(4).toString('hex')}`;

/**
 * Follow-ups of "readers learn nothing of a comment they may not see": a never-approved comment a moderator removes,
 * what catch-up shows of a comment sent back to review, the replies of such a comment, and idempotent retries.
 */
describe('visibility of what readers never saw', () => {
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
  const act = (action: 'approve' | 'remove' | 'restore', id: string) =>
    as(moderator, t.http.post(`/api/moderation/comments/${id}/${action}`)).send({});
  const permalink = (who: Account | null, id: string) => as(who, t.http.get(`/api/comments/${id}`));
  const replies = (who: Account | null, id: string) => as(who, t.http.get(`/api/comments/${id}/replies`));
  const article = async (slug: string) =>
    (await t.http.get(`/api/articles/${slug}`).expect(200)).body as {
      commentCount: number;
      lastCommentAt: string | null;
      blocks: { commentCount: number }[];
    };
  const threadPage = async (who: Account | null, slug: string) =>
    (await as(who, t.http.get(`/api/articles/${slug}/comments?depth=5&limit=100`)).expect(200)).body as {
      items: Node[];
      total: number;
      seq: number;
    };
  const flatten = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...flatten(n.replies)]);
  const premoderated = async (): Promise<ArticleFixture> => {
    const a = await fx.newArticle();
    await as(moderator, t.http.patch(`/api/articles/${a.slug}/settings`))
      .send({ premoderation: true })
      .expect(200);
    return a;
  };
  const idsIn = (payload: Record<string, unknown>) => [
    (payload.comment as { id?: string } | undefined)?.id,
    payload.commentId,
  ];
  const about = (id: string) => (r: Received) => idsIn(r.payload).includes(id);

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    fx = new Fixtures(t.app);
    admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
    alice = await register(t);
    bob = await register(t);
    bannedWord = `verboten${randomBytes(3).toString('hex')}`;
    await as(admin, t.http.put('/api/moderation/banned-words'))
      .send({ words: [bannedWord] })
      .expect(200);
  });

  after(() => t.close());

  describe('a never-approved comment removed by a moderator', () => {
    it('stays invisible to readers: no placeholder, no counter, no event, no catch-up', async () => {
      const a = await premoderated();
      const parent = (await post(moderator, a.slug, { body: unique('A moderator opens') }).expect(201))
        .body as CommentJson;
      const quoted = a.blocks[0];
      const held = (
        await post(alice, a.slug, {
          body: unique('A held reply'),
          parentId: parent.id,
          quote: { source: 'article', blockId: quoted.id, text: quoted.text },
        }).expect(201)
      ).body as CommentJson;
      assert.equal(held.status, 'pending');
      const before = await article(a.slug);
      const { seq } = await threadPage(null, a.slug);
      const follower = await Follower.connect(t.baseUrl);
      try {
        await follower.join(a.slug);
        assert.equal((await act('remove', held.id).expect(200)).body.status, 'removed');
        // Barrier: a later event of the same room; nothing about the removed comment may come before it.
        const barrier = (await post(moderator, a.slug, { body: unique('Barrier') }).expect(201)).body as CommentJson;
        await follower.expectNoneBefore(
          (r) => r.event !== 'presence' && !about(barrier.id)(r),
          (r) => r.event === 'comment.created' && about(barrier.id)(r),
          'a reader heard of the removal',
        );
        const late = await Follower.connect(t.baseUrl);
        try {
          const ack = (await late.join(a.slug, seq)) as { missed: Received['payload'][] };
          assert.ok(
            !ack.missed.some((e) => idsIn(e).includes(held.id)),
            `catch-up names it: ${JSON.stringify(ack.missed)}`,
          );
          assert.equal(ack.missed.length, 1, 'only the barrier was missed');
        } finally {
          late.close();
        }
      } finally {
        follower.close();
      }
      for (const reader of [null, bob]) {
        const page = await threadPage(reader, a.slug);
        const nodes = flatten(page.items);
        assert.ok(!nodes.some((n) => n.id === held.id), 'no placeholder in the thread');
        const top = nodes.find((n) => n.id === parent.id) as Node;
        assert.equal(top.replyCount, 0, 'the parent counts no reply');
        assert.equal(top.moreReplies, 0);
        assert.equal(page.total, 2, 'total counts the parent and the barrier');
        assert.equal(
          ((await replies(reader, parent.id).expect(200)).body.items as Node[]).length,
          0,
          'no placeholder among the replies',
        );
        assertErrorBody(await permalink(reader, held.id), 404, 'its permalink');
      }
      // Nor can a reader learn of it by voting on it or reporting it.
      assertErrorBody(
        await as(bob, t.http.put(`/api/comments/${held.id}/vote`)).send({ value: 1 }),
        404,
        'a vote on it',
      );
      assertErrorBody(
        await as(bob, t.http.post(`/api/comments/${held.id}/reports`)).send({ reason: 'spam' }),
        404,
        'a report on it',
      );
      const after = await article(a.slug);
      assert.equal(after.commentCount, before.commentCount + 1, 'only the barrier counts');
      assert.equal(after.blocks[0].commentCount, before.blocks[0].commentCount, 'the quoted block counts nothing');
      // Moderators still find it in the removed queue, with its body.
      const queue = (
        await as(moderator, t.http.get(`/api/moderation/queue?status=removed&articleId=${a.id}`)).expect(200)
      ).body.items as CommentJson[];
      assert.equal(queue.find((q) => q.id === held.id)?.body, held.body);
    });

    it('restoring it makes it visible, announced to readers as a new comment', async () => {
      const a = await premoderated();
      const parent = (await post(moderator, a.slug, { body: unique('A moderator opens') }).expect(201))
        .body as CommentJson;
      const held = (
        await post(alice, a.slug, { body: unique('Held, removed, restored'), parentId: parent.id }).expect(201)
      ).body as CommentJson;
      await act('remove', held.id).expect(200);
      const follower = await Follower.connect(t.baseUrl);
      try {
        await follower.join(a.slug);
        const restored = (await act('restore', held.id).expect(200)).body as CommentJson;
        assert.equal(restored.status, 'visible');
        const created = await follower.expectNoneBefore(
          'comment.restored',
          (r) => r.event === 'comment.created' && about(held.id)(r),
          'readers never saw it leave, so it cannot come back',
        );
        assert.equal((created.payload.comment as CommentJson).body, held.body);
      } finally {
        follower.close();
      }
      const nodes = flatten((await threadPage(null, a.slug)).items);
      assert.equal(nodes.find((n) => n.id === parent.id)?.replyCount, 1);
      assert.equal(nodes.find((n) => n.id === held.id)?.body, held.body);
      assert.equal((await article(a.slug)).commentCount, 2);
    });
  });

  describe('a comment sent back to review by an edit', () => {
    it('is a bare placeholder in catch-up, exactly as the thread shows it', async () => {
      const a = await fx.newArticle();
      const { seq } = await threadPage(null, a.slug);
      const c = (await post(alice, a.slug, { body: unique('Fine at first'), stance: 'agree' }).expect(201))
        .body as CommentJson;
      await as(bob, t.http.put(`/api/comments/${c.id}/vote`))
        .send({ value: 1 })
        .expect(200);
      await post(bob, a.slug, { body: unique('A reply'), parentId: c.id }).expect(201);
      assert.equal((await edit(alice, c.id, `Now with ${bannedWord}`).expect(200)).body.status, 'pending');
      const shown = flatten((await threadPage(null, a.slug)).items).find((n) => n.id === c.id) as Node;
      const follower = await Follower.connect(t.baseUrl);
      try {
        const ack = (await follower.join(a.slug, seq)) as { missed: { type: string; comment?: CommentJson }[] };
        const created = ack.missed.find((e) => e.type === 'comment.created' && e.comment?.id === c.id)
          ?.comment as CommentJson;
        assert.ok(created, JSON.stringify(ack.missed));
        assert.equal(created.status, 'removed');
        for (const field of ['body', 'html', 'author', 'stance', 'quote', 'editedAt'] as const)
          assert.equal(created[field], null, field);
        assert.equal(created.score, 0, 'no score');
        assert.equal(created.upvotes, 0);
        const {
          replies: shownReplies,
          moreReplies,
          repliesCursor,
          ...thread
        } = shown as Node & { repliesCursor: unknown };
        assert.deepEqual([shownReplies.length, moreReplies, repliesCursor], [1, 0, null], 'its reply stays under it');
        assert.deepEqual(created, thread, 'catch-up shows what the thread shows');
      } finally {
        follower.close();
      }
    });

    it('keeps its approved replies visible everywhere, under a bare placeholder', async () => {
      const a = await fx.newArticle();
      const c = (await post(alice, a.slug, { body: unique('A top-level comment') }).expect(201)).body as CommentJson;
      const reply = (await post(bob, a.slug, { body: unique('An approved reply'), parentId: c.id }).expect(201))
        .body as CommentJson;
      await edit(alice, c.id, `Now with ${bannedWord}`).expect(200);
      for (const reader of [null, bob]) {
        const top = (await threadPage(reader, a.slug)).items.find((n) => n.id === c.id);
        assert.ok(top, 'the thread shows the parent as a placeholder');
        assert.equal(top.status, 'removed');
        assert.equal(top.body, null);
        assert.equal(top.author, null);
        assert.equal(top.editedAt, null, 'nothing says it was edited');
        assert.deepEqual(
          top.replies.map((r) => [r.id, r.body]),
          [[reply.id, reply.body]],
          'its reply stays in the thread',
        );
        const page = (await replies(reader, c.id).expect(200)).body.items as Node[];
        assert.deepEqual(
          page.map((r) => r.id),
          [reply.id],
          'and in the replies page',
        );
        const own = (await permalink(reader, c.id).expect(200)).body.comment as Node;
        assert.equal(own.status, 'removed');
        assert.equal(own.body, null);
        assert.deepEqual(
          own.replies.map((r) => r.id),
          [reply.id],
          'and under its permalink',
        );
        const child = (await permalink(reader, reply.id).expect(200)).body as {
          comment: Node;
          ancestors: CommentJson[];
        };
        assert.equal(child.comment.body, reply.body, 'and in its own permalink');
        assert.equal(child.ancestors[0].status, 'removed');
        assert.equal(child.ancestors[0].body, null);
      }
      // Its author and moderators see it as it is.
      assert.equal((await permalink(alice, c.id).expect(200)).body.comment.status, 'pending');
      assert.equal((await permalink(moderator, c.id).expect(200)).body.comment.status, 'pending');
      // Approved again, it comes back with its new text.
      const follower = await Follower.connect(t.baseUrl);
      try {
        await follower.join(a.slug);
        await act('approve', c.id).expect(200);
        const back = await follower.waitUntil(
          (r) => r.event === 'comment.restored' && about(c.id)(r),
          'comment.restored',
        );
        assert.match(String((back.payload.comment as CommentJson).body), new RegExp(bannedWord));
        assert.equal(back.payload.previousStatus, 'pending', 'back from review, not from a removal');
      } finally {
        follower.close();
      }
    });

    it('answers readers about it as about a removed comment: no answer says it waits for a moderator', async () => {
      const a = await fx.newArticle();
      const c = (await post(alice, a.slug, { body: unique('Soon held again') }).expect(201)).body as CommentJson;
      await edit(alice, c.id, `Now with ${bannedWord}`).expect(200);
      const vote = await as(bob, t.http.put(`/api/comments/${c.id}/vote`)).send({ value: 1 });
      assertErrorBody(vote, 403, 'a vote on the placeholder');
      assert.doesNotMatch(JSON.stringify(vote.body), /pending/, 'the refusal does not name the review');
      // It takes replies like a removed comment does; the reply is visible under the placeholder.
      const reply = (await post(bob, a.slug, { body: unique('A reply to a placeholder'), parentId: c.id }).expect(201))
        .body as CommentJson;
      assert.equal(reply.status, 'visible');
      const top = (await threadPage(null, a.slug)).items.find((n) => n.id === c.id) as Node;
      assert.equal(top.replyCount, 1);
      assert.deepEqual(
        top.replies.map((r) => r.id),
        [reply.id],
      );
    });
  });

  describe('idempotent retries', () => {
    it('answers its own author the first answer for a comment since withdrawn, and creates nothing', async () => {
      const a = await premoderated();
      const key = `retry-${randomBytes(6).toString('hex')}`;
      const body = { body: unique('Posted once') };
      const first = (await post(alice, a.slug, body).set('Idempotency-Key', key).expect(201)).body as CommentJson;
      await as(alice, t.http.delete(`/api/comments/${first.id}`)).expect(204);
      const again = (await post(alice, a.slug, body).set('Idempotency-Key', key).expect(201)).body as CommentJson;
      assert.deepEqual(again, first, 'the first answer, to the author who already had it');
      assertErrorBody(await permalink(alice, first.id), 404, 'the withdrawn comment stays withdrawn');
      assert.equal(flatten((await threadPage(alice, a.slug)).items).length, 0, 'the retry posted nothing');
      // The key is the author's own: another user with the same key posts their own comment.
      const bobs = (await post(bob, a.slug, body).set('Idempotency-Key', key).expect(201)).body as CommentJson;
      assert.notEqual(bobs.id, first.id);
      assert.equal(bobs.author?.id, bob.id);
    });
  });
});
