import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Account, assertErrorBody, bearer, login, register } from './helpers/accounts.js';
import { Fixtures } from './helpers/fixtures.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { PRODUCTION_PASSWORD_HASHING } from './helpers/test-env.js';

describe('one budget of writes per user, whatever the write', () => {
  let t: TestApp;

  before(async () => {
    // A factor of 0.1: 12 writes a minute per user, 24 per address.
    t = await startTestApp({ env: { RATE_LIMIT_FACTOR: '0.1' } });
  });

  after(() => t.close());

  it('answers 429 to votes, edits, reports and deletes once comments have used up the user’s writes, and still reads', async () => {
    const fx = new Fixtures(t.app);
    const article = await fx.newArticle();
    const other = await fx.newComment({ article, body: 'Somebody else’s comment.' });
    const reader: Account = await register(t);
    const write = (body: string) =>
      t.http.post(`/api/articles/${article.slug}/comments`).set('Authorization', bearer(reader.token)).send({ body });
    const own: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await write(`comment ${i}`);
      assert.equal(res.status, 201, `comment ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      own.push(res.body.id as string);
    }
    const limited = await write('one too many');
    assertErrorBody(limited, 429, 'the 13th comment');
    const others = {
      vote: await t.http
        .put(`/api/comments/${other.id}/vote`)
        .set('Authorization', bearer(reader.token))
        .send({ value: 1 }),
      edit: await t.http
        .patch(`/api/comments/${own[0]}`)
        .set('Authorization', bearer(reader.token))
        .send({ body: 'edited' }),
      report: await t.http
        .post(`/api/comments/${other.id}/reports`)
        .set('Authorization', bearer(reader.token))
        .send({ reason: 'spam' }),
      delete: await t.http.delete(`/api/comments/${own[1]}`).set('Authorization', bearer(reader.token)),
    };
    for (const [what, res] of Object.entries(others)) {
      assertErrorBody(res, 429, what);
      assert.match(String(res.headers['retry-after']), /^[1-9]\d*$/, `${what}: Retry-After`);
    }
    const votes: { n: string }[] = await t.dataSource.query('SELECT count(*) AS n FROM votes WHERE comment_id = $1', [
      other.id,
    ]);
    assert.equal(Number(votes[0].n), 0, 'the refused vote was not counted');
    // Reading is not writing.
    await t.http.get(`/api/articles/${article.slug}/comments`).set('Authorization', bearer(reader.token)).expect(200);
  });
});

describe('sign-ins beyond the password-hashing queue', () => {
  let t: TestApp;

  before(async () => {
    // At the production cost: at the suites' cheap one, a hash ends before the next sign-in arrives.
    t = await startTestApp({ env: PRODUCTION_PASSWORD_HASHING });
  });

  after(() => t.close());

  it('answers 503 with Retry-After to the sign-ins a full queue cannot take, at once, and signs in again afterwards', async () => {
    const account = await register(t);
    const burst = await Promise.all(
      Array.from({ length: 60 }, () =>
        t.http.post('/api/auth/login').send({ username: account.username, password: account.password }),
      ),
    );
    const statuses = burst.map((res) => res.status);
    const ok = statuses.filter((s) => s === 200).length;
    const refused = burst.filter((res) => res.status === 503);
    assert.equal(ok + refused.length, burst.length, `only 200 or 503: ${statuses.join(',')}`);
    // Two hash at a time and sixteen wait: the first eighteen to arrive always get in.
    assert.ok(ok >= 18, `at least the queue's worth signs in: ${statuses.join(',')}`);
    assert.ok(refused.length > 0, `a burst of 60 overflows the queue: ${statuses.join(',')}`);
    for (const res of refused) {
      assertErrorBody(res, 503, 'refused sign-in');
      assert.match(String(res.headers['retry-after']), /^[1-9]\d*$/);
    }
    await login(t, account.username);
  });
});

describe('write budgets behind a trusted proxy', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: 'true' } });
  });

  after(() => t.close());

  it('counts a client whose X-Forwarded-For address is long text without a 500', async () => {
    const fx = new Fixtures(t.app);
    const article = await fx.newArticle();
    const reader = await register(t);
    for (const address of ['x'.repeat(300), `${'1234:'.repeat(100)}1`]) {
      const res = await t.http
        .post(`/api/articles/${article.slug}/comments`)
        .set('Authorization', bearer(reader.token))
        .set('X-Forwarded-For', address)
        .send({ body: 'through a proxy' });
      assert.equal(res.status, 201, `${address.slice(0, 20)}…: ${res.status} ${JSON.stringify(res.body)}`);
    }
  });
});
