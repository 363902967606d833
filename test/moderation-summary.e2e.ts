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

interface Counts {
  pending: number;
  reported: number;
  removed: number;
}

describe('moderation queue counts', () => {
  let t: TestApp;
  let fx: Fixtures;
  let admin: Account;
  let moderator: Account;
  let alice: Account;
  let bob: Account;
  let open: ArticleFixture;
  let held: ArticleFixture;
  const sockets: Follower[] = [];

  const connect = async (who?: Account) => {
    const socket = await Follower.connect(t.baseUrl, who?.token);
    sockets.push(socket);
    return socket;
  };

  const summary = async (who: Account = moderator): Promise<Counts> => {
    const res = await t.http.get('/api/moderation/summary').set('Authorization', bearer(who.token));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as Counts;
  };

  const post = async (who: Account, slug: string, body = 'a comment'): Promise<{ id: string; status: string }> => {
    const res = await t.http
      .post(`/api/articles/${slug}/comments`)
      .set('Authorization', bearer(who.token))
      .send({ body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; status: string };
  };

  const act = async (action: 'approve' | 'remove' | 'restore', id: string) => {
    const res = await t.http
      .post(`/api/moderation/comments/${id}/${action}`)
      .set('Authorization', bearer(moderator.token))
      .send({});
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };

  const report = async (who: Account, id: string) => {
    const res = await t.http
      .post(`/api/comments/${id}/reports`)
      .set('Authorization', bearer(who.token))
      .send({ reason: 'abuse' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  };

  const remove = async (who: Account, id: string) => {
    const res = await t.http.delete(`/api/comments/${id}`).set('Authorization', bearer(who.token));
    assert.ok(res.status === 200 || res.status === 204, `${res.status} ${JSON.stringify(res.body)}`);
  };

  /** Waits until the latest `moderation.counts` the socket received says `expected`; answers every one received. */
  async function countsReach(socket: Follower, expected: Counts): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const all = socket.events('moderation.counts').map((r) => r.payload);
      const last = all.at(-1);
      if (last && last.pending === expected.pending && last.reported === expected.reported)
        if (last.removed === expected.removed) return all;
      if (Date.now() > deadline)
        throw new Error(
          `waited for ${JSON.stringify(expected)}, got ${JSON.stringify(all.map((p) => [p.pending, p.reported, p.removed]))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    fx = new Fixtures(t.app);
    admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
    alice = await newUser(t);
    bob = await newUser(t);
    open = await fx.newArticle();
    held = await fx.newArticle();
    await t.dataSource.query('UPDATE articles SET premoderation = true WHERE id = $1', [held.id]);
  });

  after(async () => {
    sockets.forEach((s) => s.close());
    await t.close();
  });

  it('is for moderators only', async () => {
    const anonymous = await t.http.get('/api/moderation/summary');
    assertErrorBody(anonymous, 401, 'anonymous');
    const reader = await t.http.get('/api/moderation/summary').set('Authorization', bearer(alice.token));
    assertErrorBody(reader, 403, 'a reader');
    const fromAdmin = await summary(admin);
    assert.deepEqual(Object.keys(fromAdmin).sort(), ['pending', 'removed', 'reported']);
  });

  it('counts each queue as the queues list it, and tells moderators live as it moves', async () => {
    const start = await summary();
    const at = (pending: number, reported: number, removed: number): Counts => ({
      pending: start.pending + pending,
      reported: start.reported + reported,
      removed: start.removed + removed,
    });
    const live = await connect(moderator);
    const reader = await connect(alice);
    assert.equal((await reader.join(held.slug)).ok, true);

    const waiting = await post(alice, held.slug, 'held for review');
    const other = await post(bob, held.slug, 'held as well');
    assert.equal(waiting.status, 'pending');
    assert.deepEqual(await summary(), at(2, 0, 0));
    await countsReach(live, at(2, 0, 0));

    // Its author takes one back before any decision: it leaves the queue.
    await remove(bob, other.id);
    assert.deepEqual(await summary(), at(1, 0, 0));
    await countsReach(live, at(1, 0, 0));

    await act('approve', waiting.id);
    assert.deepEqual(await summary(), at(0, 0, 0));
    await countsReach(live, at(0, 0, 0));

    // Readers are never told: the approval's own room event reaches the reader after any earlier count would have.
    await reader.expectNoneBefore(
      'moderation.counts',
      (r) => r.event === 'comment.created' && (r.payload.comment as { id: string }).id === waiting.id,
      'a reader was told the queue counts',
    );

    const visible = await post(alice, open.slug, 'visible at once');
    await report(bob, visible.id);
    await report(moderator, visible.id);
    assert.deepEqual(await summary(), at(0, 1, 0), 'two reports of one comment count once');
    await countsReach(live, at(0, 1, 0));

    await act('remove', visible.id);
    assert.deepEqual(await summary(), at(0, 0, 1), 'removing closes its reports');
    await countsReach(live, at(0, 0, 1));

    await act('restore', visible.id);
    await report(await newUser(t), visible.id);
    assert.deepEqual(await summary(), at(0, 1, 0));
    await countsReach(live, at(0, 1, 0));

    // The author deletes a reported comment: nothing is left to decide on.
    await remove(alice, visible.id);
    assert.deepEqual(await summary(), at(0, 0, 0));
    const all = await countsReach(live, at(0, 0, 0));
    for (const payload of all) {
      assert.equal(payload.seq, null);
      assert.equal(payload.articleId, null);
      assert.match(payload.at as string, /Z$/);
    }
  });
});
