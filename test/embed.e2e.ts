import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Account, bearer, newUser, sessionCookieOf } from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { Follower } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const BLOG = 'https://blog.example.org';
const MAGAZINE = 'http://localhost:4005';

/** The origins a CSP header's frame-ancestors directive names, in order. */
function frameAncestors(csp: string | undefined): string[] {
  const directive = (csp ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('frame-ancestors '));
  assert.ok(directive, `no frame-ancestors in ${csp}`);
  return directive.split(/\s+/).slice(1);
}

describe('the embedded discussion: who may frame it, and its sessions', () => {
  let t: TestApp;
  let essay: ArticleFixture;
  let reader: Account;

  before(async () => {
    t = await startTestApp({ env: { EMBED_ORIGINS: `${BLOG},${MAGAZINE}` } });
    essay = await new Fixtures(t.app).newArticle();
    reader = await newUser(t);
  });

  after(async () => {
    await t.close();
  });

  describe('framing policy', () => {
    it('lets exactly EMBED_ORIGINS frame /embed/articles/:slug, without an X-Frame-Options that would refuse them', async () => {
      for (const address of [`/embed/articles/${essay.slug}`, '/embed/articles/by-url?url=https%3A%2F%2Fx.org%2F']) {
        const res = await t.http.get(address);
        assert.equal(res.status, 200, address);
        assert.deepEqual(frameAncestors(res.headers['content-security-policy']), [BLOG, MAGAZINE], address);
        assert.equal(res.headers['x-frame-options'], undefined, address);
        assert.match(
          res.text,
          /<meta name="forum-embed-origins" content="https:\/\/blog\.example\.org http:\/\/localhost:4005" \/>/,
        );
      }
    });

    it('keeps every other page unframeable, the sign-in popup included', async () => {
      for (const address of ['/', `/articles/${essay.slug}`, '/moderation', '/sign-in']) {
        const res = await t.http.get(address);
        assert.equal(res.status, 200, address);
        assert.deepEqual(frameAncestors(res.headers['content-security-policy']), ["'none'"], address);
      }
      for (const address of ['/', `/articles/${essay.slug}`])
        assert.equal((await t.http.get(address)).headers['x-frame-options'], 'SAMEORIGIN', address);
    });

    it('lets the sign-in popup keep its opener, and only it and the frame', async () => {
      assert.equal((await t.http.get('/sign-in')).headers['cross-origin-opener-policy'], 'unsafe-none');
      assert.equal((await t.http.get('/')).headers['cross-origin-opener-policy'], 'same-origin');
    });

    it('serves /embed.js as a script other sites may load, kept briefly', async () => {
      const res = await t.http.get('/embed.js');
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'] ?? '', /^(text|application)\/javascript/);
      assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
      assert.equal(res.headers['cache-control'], 'public, max-age=300');
    });

    it('lets nobody frame anything when EMBED_ORIGINS is empty', async () => {
      const closed = await startTestApp();
      try {
        for (const address of [`/embed/articles/${essay.slug}`, '/', '/sign-in']) {
          const res = await closed.http.get(address);
          assert.deepEqual(frameAncestors(res.headers['content-security-policy']), ["'none'"], address);
        }
        const frame = await closed.http.get(`/embed/articles/${essay.slug}`);
        assert.match(frame.text, /<meta name="forum-embed-origins" content="" \/>/, 'the frame talks to no page');
      } finally {
        await closed.close();
      }
    });
  });

  describe('the frame’s bearer token (POST /api/auth/sessions)', () => {
    /** A cookie session as the popup has it: signed in on the forum's own page. */
    async function cookieOf(account: Account): Promise<string> {
      const res = await t.http.post('/api/auth/login').send({ username: account.username, password: account.password });
      assert.equal(res.status, 200);
      const cookie = sessionCookieOf(res.headers['set-cookie']);
      assert.ok(cookie);
      return cookie;
    }

    async function openFromPopup(cookie: string): Promise<string> {
      const res = await t.http.post('/api/auth/sessions').set('Cookie', cookie).set('Origin', t.baseUrl).send();
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.user.id, reader.id);
      assert.equal(typeof res.body.token, 'string');
      return res.body.token as string;
    }

    it('opens a session of its own for the signed-in popup, which the frame uses as a bearer token', async () => {
      const cookie = await cookieOf(reader);
      const token = await openFromPopup(cookie);
      assert.notEqual(`forum_session=${token}`, cookie);
      const me = await t.http.get('/api/auth/me').set('Authorization', bearer(token));
      assert.equal(me.status, 200);
      assert.equal(me.body.user.username, reader.username);
      // A write with the token and no Origin at all (a bearer header is never added by a browser on its own).
      const posted = await t.http
        .post(`/api/articles/${essay.slug}/comments`)
        .set('Authorization', bearer(token))
        .send({ body: 'Written inside the frame.' });
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      assert.equal(posted.body.author.id, reader.id);
    });

    it('refuses a cookie request from another site (CSRF) and a request without a session', async () => {
      const cookie = await cookieOf(reader);
      const forged = await t.http.post('/api/auth/sessions').set('Cookie', cookie).set('Origin', BLOG).send();
      assert.equal(forged.status, 403);
      assert.equal(forged.body.token, undefined);
      const anonymous = await t.http.post('/api/auth/sessions').set('Origin', t.baseUrl).send();
      assert.equal(anonymous.status, 401);
    });

    it('ends the frame’s session alone at its logout: the token stops at once, the popup’s cookie goes on', async () => {
      const cookie = await cookieOf(reader);
      const token = await openFromPopup(cookie);
      const out = await t.http.post('/api/auth/logout').set('Authorization', bearer(token)).send();
      assert.equal(out.status, 204);
      assert.equal((await t.http.get('/api/auth/me').set('Authorization', bearer(token))).status, 401);
      const write = await t.http
        .post(`/api/articles/${essay.slug}/comments`)
        .set('Authorization', bearer(token))
        .send({ body: 'After the logout.' });
      assert.equal(write.status, 401);
      assert.equal((await t.http.get('/api/auth/me').set('Cookie', cookie)).status, 200);
    });

    it('refuses the token once its session has expired, over HTTP and in a socket handshake', async () => {
      const token = await openFromPopup(await cookieOf(reader));
      assert.equal((await t.http.get('/api/auth/me').set('Authorization', bearer(token))).status, 200);
      // The session's end moved to the past, as time would: the same store and the same rule as a cookie's.
      await t.dataSource.query(
        `UPDATE sessions SET expires_at = now() - interval '1 second'
          WHERE id = (SELECT max(id) FROM sessions WHERE user_id = $1)`,
        [reader.id],
      );
      assert.equal((await t.http.get('/api/auth/me').set('Authorization', bearer(token))).status, 401);
      await assert.rejects(Follower.connect(t.baseUrl, token), /unauthorized/);
    });

    it('authenticates the frame’s live connection by the token, and closes it at the token’s logout', async () => {
      const token = await openFromPopup(await cookieOf(reader));
      const frame = await Follower.connect(t.baseUrl, token);
      try {
        assert.equal((await frame.join(essay.slug)).ok, true);
        // Someone replies to the reader: the reply reaches the frame's connection, which is the reader's.
        const own = await t.http
          .post(`/api/articles/${essay.slug}/comments`)
          .set('Authorization', bearer(token))
          .send({ body: 'A comment to answer.' });
        assert.equal(own.status, 201);
        const other = await newUser(t);
        const reply = await t.http
          .post(`/api/articles/${essay.slug}/comments`)
          .set('Authorization', bearer(other.token))
          .send({ body: 'An answer.', parentId: own.body.id });
        assert.equal(reply.status, 201);
        await frame.waitUntil((r) => r.event === 'reply.received', 'reply.received');
        const closed = new Promise<string>((resolve) => frame.socket.once('disconnect', resolve));
        assert.equal((await t.http.post('/api/auth/logout').set('Authorization', bearer(token)).send()).status, 204);
        assert.equal(await closed, 'io server disconnect');
      } finally {
        frame.close();
      }
    });
  });
});
