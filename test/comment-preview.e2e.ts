import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Account, assertErrorBody, bearer, newUser } from './helpers/accounts.js';
import { assertSafeHtml, XSS } from './helpers/hostile-strings.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

describe('POST /api/comments/preview', () => {
  let t: TestApp;
  let alice: Account;
  let bob: Account;

  const preview = (body: unknown, who: Account | null = alice) => {
    const request = t.http.post('/api/comments/preview');
    return (who ? request.set('Authorization', bearer(who.token)) : request).send({ body });
  };

  before(async () => {
    t = await startTestApp();
    alice = await newUser(t);
    bob = await newUser(t);
  });

  after(() => t.close());

  it('renders a body as a posted comment shows it, mentions linked, and writes nothing', async () => {
    const before = await t.dataSource.query('SELECT count(*)::int AS n FROM comments');
    const res = await preview(`Some **bold** words for @${bob.username} and @nobody_here.`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(
      res.body.html,
      `<p>Some <strong>bold</strong> words for <a href="/users/${bob.username}" class="mention">@${bob.username}</a> and @nobody_here.</p>`,
    );
    assert.deepEqual(await t.dataSource.query('SELECT count(*)::int AS n FROM comments'), before);
  });

  it('sanitises what it renders', async () => {
    for (const [label, body] of XSS) {
      const res = await preview(body);
      assert.equal(res.status, 200, `${label}: ${JSON.stringify(res.body)}`);
      assertSafeHtml(res.body.html as string, label);
    }
  });

  it('asks for a signed-in reader and a body a comment could have', async () => {
    assertErrorBody(await preview('words', null), 401, 'anonymous');
    assertErrorBody(await preview('   '), 400, 'blank');
    assertErrorBody(await preview('x'.repeat(10_001)), 400, 'too long');
    assertErrorBody(await preview(42), 400, 'not text');
  });
});
