import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AuthService } from '../src/auth/auth.service.js';
import { PASSWORD, newUser } from './helpers/accounts.js';
import { Follower } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

describe('accounts', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ env: { ADMIN_USERNAME: 'chief', ADMIN_PASSWORD: 'chief-password-1' } });
    await t.app.get(AuthService).ensureAdmin();
  });

  after(() => t.close());

  const register = (username: string, password = 'a long enough password', displayName?: string) =>
    t.http.post('/api/auth/register').send({ username, password, ...(displayName ? { displayName } : {}) });

  it('registers a reader and answers the user, a token and their own account settings, nothing else', async () => {
    const res = await register('margin_notes', 'a long enough password', 'Margin Notes');
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body).sort(), ['account', 'ban', 'token', 'user']);
    assert.deepEqual(res.body.account, {
      email: null,
      emailVerified: false,
      emailNotifications: 'instant',
      timeZone: null,
    });
    assert.equal(res.body.ban, null);
    assert.deepEqual(Object.keys(res.body.user).sort(), ['displayName', 'id', 'role', 'username']);
    assert.equal(res.body.user.role, 'reader');
    assert.equal(res.body.user.displayName, 'Margin Notes');
    assert.doesNotMatch(JSON.stringify(res.body), /argon|hash|password/i);
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${res.body.token}`).expect(200);
    assert.deepEqual(me.body, { user: res.body.user, ban: null, account: res.body.account });
  });

  it('tells a banned user of their own ban in /auth/me and at sign-in, and forgets it once lifted', async () => {
    const admin = await t.http
      .post('/api/auth/login')
      .send({ username: 'chief', password: 'chief-password-1' })
      .expect(200);
    const reader = await register('banned_reader');
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await t.http
      .post(`/api/moderation/users/${reader.body.user.id}/ban`)
      .set('Authorization', `Bearer ${admin.body.token}`)
      .send({ reason: 'spam, again', until })
      .expect(200);
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${reader.body.token}`).expect(200);
    assert.deepEqual(me.body.ban, { until, reason: 'spam, again' });
    const signIn = await t.http
      .post('/api/auth/login')
      .send({ username: 'banned_reader', password: 'a long enough password' })
      .expect(200);
    assert.deepEqual(signIn.body.ban, { until, reason: 'spam, again' });
    await t.http
      .delete(`/api/moderation/users/${reader.body.user.id}/ban`)
      .set('Authorization', `Bearer ${admin.body.token}`)
      .expect(204);
    const after = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${reader.body.token}`).expect(200);
    assert.equal(after.body.ban, null);
    // Nobody else learns of it: the user DTO everywhere stays the four public fields.
    assert.deepEqual(Object.keys(me.body.user).sort(), ['displayName', 'id', 'role', 'username']);
  });

  it('sets the time zone the digest is timed by: IANA names and aliases, the case corrected; null for UTC; 400 else', async () => {
    const reader = await newUser(t);
    const patch = (timeZone: unknown) =>
      t.http.patch('/api/auth/me').set('Authorization', `Bearer ${reader.token}`).send({ timeZone });
    for (const [sent, stored] of [
      ['Europe/Paris', 'Europe/Paris'],
      ['america/new_york', 'America/New_York'],
      ['Asia/Kolkata', 'Asia/Kolkata'],
      ['UTC', 'UTC'],
      [null, null],
    ]) {
      const res = await patch(sent).expect(200);
      assert.equal(res.body.account.timeZone, stored, String(sent));
    }
    await patch('Asia/Tokyo').expect(200);
    for (const bad of ['Mars/Olympus_Mons', '+05:30', 'Europe/Paris; DROP', '', 'x'.repeat(65), 42, ['UTC']]) {
      const res = await patch(bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.match(JSON.stringify(res.body.message), /timeZone/);
    }
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${reader.token}`).expect(200);
    assert.equal(me.body.account.timeZone, 'Asia/Tokyo', 'a refused value changes nothing');
  });

  it('stores an argon2id hash of the password and only a SHA-256 of the token', async () => {
    const res = await register('hash_check');
    const users: { password_hash: string }[] = await t.dataSource.query(
      'SELECT password_hash FROM users WHERE username = $1',
      ['hash_check'],
    );
    assert.match(users[0].password_hash, /^\$argon2id\$/);
    const sessions: { token_hash: string }[] = await t.dataSource.query(
      'SELECT token_hash FROM sessions WHERE user_id = $1',
      [res.body.user.id],
    );
    assert.deepEqual(
      sessions.map((s) => s.token_hash),
      [createHash('sha256').update(res.body.token).digest('hex')],
    );
  });

  it('keeps usernames unique case-insensitively, even when two sign up at once', async () => {
    assert.equal((await register('Dialectic')).status, 201);
    const taken = await register('dIALECTIC');
    assert.equal(taken.status, 409);
    assert.equal(taken.body.statusCode, 409);
    const racers = await Promise.all(Array.from({ length: 8 }, () => register('same_time')));
    assert.deepEqual(racers.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409]);
  });

  it('refuses usernames and passwords out of bounds with 400', async () => {
    for (const [username, password] of [
      ['ab', 'long enough password'],
      ['x'.repeat(33), 'long enough password'],
      ['has space', 'long enough password'],
      ['émile', 'long enough password'],
      ['fine_name', 'short'],
      ['fine_name', 'p'.repeat(257)],
    ]) {
      const res = await register(username, password);
      assert.equal(res.status, 400, `${username}/${password.length}`);
      assert.equal(res.body.statusCode, 400);
    }
  });

  it('refuses display names that hide characters to pass for someone else, with a 400 naming the field, storing nothing', async () => {
    const tricks: [string, string][] = [
      ['zero-width space', 'ad\u200bmin'],
      ['zero-width joiner', 'ad\u200dmin'],
      ['word joiner', 'ad\u2060min'],
      ['soft hyphen', 'ad\u00admin'],
      ['right-to-left override', '\u202enimda'],
      ['right-to-left isolate', 'admin\u2067x\u2069'],
      ['left-to-right mark', 'admin\u200e'],
      ['byte-order mark', 'ad\ufeffmin'],
      ['Hangul filler', 'admin\u3164'],
      ['no-break space', 'ad\u00a0min'],
      ['line separator', 'ad\u2028min'],
      ['C1 control', 'ad\u0085min'],
    ];
    for (const [i, [label, displayName]] of tricks.entries()) {
      const username = `hidden_trick_${i}`;
      const res = await register(username, 'a long enough password', displayName);
      assert.equal(res.status, 400, label);
      assert.match(
        JSON.stringify(res.body.message),
        /displayName must not contain invisible, formatting or control characters \(found U\+[0-9A-F]{4}\)/,
        label,
      );
      const stored: { n: number }[] = await t.dataSource.query(
        'SELECT count(*)::int AS n FROM users WHERE username_key = $1',
        [username],
      );
      assert.equal(stored[0].n, 0, `${label}: nothing stored`);
    }
    // The same names without the trick, and emoji (whose joiners and variation selectors are part of them), pass.
    assert.equal((await register('plain_admin_name', 'a long enough password', 'admin')).status, 201);
    const emoji = await register(
      'emoji_name',
      'a long enough password',
      'Ana \u2764\ufe0f \u{1f469}\u{1f3fd}\u200d\u{1f52c}',
    );
    assert.equal(emoji.status, 201);
    assert.equal(emoji.body.user.displayName, 'Ana \u2764\ufe0f \u{1f469}\u{1f3fd}\u200d\u{1f52c}');
  });

  it('signs in, and answers the same 401 for an unknown user and a wrong password', async () => {
    await register('returning_reader', 'my secret passage');
    const ok = await t.http
      .post('/api/auth/login')
      .send({ username: 'RETURNING_READER', password: 'my secret passage' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.user.username, 'returning_reader');
    const wrong = await t.http
      .post('/api/auth/login')
      .send({ username: 'returning_reader', password: 'not my passage' });
    const unknown = await t.http.post('/api/auth/login').send({ username: 'nobody_here', password: 'not my passage' });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
  });

  it('signs out: the token stops working at once, other sessions go on', async () => {
    const first = await register('two_devices');
    const second = await t.http
      .post('/api/auth/login')
      .send({ username: 'two_devices', password: 'a long enough password' })
      .expect(200);
    await t.http.post('/api/auth/logout').set('Authorization', `Bearer ${first.body.token}`).expect(204);
    assert.equal((await t.http.get('/api/auth/me').set('Authorization', `Bearer ${first.body.token}`)).status, 401);
    assert.equal(
      (await t.http.post('/api/auth/logout').set('Authorization', `Bearer ${first.body.token}`)).status,
      401,
    );
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${second.body.token}`).expect(200);
    assert.equal((await t.http.get('/api/auth/me')).status, 401);
  });

  it('ends a session when it expires', async () => {
    const res = await register('short_session');
    await t.dataSource.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      res.body.user.id,
    ]);
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${res.body.token}`);
    assert.equal(me.status, 401);
    assert.equal(me.body.statusCode, 401);
  });

  it('creates the first admin from the environment, once', async () => {
    await t.app.get(AuthService).ensureAdmin();
    const login = await t.http
      .post('/api/auth/login')
      .send({ username: 'chief', password: 'chief-password-1' })
      .expect(200);
    assert.equal(login.body.user.role, 'admin');
    const admins: { n: number }[] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM users WHERE username_key = 'chief'`,
    );
    assert.equal(admins[0].n, 1);
  });

  it('lets an admin change a role, and nobody else', async () => {
    const admin = await t.http
      .post('/api/auth/login')
      .send({ username: 'chief', password: 'chief-password-1' })
      .expect(200);
    const reader = await register('future_moderator');
    const res = await t.http
      .patch(`/api/admin/users/${reader.body.user.id}`)
      .set('Authorization', `Bearer ${admin.body.token}`)
      .send({ role: 'moderator' })
      .expect(200);
    assert.equal(res.body.user.role, 'moderator');
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${reader.body.token}`).expect(200);
    assert.equal(me.body.user.role, 'moderator', 'the new role applies to open sessions at once');
    const refused = await t.http
      .patch(`/api/admin/users/${admin.body.user.id}`)
      .set('Authorization', `Bearer ${reader.body.token}`)
      .send({ role: 'reader' });
    assert.equal(refused.status, 403);
    const badRole = await t.http
      .patch(`/api/admin/users/${reader.body.user.id}`)
      .set('Authorization', `Bearer ${admin.body.token}`)
      .send({ role: 'emperor' });
    assert.equal(badRole.status, 400);
    const nobody = await t.http
      .patch('/api/admin/users/987654321')
      .set('Authorization', `Bearer ${admin.body.token}`)
      .send({ role: 'reader' });
    assert.equal(nobody.status, 404);
  });

  it('makes real fixture accounts without a sign-up: they sign in with the shared password, their token works over HTTP and sockets', async () => {
    const fixture = await newUser(t, 'fixture_reader', { displayName: 'Fixture Reader' });
    const user = { id: fixture.id, username: 'fixture_reader', displayName: 'Fixture Reader', role: 'reader' };
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${fixture.token}`).expect(200);
    assert.deepEqual(me.body, {
      user,
      ban: null,
      account: { email: null, emailVerified: false, emailNotifications: 'instant', timeZone: null },
    });
    const sessions: { token_hash: string }[] = await t.dataSource.query(
      'SELECT token_hash FROM sessions WHERE user_id = $1',
      [fixture.id],
    );
    assert.deepEqual(
      sessions.map((s) => s.token_hash),
      [createHash('sha256').update(fixture.token).digest('hex')],
    );
    const signIn = await t.http
      .post('/api/auth/login')
      .send({ username: 'fixture_reader', password: PASSWORD })
      .expect(200);
    assert.deepEqual(signIn.body.user, user);
    const wrong = await t.http.post('/api/auth/login').send({ username: 'fixture_reader', password: `${PASSWORD}!` });
    assert.equal(wrong.status, 401);
    const live = await Follower.connect(t.baseUrl, fixture.token);
    live.close();
    await assert.rejects(Follower.connect(t.baseUrl, 'x'.repeat(43)), /unauthorized/);
  });
});
