import assert from 'node:assert/strict';
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
import { startTestApp, type TestApp } from './helpers/test-app.js';

/** Strings that look like ids but name no row PostgreSQL can hold, or are not written the one canonical way. */
const BAD_IDS = [
  '9223372036854775808', // int8's maximum + 1
  '99999999999999999999',
  '18446744073709551616',
  '0',
  '-1',
  '01',
  '1.0',
  '1e3',
  ' 1',
  '０１', // full-width digits
  '١٢', // Arabic-Indic digits
  '',
];

/** Strings that some ISO-8601 reading accepts but that are not an instant with a date, a time and an offset. */
const BAD_DATES = [
  '2099-W01-1', // week date
  '2099-365', // ordinal date
  '2099-02-30T00:00:00Z', // no such day
  '2099-13-01T00:00:00Z',
  '2099-01-01T24:00:01Z',
  '2099-01-01T00:00:00', // no offset: which instant?
  '2099-01-01T00:00:00+25:00',
  '+275760-09-13T00:00:00Z', // beyond what a Date holds
  '10000-01-01T00:00:00Z',
  '2099',
  'tomorrow',
  '',
];

describe('ids and dates: range-checked once, 400 for anything else, never 500', () => {
  let t: TestApp;
  let fx: Fixtures;
  let article: ArticleFixture;
  let writer: Account;
  let moderator: Account;
  let admin: Account;
  let target: Account;

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    fx = new Fixtures(t.app);
    article = await fx.newArticle();
    admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
    writer = await register(t);
    target = await register(t);
  });

  after(() => t.close());

  const postComment = (body: object) =>
    t.http.post(`/api/articles/${article.slug}/comments`).set('Authorization', bearer(writer.token)).send(body);

  it('answers a reply whose parentId is not an id within int8 with 400', async () => {
    for (const id of BAD_IDS)
      assertErrorBody(await postComment({ body: 'a reply', parentId: id }), 400, `parentId ${JSON.stringify(id)}`);
  });

  it('answers a quote whose commentId is not an id within int8 with 400', async () => {
    for (const id of BAD_IDS) {
      const res = await postComment({ body: 'a quote', quote: { source: 'comment', commentId: id, text: 'anything' } });
      assertErrorBody(res, 400, `quote.commentId ${JSON.stringify(id)}`);
    }
  });

  it('answers the moderation queue filtered by an articleId that is not an id within int8 with 400', async () => {
    for (const id of BAD_IDS) {
      const res = await t.http
        .get('/api/moderation/queue')
        .query({ articleId: id })
        .set('Authorization', bearer(moderator.token));
      assertErrorBody(res, 400, `articleId ${JSON.stringify(id)}`);
    }
  });

  it('still takes the largest id int8 holds (names nothing here: 404 or an empty list)', async () => {
    const max = '9223372036854775807';
    assertErrorBody(await postComment({ body: 'a reply', parentId: max }), 404, 'parentId max');
    const quote = await postComment({
      body: 'a quote',
      quote: { source: 'comment', commentId: max, text: 'anything' },
    });
    assertErrorBody(quote, 422, 'quote.commentId max');
    const queue = await t.http
      .get('/api/moderation/queue')
      .query({ articleId: max })
      .set('Authorization', bearer(moderator.token));
    assert.equal(queue.status, 200, JSON.stringify(queue.body));
    assert.deepEqual(queue.body.items, []);
  });

  it('answers a ban until a date that is not a full ISO-8601 instant with 400', async () => {
    for (const until of BAD_DATES) {
      const res = await t.http
        .post(`/api/moderation/users/${target.id}/ban`)
        .set('Authorization', bearer(moderator.token))
        .send({ reason: 'testing dates', until });
      assertErrorBody(res, 400, `until ${JSON.stringify(until)}`);
    }
    const me = await t.http.get('/api/auth/me').set('Authorization', bearer(target.token)).expect(200);
    assert.equal(me.body.ban, null, 'no bad date banned anyone');
  });

  it('takes a ban until a real instant with an offset, and answers it in UTC', async () => {
    const res = await t.http
      .post(`/api/moderation/users/${target.id}/ban`)
      .set('Authorization', bearer(moderator.token))
      .send({ reason: 'testing dates', until: '2099-01-01T02:00:00+02:00' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.until, '2099-01-01T00:00:00.000Z');
    await t.http
      .delete(`/api/moderation/users/${target.id}/ban`)
      .set('Authorization', bearer(moderator.token))
      .expect(204);
  });

  it('answers an essay published at a date that is not a full ISO-8601 instant with 400', async () => {
    for (const publishedAt of BAD_DATES) {
      const res = await t.http
        .post('/api/articles')
        .set('Authorization', bearer(admin.token))
        .send({ title: 'Dates', author: 'A. Writer', body: 'A paragraph.', publishedAt });
      assertErrorBody(res, 400, `publishedAt ${JSON.stringify(publishedAt)}`);
    }
  });

  it('answers ids out of range in paths with 404, never 500', async () => {
    const paths = [
      ['get', '/api/comments/9223372036854775808'],
      ['get', '/api/comments/9223372036854775808/replies'],
      ['get', '/api/comments/9223372036854775808/history'],
      ['patch', '/api/comments/9223372036854775808'],
      ['delete', '/api/comments/9223372036854775808'],
      ['put', '/api/comments/9223372036854775808/vote'],
      ['post', '/api/comments/9223372036854775808/reports'],
      ['post', '/api/moderation/comments/9223372036854775808/approve'],
      ['post', '/api/moderation/users/9223372036854775808/ban'],
      ['delete', '/api/moderation/users/9223372036854775808/ban'],
      ['patch', '/api/admin/users/9223372036854775808'],
    ] as const;
    const bodies: Record<string, object> = {
      patch: { body: 'x', role: 'moderator' },
      put: { value: 1 },
      post: { reason: 'spam' },
    };
    for (const [method, path] of paths) {
      const res = await t.http[method](path)
        .set('Authorization', bearer(admin.token))
        .send(bodies[method] ?? {});
      assert.ok(
        res.status === 404 || res.status === 400,
        `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`,
      );
      assertErrorBody(res, res.status, `${method} ${path}`);
    }
  });
});
