import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UnsubscribeLinks } from '../src/users/unsubscribe-links.js';
import { type Account, newSession, newUser, PASSWORD, uniqueName } from './helpers/accounts.js';
import { TestSmtp, tokenIn } from './helpers/smtp.js';
import { Follower } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const PUBLIC_URL = 'https://forum.example.org';

/**
 * The account's e-mail flows against a real SMTP server on a loopback port: verification, password change and reset,
 * one-click unsubscribe, and mail that outlives an SMTP outage, arriving once.
 */
describe('account e-mail', () => {
  let t: TestApp;
  let smtp: TestSmtp;

  before(async () => {
    smtp = await TestSmtp.start();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL } });
  });

  after(async () => {
    await t.close();
    await smtp.stop();
  });

  const auth = (account: Account) => ({ Authorization: `Bearer ${account.token}` });
  const address = (prefix: string) => `${uniqueName(prefix)}@example.org`;
  const setEmail = (account: Account, email: string | null) =>
    t.http.patch('/api/auth/me').set(auth(account)).send({ email });

  /** A reader whose address is verified through the mailed link. */
  async function verifiedUser(): Promise<{ account: Account; email: string }> {
    const account = await newUser(t);
    const email = address('verified');
    await setEmail(account, email).expect(200);
    const mail = await smtp.waitFor(email);
    await t.http
      .post('/api/auth/verify-email')
      .send({ token: tokenIn(mail.text, '/verify-email') })
      .expect(200);
    return { account, email };
  }

  it('mails a verification link to a new address, verifies it once, and shows the account to its owner alone', async () => {
    const account = await newUser(t, uniqueName('verifier'), { displayName: '<b>Bold</b> & "quoted"' });
    const email = `${uniqueName('Mixed')}@Example.org`;
    const changed = await setEmail(account, email).expect(200);
    assert.deepEqual(changed.body.account, {
      email,
      emailVerified: false,
      emailNotifications: 'instant',
      timeZone: null,
    });
    assert.equal(changed.body.user.id, account.id);

    const mail = await smtp.waitFor(email);
    assert.deepEqual(mail.parsed.from?.value, [{ name: 'Essay forum', address: 'no-reply@forum.example.org' }]);
    assert.match(mail.subject, /Confirm your e-mail address/);
    const token = tokenIn(mail.text, '/verify-email');
    assert.ok(mail.text.includes(`${PUBLIC_URL}/verify-email?token=${token}`), 'the plain-text part has the link');
    assert.ok(mail.html.includes(`href="${PUBLIC_URL}/verify-email?token=${token}"`), 'the HTML part links it');
    assert.ok(mail.html.includes('&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot;'), 'the display name is escaped');
    assert.ok(!mail.html.includes('<b>Bold'), 'no markup of the user gets into the HTML');

    const verified = await t.http.post('/api/auth/verify-email').send({ token }).expect(200);
    assert.deepEqual(verified.body.account, {
      email,
      emailVerified: true,
      emailNotifications: 'instant',
      timeZone: null,
    });
    const again = await t.http.post('/api/auth/verify-email').send({ token });
    assert.equal(again.status, 400, 'a link works once');

    const me = await t.http.get('/api/auth/me').set(auth(account)).expect(200);
    assert.deepEqual(me.body.account, { email, emailVerified: true, emailNotifications: 'instant', timeZone: null });
    const signIn = await t.http.post('/api/auth/login').send({ username: account.username, password: PASSWORD });
    assert.deepEqual(signIn.body.account, me.body.account);
  });

  it('kills the links mailed to an earlier address when the address changes', async () => {
    const account = await newUser(t);
    const first = address('first');
    const second = address('second');
    await setEmail(account, first).expect(200);
    const firstToken = tokenIn((await smtp.waitFor(first)).text, '/verify-email');
    await setEmail(account, second).expect(200);
    const secondToken = tokenIn((await smtp.waitFor(second)).text, '/verify-email');

    assert.equal((await t.http.post('/api/auth/verify-email').send({ token: firstToken })).status, 400);
    const verified = await t.http.post('/api/auth/verify-email').send({ token: secondToken }).expect(200);
    assert.equal(verified.body.account.email, second);
    assert.equal(verified.body.account.emailVerified, true);
  });

  it('mails the link again on request: the new link works, the earlier one no longer; nothing to resend is a 4xx', async () => {
    const account = await newUser(t);
    const email = address('resend');
    const resend = () => t.http.post('/api/auth/verify-email/resend').set(auth(account));
    assert.equal((await resend()).status, 400, 'no address yet');
    await setEmail(account, email).expect(200);
    const firstToken = tokenIn((await smtp.waitFor(email)).text, '/verify-email');
    await resend().expect(202);
    const secondToken = tokenIn((await smtp.waitFor(email, 2)).text, '/verify-email');
    assert.notEqual(secondToken, firstToken);
    assert.equal((await t.http.post('/api/auth/verify-email').send({ token: firstToken })).status, 400);
    await t.http.post('/api/auth/verify-email').send({ token: secondToken }).expect(200);
    assert.equal((await resend()).status, 409, 'verified already');
    assert.equal((await t.http.post('/api/auth/verify-email/resend')).status, 401);
  });

  it('refuses an address another account verified (409), and unknown or malformed tokens (400)', async () => {
    const { email } = await verifiedUser();
    const other = await newUser(t);
    const taken = await setEmail(other, email.toUpperCase());
    assert.equal(taken.status, 409);
    assert.equal((await t.http.post('/api/auth/verify-email').send({ token: 'x'.repeat(43) })).status, 400);
    assert.equal((await t.http.post('/api/auth/verify-email').send({ token: 'not a token' })).status, 400);
    assert.equal((await setEmail(other, 'not-an-address')).status, 400);
  });

  it('changes the password with the current one, ends every other session and closes its live connection', async () => {
    const account = await newUser(t);
    const other = await newSession(t, account);
    const live = await Follower.connect(t.baseUrl, other.token);
    try {
      const wrong = await t.http
        .post('/api/auth/password')
        .set(auth(account))
        .send({ currentPassword: 'not the password', newPassword: 'a brand new password' });
      assert.equal(wrong.status, 403);
      await t.http.get('/api/auth/me').set(auth(other)).expect(200);

      const closed = new Promise<string>((resolve) => live.socket.once('disconnect', (reason) => resolve(reason)));
      await t.http
        .post('/api/auth/password')
        .set(auth(account))
        .send({ currentPassword: PASSWORD, newPassword: 'a brand new password' })
        .expect(204);
      assert.equal(await closed, 'io server disconnect');
      assert.equal((await t.http.get('/api/auth/me').set(auth(other))).status, 401, 'the other session ended');
      await t.http.get('/api/auth/me').set(auth(account)).expect(200);
      await t.http
        .post('/api/auth/login')
        .send({ username: account.username, password: 'a brand new password' })
        .expect(200);
      assert.equal(
        (await t.http.post('/api/auth/login').send({ username: account.username, password: PASSWORD })).status,
        401,
      );
    } finally {
      live.socket.close();
    }
  });

  it('answers a reset request with the same 202 for any address and mails only a verified one', async () => {
    const unverified = await newUser(t);
    const unverifiedEmail = address('unverified');
    await setEmail(unverified, unverifiedEmail).expect(200);
    await smtp.waitFor(unverifiedEmail);
    const { account, email } = await verifiedUser();

    for (const asked of [address('nobody'), unverifiedEmail]) {
      const res = await t.http.post('/api/auth/password-reset').send({ email: asked });
      assert.equal(res.status, 202);
      assert.deepEqual(res.body, {});
    }
    const known = await t.http.post('/api/auth/password-reset').send({ email: email.toUpperCase() });
    assert.equal(known.status, 202);
    assert.deepEqual(known.body, {});
    const mail = await smtp.waitFor(email, 2);
    // The barrier: the verified address's mail came after the two other requests, and they mailed nothing.
    assert.equal(smtp.to(unverifiedEmail).length, 1, 'the unverified address got its verification mail only');
    assert.match(mail.subject, /Reset your password/);
    const token = tokenIn(mail.text, '/reset-password');
    assert.ok(mail.html.includes(`href="${PUBLIC_URL}/reset-password?token=${token}"`));

    const signedIn = await newSession(t, account);
    const tooShort = await t.http.post('/api/auth/password-reset/confirm').send({ token, password: 'short' });
    assert.equal(tooShort.status, 400);
    await t.http.get('/api/auth/me').set(auth(signedIn)).expect(200);
    await t.http.post('/api/auth/password-reset/confirm').send({ token, password: 'the reset password' }).expect(204);
    assert.equal((await t.http.get('/api/auth/me').set(auth(signedIn))).status, 401, 'every session ended');
    assert.equal((await t.http.get('/api/auth/me').set(auth(account))).status, 401);
    await t.http
      .post('/api/auth/login')
      .send({ username: account.username, password: 'the reset password' })
      .expect(200);
    const reused = await t.http.post('/api/auth/password-reset/confirm').send({ token, password: 'another password' });
    assert.equal(reused.status, 400, 'a reset link works once');
  });

  it('refuses an expired reset link', async () => {
    const { email } = await verifiedUser();
    await t.http.post('/api/auth/password-reset').send({ email }).expect(202);
    const token = tokenIn((await smtp.waitFor(email, 2)).text, '/reset-password');
    // An hour passes: the link's expiry is moved into the past rather than waited for.
    await t.dataSource.query(
      `UPDATE account_tokens SET expires_at = now() - interval '1 second'
        WHERE purpose = 'password-reset' AND token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [token],
    );
    const res = await t.http.post('/api/auth/password-reset/confirm').send({ token, password: 'too late now' });
    assert.equal(res.status, 400);
  });

  it('unsubscribes in one click without a session or an Origin, and shows a page with a button on GET', async () => {
    const { account, email } = await verifiedUser();
    const links = t.app.get(UnsubscribeLinks);
    const user = { id: account.id, emailKey: email.toLowerCase() };
    const url = await links.url(user);
    assert.ok(url.startsWith(`${PUBLIC_URL}/api/unsubscribe?token=`));
    assert.deepEqual(await links.headers(user), {
      'List-Unsubscribe': `<${url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    const path = url.slice(PUBLIC_URL.length);

    const page = await t.http.get(path).expect(200);
    assert.match(page.headers['content-type'], /^text\/html/);
    assert.match(page.headers['content-security-policy'], /default-src 'none'/);
    assert.match(page.text, /<form method="post" action="\?token=[^"]+"><button type="submit">Unsubscribe<\/button>/);
    assert.doesNotMatch(page.text, /<script/);
    assert.equal((await t.http.get('/api/auth/me').set(auth(account))).body.account.emailNotifications, 'instant');

    // What a mail client sends (RFC 8058): no cookie, no Origin, a form body.
    const posted = await t.http
      .post(path)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('List-Unsubscribe=One-Click');
    assert.equal(posted.status, 200);
    const me = await t.http.get('/api/auth/me').set(auth(account)).expect(200);
    assert.equal(me.body.account.emailNotifications, 'off');
    const json = await t.http.post(path).set('Accept', 'application/json').expect(200);
    assert.deepEqual(json.body, { emailNotifications: 'off' });

    const forged = `/api/unsubscribe?token=${account.id}.${'A'.repeat(43)}`;
    assert.equal((await t.http.get(forged)).status, 404);
    assert.equal((await t.http.post(forged)).status, 404);
    assert.equal((await t.http.post('/api/unsubscribe?token=nonsense')).status, 404);
    // A link is for one address: after a change of address, the old link names nobody.
    await setEmail(account, address('moved')).expect(200);
    assert.equal((await t.http.post(path)).status, 404);
  });

  it('documents the account routes in the OpenAPI document', async () => {
    const { paths } = (await t.http.get('/api/openapi.json').expect(200)).body;
    for (const [path, method] of [
      ['/api/auth/me', 'patch'],
      ['/api/auth/verify-email', 'post'],
      ['/api/auth/password', 'post'],
      ['/api/auth/password-reset', 'post'],
      ['/api/auth/password-reset/confirm', 'post'],
      ['/api/unsubscribe', 'get'],
      ['/api/unsubscribe', 'post'],
    ]) {
      assert.ok(paths[path]?.[method], `${method.toUpperCase()} ${path} is not documented`);
    }
  });

  it('mails one address at most 3 reset links an hour, whoever asks, and still answers 202', async () => {
    const strict = await startTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL, RATE_LIMIT_FACTOR: '1' } });
    try {
      const verify = async (email: string) => {
        const account = await newUser(strict);
        await strict.http.patch('/api/auth/me').set(auth(account)).send({ email }).expect(200);
        const token = tokenIn((await smtp.waitFor(email)).text, '/verify-email');
        await strict.http.post('/api/auth/verify-email').send({ token }).expect(200);
      };
      const flooded = address('flooded');
      const barrier = address('reset-barrier');
      await verify(flooded);
      await verify(barrier);
      for (let i = 0; i < 5; i++)
        await strict.http.post('/api/auth/password-reset').send({ email: flooded }).expect(202);
      await strict.http.post('/api/auth/password-reset').send({ email: barrier }).expect(202);
      await smtp.waitFor(barrier, 2);
      // The barrier's mail was queued after all five, on a queue that sends in order.
      assert.equal(smtp.to(flooded).length, 1 + 3, 'the verification mail and 3 reset mails');
    } finally {
      await strict.close();
    }
  });

  it('delivers a mail queued during an SMTP outage once the server accepts again, exactly once', async () => {
    const account = await newUser(t);
    const email = address('outage');
    smtp.refuse(true);
    try {
      await setEmail(account, email).expect(200);
      // The first attempt fails and is recorded (the job stays, with its error, for a retry after backoff).
      await eventually(async () => {
        const rows: { attempts: number; last_error: string | null }[] = await t.dataSource.query(
          `SELECT attempts, last_error FROM graphile_worker.jobs WHERE task_identifier = 'mail.send' AND locked_at IS NULL`,
        );
        return rows.some((row) => row.attempts >= 1 && row.last_error !== null);
      });
      assert.equal(smtp.to(email).length, 0);
    } finally {
      smtp.refuse(false);
    }
    await smtp.waitFor(email);
    // The barrier: a mail queued after the retry went out arrives after it; had the first been sent twice, the second
    // copy would stand before this one.
    const barrier = address('barrier');
    await setEmail(await newUser(t), barrier).expect(200);
    await smtp.waitFor(barrier);
    assert.equal(smtp.to(email).length, 1);
    // And nothing is left to send again: both jobs completed.
    await eventually(async () => {
      const rows: unknown[] = await t.dataSource.query(
        `SELECT 1 FROM graphile_worker.jobs WHERE task_identifier = 'mail.send'`,
      );
      return rows.length === 0;
    });
  });
});

/** Polls `check` every 50 ms until it holds (at most 10 s). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition did not come true in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
