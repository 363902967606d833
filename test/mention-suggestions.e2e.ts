import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Account, assertErrorBody, bearer, newUser } from './helpers/accounts.js';
import { Fixtures } from './helpers/fixtures.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface Suggestions {
  items: { id: string; username: string; displayName: string; role: string }[];
}

/** `GET /api/users/suggest?prefix=`: the names `@` autocomplete offers in the comment composer. */
describe('mention suggestions', () => {
  let t: TestApp;
  let reader: Account;

  const suggest = (prefix: string, who: Account | null = reader) => {
    const request = t.http.get(`/api/users/suggest?prefix=${encodeURIComponent(prefix)}`);
    return who ? request.set('Authorization', bearer(who.token)) : request;
  };
  const names = async (prefix: string) =>
    ((await suggest(prefix).expect(200)).body as Suggestions).items.map((u) => u.username);

  before(async () => {
    t = await startTestApp();
    reader = await newUser(t, 'zz_reader');
    for (const name of ['pen10', 'Pen02', 'pen09', 'pen01', 'PEN05', 'pen07', 'pen03', 'pen08', 'pen04', 'pen06'])
      await newUser(t, name, { displayName: `Display ${name}` });
    for (const name of ['ab_cd', 'abxcd', 'banned_now', 'banned_once', 'imported_author']) await newUser(t, name);
    await t.dataSource.query(`UPDATE users SET banned = true WHERE username = 'banned_now'`);
    await t.dataSource.query(
      `UPDATE users SET banned = true, banned_until = now() - interval '1 day' WHERE username = 'banned_once'`,
    );
    await t.dataSource.query(`UPDATE users SET password_hash = NULL WHERE username = 'imported_author'`);
  });

  after(() => t.close());

  it('offers at most 8 usernames that start with the prefix, in any case, alphabetical', async () => {
    assert.deepEqual(await names('pen'), ['pen01', 'Pen02', 'pen03', 'pen04', 'PEN05', 'pen06', 'pen07', 'pen08']);
    assert.deepEqual(await names('PEN0'), ['pen01', 'Pen02', 'pen03', 'pen04', 'PEN05', 'pen06', 'pen07', 'pen08']);
    assert.deepEqual(await names('pen1'), ['pen10']);
    assert.deepEqual(await names('pen10'), ['pen10'], 'a name typed in full');
    assert.deepEqual(await names('nobody-by-that-name'), []);
    const [first] = ((await suggest('pen01').expect(200)).body as Suggestions).items;
    assert.deepEqual(Object.keys(first).sort(), ['displayName', 'id', 'role', 'username'], 'the public user, no more');
    assert.equal(first.displayName, 'Display pen01');
  });

  it('never offers the one asking', async () => {
    assert.deepEqual(await names('zz_'), [], 'the reader, asking');
    const other = await newUser(t, 'zz_other');
    assert.deepEqual(await names('zz_'), ['zz_other']);
    const theirs = (await suggest('zz_', other).expect(200)).body as Suggestions;
    assert.deepEqual(
      theirs.items.map((u) => u.username),
      ['zz_reader'],
    );
  });

  it('takes `_` as itself, not as a wildcard', async () => {
    assert.deepEqual(await names('ab_'), ['ab_cd']);
    assert.deepEqual(await names('ab'), ['ab_cd', 'abxcd']);
  });

  it('leaves out users under a ban in force and accounts that cannot sign in', async () => {
    assert.deepEqual(await names('banned'), ['banned_once'], 'a ban that ended does not count');
    assert.deepEqual(await names('imported'), []);
  });

  it('refuses a prefix out of bounds or with other characters (400), and anonymous readers (401)', async () => {
    for (const bad of ['p', 'x'.repeat(31), 'pe n', 'pe%', "pe'", 'pé', '@pen']) {
      const res = await suggest(bad);
      assertErrorBody(res, 400, JSON.stringify(bad));
      assert.match(JSON.stringify(res.body.message), /prefix/);
    }
    assertErrorBody(await t.http.get('/api/users/suggest').set('Authorization', bearer(reader.token)), 400, 'none');
    assertErrorBody(
      await t.http.get('/api/users/suggest?prefix=pen&prefix=pe').set('Authorization', bearer(reader.token)),
      400,
      'twice',
    );
    assertErrorBody(await suggest('pen', null), 401, 'anonymous');
  });
});

describe('mention suggestions’ rate limit', () => {
  let t: TestApp;

  before(async () => {
    // 120 lookups and 120 writes a minute, times 0.05: 6 of each.
    t = await startTestApp({ env: { RATE_LIMIT_FACTOR: '0.05' } });
  });

  after(() => t.close());

  it('answers 429 with Retry-After past its own budget, which the writes do not share', async () => {
    const reader = await newUser(t, 'typist');
    const article = await new Fixtures(t.app).newArticle();
    for (let i = 0; i < 6; i++)
      await t.http.get('/api/users/suggest?prefix=ty').set('Authorization', bearer(reader.token)).expect(200);
    const refused = await t.http.get('/api/users/suggest?prefix=ty').set('Authorization', bearer(reader.token));
    assertErrorBody(refused, 429, 'the seventh lookup');
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    await t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set('Authorization', bearer(reader.token))
      .send({ body: 'Typing did not spend my writes.' })
      .expect(201);
  });
});
