import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type Account,
  ADMIN_ENV,
  assertErrorBody,
  bearer,
  newUser,
  signInAdmin,
  uniqueName,
  withRole,
} from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface Report {
  id: string;
  reason: string;
  note: string | null;
  status: 'open' | 'closed';
  reporter: Record<string, unknown>;
}
interface Entry {
  id: string;
  action: string;
  commentId: string | null;
  userId: string | null;
  reason: string | null;
  actor: { id: string };
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * What moderators read beside a comment: its reports (GET /api/moderation/comments/:id/reports), its history in the
 * moderation log (…/history), and its author's record (GET /api/moderation/users/:id/record). Moderators only,
 * bounded, paged by signed cursors.
 */
describe('a comment’s reports and history, an author’s record (moderators)', () => {
  let t: TestApp;
  let fx: Fixtures;
  let admin: Account;
  let moderator: Account;
  let writer: Account;
  let reader: Account;
  let article: ArticleFixture;

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    fx = new Fixtures(t.app);
    admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
    writer = await newUser(t, uniqueName('writer'));
    reader = await newUser(t, uniqueName('reader'));
    article = await fx.newArticle();
  });

  after(async () => {
    await t?.close();
  });

  const as = (who: Account) => ({ Authorization: bearer(who.token) });
  const post = async (body: string, who: Account = writer): Promise<string> => {
    const res = await t.http.post(`/api/articles/${article.slug}/comments`).set(as(who)).send({ body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  const act = async (action: string, id: string, reason?: string) => {
    const res = await t.http
      .post(`/api/moderation/comments/${id}/${action}`)
      .set(as(moderator))
      .send(reason ? { reason } : {});
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  /** Every item of a list, a page of `limit` at a time, following the cursors. */
  const all = async <T>(path: string, limit: number): Promise<{ items: T[]; pages: number }> => {
    const items: T[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: unknown } = await t.http
        .get(path)
        .query(cursor ? { limit, cursor } : { limit })
        .set(as(moderator));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const page = res.body as Page<T>;
      assert.ok(page.items.length <= limit, 'a page holds at most limit items');
      items.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    return { items, pages };
  };

  it('lists a comment’s reports, newest first, open and closed, with the open count, to moderators only', async () => {
    const id = await post('A comment several people report.');
    const reporters = await Promise.all([1, 2, 3].map(() => newUser(t, uniqueName('reporter'))));
    for (const [i, who] of reporters.entries()) {
      await t.http
        .post(`/api/comments/${id}/reports`)
        .set(as(who))
        .send({ reason: i === 0 ? 'spam' : 'abuse', note: `note ${i}` })
        .expect(201);
    }
    const path = `/api/moderation/comments/${id}/reports`;
    const first = await t.http.get(path).set(as(moderator)).expect(200);
    assert.equal(first.body.open, 3);
    assert.deepEqual(
      (first.body.items as Report[]).map((r) => [r.note, r.status]),
      [
        ['note 2', 'open'],
        ['note 1', 'open'],
        ['note 0', 'open'],
      ],
    );
    // A reporter is a public user, nothing more.
    assert.deepEqual(Object.keys((first.body.items as Report[])[0].reporter).sort(), [
      'displayName',
      'id',
      'role',
      'username',
    ]);

    const paged = await all<Report>(path, 2);
    assert.equal(paged.pages, 2);
    assert.deepEqual(
      paged.items.map((r) => r.id),
      (first.body.items as Report[]).map((r) => r.id),
      'two pages give each report once, in order',
    );

    // Approving (dismissing the reports) closes them: still listed, none open.
    await act('approve', id);
    const closed = await t.http.get(path).set(as(moderator)).expect(200);
    assert.equal(closed.body.open, 0);
    assert.ok((closed.body.items as Report[]).every((r) => r.status === 'closed'));

    // Readers, the reporters among them, and anonymous visitors read none of it.
    assertErrorBody(await t.http.get(path).set(as(reporters[0])), 403, 'a reporter');
    assertErrorBody(await t.http.get(path).set(as(writer)), 403, 'the author');
    assertErrorBody(await t.http.get(path), 401, 'anonymous');
  });

  it('refuses bad ids, limits and cursors with a 4xx', async () => {
    const id = await post('A comment for bad input.');
    const other = await post('Another comment.');
    for (const base of ['/api/moderation/comments/%s/reports', '/api/moderation/comments/%s/history']) {
      const at = (x: string) => base.replace('%s', x);
      assertErrorBody(await t.http.get(at('nope')).set(as(moderator)), 404, `${at('nope')} not an id`);
      assertErrorBody(await t.http.get(at('999999999999')).set(as(moderator)), 404, `${base} no such comment`);
      assertErrorBody(await t.http.get(at(id)).query({ limit: 101 }).set(as(moderator)), 400, `${base} limit 101`);
      assertErrorBody(await t.http.get(at(id)).query({ limit: 0 }).set(as(moderator)), 400, `${base} limit 0`);
      assertErrorBody(await t.http.get(at(id)).query({ extra: 1 }).set(as(moderator)), 400, `${base} unknown field`);
      assertErrorBody(await t.http.get(at(id)).query({ cursor: 'abc.def' }).set(as(moderator)), 400, 'forged');
    }
    // A cursor belongs to its comment: another comment's is refused, not read as a wrong page.
    const two = await Promise.all([1, 2].map(() => newUser(t, uniqueName('reporter'))));
    for (const who of two) await t.http.post(`/api/comments/${id}/reports`).set(as(who)).send({ reason: 'spam' });
    const page = await t.http.get(`/api/moderation/comments/${id}/reports`).query({ limit: 1 }).set(as(moderator));
    assert.ok(page.body.nextCursor);
    assertErrorBody(
      await t.http
        .get(`/api/moderation/comments/${other}/reports`)
        .query({ cursor: page.body.nextCursor as string })
        .set(as(moderator)),
      400,
      'another comment’s cursor',
    );
    const record = '/api/moderation/users/%s/record';
    assertErrorBody(await t.http.get(record.replace('%s', 'x')).set(as(moderator)), 404, 'record: not an id');
    assertErrorBody(await t.http.get(record.replace('%s', '999999999999')).set(as(moderator)), 404, 'no such user');
    assertErrorBody(
      await t.http.get(record.replace('%s', writer.id)).query({ limit: 101 }).set(as(moderator)),
      400,
      'record: limit 101',
    );
  });

  it('gives a comment’s history from the log, newest first, with reasons, to moderators only', async () => {
    const id = await post('A comment that goes back and forth.');
    await act('remove', id, 'Rude');
    await act('restore', id, 'On reflection, fair');
    await t.http.post(`/api/moderation/comments/${id}/feature`).set(as(moderator)).expect(200);
    await act('remove', id, 'Rude after all');
    const path = `/api/moderation/comments/${id}/history`;
    const res = await t.http.get(path).set(as(moderator)).expect(200);
    assert.deepEqual(
      (res.body.items as Entry[]).map((e) => [e.action, e.reason, e.commentId, e.actor.id]),
      [
        ['comment.remove', 'Rude after all', id, moderator.id],
        ['comment.feature', null, id, moderator.id],
        ['comment.restore', 'On reflection, fair', id, moderator.id],
        ['comment.remove', 'Rude', id, moderator.id],
      ],
    );
    const paged = await all<Entry>(path, 3);
    assert.equal(paged.pages, 2);
    assert.deepEqual(
      paged.items.map((e) => e.id),
      (res.body.items as Entry[]).map((e) => e.id),
    );
    // Nothing about another comment.
    const quiet = await post('A comment nobody touched.');
    assert.deepEqual((await t.http.get(`/api/moderation/comments/${quiet}/history`).set(as(moderator))).body.items, []);
    assertErrorBody(await t.http.get(path).set(as(writer)), 403, 'the author');
    assertErrorBody(await t.http.get(path).set(as(reader)), 403, 'a reader');
    assertErrorBody(await t.http.get(path), 401, 'anonymous');
  });

  it('gives an author’s record: removals of their comments and their bans, counted, the ban in force, paged', async () => {
    const author = await newUser(t, uniqueName('record'));
    const bystander = await newUser(t, uniqueName('bystander'));
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await post(`Comment ${i} of a rough day.`, author));
    const spared = await post('Someone else’s comment, removed too.', bystander);
    await act('remove', ids[0], 'First');
    await act('remove', ids[1], 'Second');
    await act('restore', ids[1]);
    await act('remove', spared, 'Not theirs');
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await t.http
      .post(`/api/moderation/users/${author.id}/ban`)
      .set(as(moderator))
      .send({ reason: 'A cooling-off hour', until })
      .expect(200);
    await t.http.delete(`/api/moderation/users/${author.id}/ban`).set(as(moderator)).expect(204);
    await t.http
      .post(`/api/moderation/users/${author.id}/ban`)
      .set(as(moderator))
      .send({ reason: 'Again', until })
      .expect(200);

    const path = `/api/moderation/users/${author.id}/record`;
    const res = await t.http.get(path).set(as(moderator)).expect(200);
    assert.equal(res.body.user.id, author.id);
    assert.equal(res.body.removals, 2);
    assert.equal(res.body.bans, 2);
    assert.deepEqual(res.body.ban, { until, reason: 'Again' });
    const items = res.body.items as Entry[];
    assert.deepEqual(
      items.map((e) => e.action),
      ['user.ban', 'user.unban', 'user.ban', 'comment.restore', 'comment.remove', 'comment.remove'],
    );
    assert.deepEqual(
      items.filter((e) => e.action.startsWith('comment.')).map((e) => e.commentId),
      [ids[1], ids[1], ids[0]],
      'their comments only',
    );
    assert.ok(items.every((e) => !e.action.startsWith('user.') || e.userId === author.id));

    const paged = await all<Entry>(path, 4);
    assert.equal(paged.pages, 2);
    assert.deepEqual(
      paged.items.map((e) => e.id),
      items.map((e) => e.id),
      'every entry once, newest first, across the two halves of the record',
    );

    // Someone with no record: zeros and no ban.
    const clean = await t.http.get(`/api/moderation/users/${reader.id}/record`).set(as(moderator)).expect(200);
    assert.deepEqual([clean.body.removals, clean.body.bans, clean.body.ban, clean.body.items], [0, 0, null, []]);

    assertErrorBody(await t.http.get(path).set(as(author)), 403, 'the user themselves');
    assertErrorBody(await t.http.get(path).set(as(reader)), 403, 'a reader');
    assertErrorBody(await t.http.get(path), 401, 'anonymous');
  });
});
