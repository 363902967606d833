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
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface ProfileCommentJson {
  id: string;
  status: string;
  body: string | null;
  author: { username: string } | null;
  createdAt: string;
  article: { id: string; slug: string; title: string };
}

describe('profiles: GET /api/users/:username and its comments', () => {
  let t: TestApp;
  let fx: Fixtures;
  let moderator: Account;
  let alice: Account;
  let bob: Account;
  let essay: ArticleFixture;
  const ids: Record<'visible' | 'pending' | 'removed' | 'deleted' | 'older', string> = {
    visible: '',
    pending: '',
    removed: '',
    deleted: '',
    older: '',
  };

  const as = (who: Account | null, path: string) => {
    const req = t.http.get(path);
    return who ? req.set('Authorization', bearer(who.token)) : req;
  };
  const listed = async (who: Account | null, username: string) =>
    (await as(who, `/api/users/${username}/comments?limit=100`).expect(200)).body.items as ProfileCommentJson[];

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    fx = new Fixtures(t.app);
    const admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
    alice = await newUser(t, undefined, { displayName: 'Alice A.' });
    bob = await newUser(t);
    essay = await fx.newArticle();
    const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes));
    ids.older = (await fx.newComment({ article: essay, authorId: alice.id, body: 'older', createdAt: at(0) })).id;
    for (const [minute, status] of [
      [1, 'removed'],
      [2, 'deleted'],
      [3, 'pending'],
      [4, 'visible'],
    ] as const) {
      ids[status] = (
        await fx.newComment({ article: essay, authorId: alice.id, status, body: status, createdAt: at(minute) })
      ).id;
    }
  });

  after(() => t.close());

  it('shows who the user is and how many visible comments they wrote, the same to everyone', async () => {
    for (const who of [null, bob, alice, moderator]) {
      const res = await as(who, `/api/users/${alice.username.toUpperCase()}`).expect(200);
      assert.deepEqual(res.body.user, {
        id: alice.id,
        username: alice.username,
        displayName: 'Alice A.',
        role: 'reader',
      });
      assert.equal(res.body.commentCount, 2);
      assert.match(res.body.joinedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual(Object.keys(res.body).sort(), ['commentCount', 'joinedAt', 'user']);
    }
    assertErrorBody(await as(null, '/api/users/nobody-here-at-all').expect(404), 404);
    assertErrorBody(await as(null, '/api/users/nobody-here-at-all/comments').expect(404), 404);
  });

  it('lists only the comments whose text the viewer may read, newest first, each with its essay', async () => {
    assert.deepEqual(
      (await listed(null, alice.username)).map((c) => c.id),
      [ids.visible, ids.older],
    );
    assert.deepEqual(
      (await listed(bob, alice.username)).map((c) => c.id),
      [ids.visible, ids.older],
    );
    const own = await listed(alice, alice.username);
    assert.deepEqual(
      own.map((c) => c.id),
      [ids.visible, ids.pending, ids.older],
    );
    assert.equal(own[1].status, 'pending');
    assert.equal(own[1].body, 'pending');
    const moderated = await listed(moderator, alice.username);
    assert.deepEqual(
      moderated.map((c) => c.id),
      [ids.visible, ids.pending, ids.removed, ids.older],
    );
    assert.equal(moderated[2].body, 'removed');
    for (const c of moderated) {
      assert.deepEqual(c.article, { id: essay.id, slug: essay.slug, title: `Essay ${essay.slug}` });
      assert.equal(c.author?.username, alice.username);
    }
  });

  it('pages newest first with a cursor, and refuses a bad cursor or limit', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await as(moderator, `/api/users/${alice.username}/comments?limit=1${query}`).expect(200);
      assert.ok(res.body.items.length <= 1);
      seen.push(...(res.body.items as ProfileCommentJson[]).map((c) => c.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor && seen.length < 10);
    assert.deepEqual(seen, [ids.visible, ids.pending, ids.removed, ids.older]);
    const first = await as(null, `/api/users/${alice.username}/comments?limit=1`).expect(200);
    assertErrorBody(
      await as(null, `/api/users/${bob.username}/comments?cursor=${encodeURIComponent(first.body.nextCursor)}`).expect(
        400,
      ),
      400,
    );
    for (const query of ['limit=0', 'limit=101', 'cursor=nonsense', 'sort=new']) {
      assertErrorBody(await as(null, `/api/users/${alice.username}/comments?${query}`).expect(400), 400, query);
    }
  });

  it('counts a comment once it is approved and no more once it is removed', async () => {
    const carol = await newUser(t);
    const held = (await fx.newComment({ article: essay, authorId: carol.id, status: 'pending' })).id;
    const count = async () => (await as(null, `/api/users/${carol.username}`).expect(200)).body.commentCount as number;
    assert.equal(await count(), 0);
    const act = (action: string) =>
      t.http
        .post(`/api/moderation/comments/${held}/${action}`)
        .set('Authorization', bearer(moderator.token))
        .send({})
        .expect(200);
    await act('approve');
    assert.equal(await count(), 1);
    assert.deepEqual(
      (await listed(null, carol.username)).map((c) => c.id),
      [held],
    );
    await act('remove');
    assert.equal(await count(), 0);
    assert.deepEqual(await listed(null, carol.username), []);
  });
});
