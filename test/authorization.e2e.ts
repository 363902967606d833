import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type supertest from 'supertest';
import {
  type Account,
  ADMIN_ENV,
  assertErrorBody,
  bearer,
  newSession,
  newUser,
  sessionCookieOf,
  signInAdmin,
  withRole,
} from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

type Actor = 'anonymous' | 'reader' | 'author' | 'another reader' | 'moderator' | 'admin';
type SignedInActor = Exclude<Actor, 'anonymous'>;
const ACTORS: Actor[] = ['anonymous', 'reader', 'author', 'another reader', 'moderator', 'admin'];

type Res = supertest.Response;

/** The error code the app gives each status (the contract fixes the status and the body's shape). */
const ERROR_CODE: Record<number, string> = { 401: 'unauthenticated', 403: 'forbidden', 409: 'conflict' };

function assertError(res: Res, status: number, label: string): void {
  assertErrorBody(res, status, label);
  if (ERROR_CODE[status]) assert.equal(res.body.error, ERROR_CODE[status], label);
}

/** Every signed-in actor gets `signedIn`, anonymous gets 401, with exceptions per actor. */
function cells(signedIn: number, exceptions: Partial<Record<Actor, number>> = {}): Record<Actor, number> {
  const row = Object.fromEntries(ACTORS.map((a) => [a, a === 'anonymous' ? 401 : signedIn])) as Record<Actor, number>;
  return { ...row, ...exceptions };
}

describe('authorisation', () => {
  let t: TestApp;
  let fx: Fixtures;
  let article: ArticleFixture;
  let admin: Account;
  const accounts = {} as Record<SignedInActor, Account>;

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    fx = new Fixtures(t.app);
    article = await fx.newArticle();
    admin = await signInAdmin(t);
    accounts.admin = admin;
    accounts.moderator = await withRole(t, admin.token, 'moderator');
    accounts.reader = await newUser(t);
    accounts.author = await newUser(t);
    accounts['another reader'] = await newUser(t);
  });

  after(() => t.close());

  /** The request, signed in as the actor with a bearer token (anonymous: no credentials at all). */
  function as<T extends supertest.Test>(actor: Actor, request: T): T {
    return actor === 'anonymous' ? request : request.set('Authorization', bearer(accounts[actor].token));
  }

  /** A new visible comment by `author`, posted through the API: each cell acts on a comment of its own. */
  async function freshComment(on: ArticleFixture = article): Promise<string> {
    const res = await t.http
      .post(`/api/articles/${on.slug}/comments`)
      .set('Authorization', bearer(accounts.author.token))
      .send({ body: `A comment to act on ${randomBytes(3).toString('hex')}` });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  }

  /** The comment as a moderator sees it (body included whatever its status). */
  async function commentSeenByModerator(
    id: string,
  ): Promise<{ body: string | null; status: string; score: number; upvotes: number }> {
    const res = await t.http.get(`/api/comments/${id}`).set('Authorization', bearer(accounts.moderator.token));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.comment;
  }

  async function me(token: string): Promise<Res> {
    return t.http.get('/api/auth/me').set('Authorization', bearer(token));
  }

  interface Row {
    name: string;
    expected: Record<Actor, number>;
    /** Sets up fresh state for this cell, then sends the request as the actor. */
    act(actor: Actor): Promise<{ res: Res; target?: string; token?: string }>;
    /** What else must hold after the answer (success: the effect; refusal: nothing changed). */
    check?(actor: Actor, res: Res, cell: { target?: string; token?: string }): Promise<void>;
  }

  const rows: Row[] = [
    {
      name: 'POST /api/articles/:slug/comments',
      expected: cells(201),
      act: async (actor) => ({
        res: await as(actor, t.http.post(`/api/articles/${article.slug}/comments`)).send({
          body: `Posted by ${actor}`,
        }),
      }),
      check: async (actor, res) => {
        if (res.status !== 201) return;
        assert.equal(res.body.author.id, accounts[actor as SignedInActor].id);
        assert.equal(res.body.body, `Posted by ${actor}`);
        assert.equal(res.body.status, 'visible');
        assert.equal((await commentSeenByModerator(res.body.id as string)).body, `Posted by ${actor}`);
      },
    },
    {
      name: 'PATCH /api/comments/:id',
      expected: cells(403, { author: 200 }),
      act: async (actor) => {
        const target = await freshComment();
        return {
          target,
          res: await as(actor, t.http.patch(`/api/comments/${target}`)).send({ body: `Edited by ${actor}` }),
        };
      },
      check: async (actor, res, { target }) => {
        const seen = await commentSeenByModerator(target as string);
        if (res.status === 200) {
          assert.equal(res.body.body, `Edited by ${actor}`);
          assert.ok(res.body.editedAt, 'editedAt is set');
          assert.equal(seen.body, `Edited by ${actor}`);
        } else {
          assert.match(seen.body as string, /^A comment to act on/, 'a refused edit changes nothing');
        }
      },
    },
    {
      name: 'DELETE /api/comments/:id',
      expected: cells(403, { author: 204 }),
      act: async (actor) => {
        const target = await freshComment();
        return { target, res: await as(actor, t.http.delete(`/api/comments/${target}`)) };
      },
      check: async (_actor, res, { target }) => {
        const seen = await commentSeenByModerator(target as string);
        if (res.status === 204) {
          assert.equal(res.text, '');
          assert.equal(seen.status, 'deleted');
        } else {
          assert.equal(seen.status, 'visible', 'a refused delete changes nothing');
        }
      },
    },
    {
      name: 'PUT /api/comments/:id/vote',
      expected: cells(200, { author: 403 }),
      act: async (actor) => {
        const target = await freshComment();
        return { target, res: await as(actor, t.http.put(`/api/comments/${target}/vote`)).send({ value: 1 }) };
      },
      check: async (_actor, res, { target }) => {
        const seen = await commentSeenByModerator(target as string);
        if (res.status === 200) {
          assert.deepEqual(res.body, { score: 1, upvotes: 1, downvotes: 0, myVote: 1 });
          assert.equal(seen.upvotes, 1);
        } else {
          assert.equal(seen.upvotes, 0, 'a refused vote counts for nothing');
        }
      },
    },
    {
      name: 'POST /api/comments/:id/reports',
      expected: cells(201),
      act: async (actor) => {
        const target = await freshComment();
        return {
          target,
          res: await as(actor, t.http.post(`/api/comments/${target}/reports`)).send({ reason: 'spam' }),
        };
      },
      check: async (actor, res, { target }) => {
        if (res.status !== 201) return;
        assert.equal(res.body.commentId, target);
        assert.equal(res.body.reason, 'spam');
        // One report per reader per comment.
        const again = await as(actor, t.http.post(`/api/comments/${target}/reports`)).send({ reason: 'abuse' });
        assertError(again, 409, `${actor} reports the same comment twice`);
      },
    },
    {
      name: 'POST /api/auth/logout',
      expected: cells(204),
      act: async (actor) => {
        if (actor === 'anonymous') return { res: await t.http.post('/api/auth/logout') };
        // A session of its own, so that the actor's other cells keep theirs.
        const session = await newSession(t, accounts[actor]);
        return {
          token: session.token,
          res: await t.http.post('/api/auth/logout').set('Authorization', bearer(session.token)),
        };
      },
      check: async (actor, res, { token }) => {
        if (res.status !== 204) return;
        assertError(await me(token as string), 401, 'the token stops working at once');
        assertError(
          await t.http.post('/api/auth/logout').set('Authorization', bearer(token as string)),
          401,
          'a second logout',
        );
        assert.equal((await me(accounts[actor as SignedInActor].token)).status, 200, 'the user’s other sessions go on');
      },
    },
    {
      name: 'PATCH /api/admin/users/:id',
      expected: cells(403, { admin: 200 }),
      act: async (actor) => {
        const third = await newUser(t);
        return {
          target: third.id,
          token: third.token,
          res: await as(actor, t.http.patch(`/api/admin/users/${third.id}`)).send({ role: 'moderator' }),
        };
      },
      check: async (_actor, res, { target, token }) => {
        const role = (await me(token as string)).body.user.role as string;
        if (res.status === 200) {
          assert.equal(res.body.user.id, target);
          assert.equal(res.body.user.role, 'moderator');
          assert.equal(role, 'moderator', 'the new role applies to the user’s open session');
        } else {
          assert.equal(role, 'reader', 'a refused change changes nothing');
        }
      },
    },
    {
      name: 'POST /api/articles',
      expected: cells(403, { admin: 201 }),
      act: async (actor) => {
        const title = `An essay by ${actor} ${randomBytes(3).toString('hex')}`;
        return {
          target: title,
          res: await as(actor, t.http.post('/api/articles')).send({
            title,
            author: 'A. Writer',
            body: `# ${title}\n\nIts text.`,
          }),
        };
      },
      check: async (_actor, res, { target }) => {
        const published = await articlesTitled(target as string);
        if (res.status === 201) {
          assert.equal(res.body.title, target);
          assert.equal(published, 1);
          assert.equal((await t.http.get(`/api/articles/${res.body.slug}`)).status, 200);
        } else {
          assert.equal(published, 0, 'a refused essay is not published');
        }
      },
    },
  ];

  async function articlesTitled(title: string): Promise<number> {
    const rows: { n: number }[] = await t.dataSource.query('SELECT count(*)::int AS n FROM articles WHERE title = $1', [
      title,
    ]);
    return rows[0].n;
  }

  for (const row of rows) {
    describe(row.name, () => {
      for (const actor of ACTORS) {
        const status = row.expected[actor];
        it(`answers ${actor} with ${status}`, async () => {
          const { res, ...cell } = await row.act(actor);
          const label = `${row.name} as ${actor}`;
          if (status >= 400) assertError(res, status, label);
          else assert.equal(res.status, status, `${label}: ${JSON.stringify(res.body)}`);
          await row.check?.(actor, res, cell);
        });
      }
    });
  }

  describe('publishing an essay', () => {
    it('refuses a banned admin with 403, publishing nothing', async () => {
      const second = await withRole(t, admin.token, 'admin');
      const ban = await t.http
        .post(`/api/moderation/users/${second.id}/ban`)
        .set('Authorization', bearer(admin.token))
        .send({ reason: 'testing the role matrix' });
      assert.equal(ban.status, 200, JSON.stringify(ban.body));
      const title = `An essay by a banned admin ${randomBytes(3).toString('hex')}`;
      const res = await t.http
        .post('/api/articles')
        .set('Authorization', bearer(second.token))
        .send({ title, author: 'A. Writer', body: 'Its text.' });
      assertError(res, 403, 'banned admin publishes');
      assert.equal(await articlesTitled(title), 0);
    });
  });

  describe('changing roles', () => {
    it('refuses an admin changing their own role, with 403', async () => {
      const res = await t.http
        .patch(`/api/admin/users/${admin.id}`)
        .set('Authorization', bearer(admin.token))
        .send({ role: 'moderator' });
      assertError(res, 403, 'admin demotes themself');
      assert.equal((await me(admin.token)).body.user.role, 'admin');
    });

    it('refuses a moderator changing their own role, with 403', async () => {
      const { moderator } = accounts;
      const res = await t.http
        .patch(`/api/admin/users/${moderator.id}`)
        .set('Authorization', bearer(moderator.token))
        .send({ role: 'admin' });
      assertError(res, 403, 'moderator promotes themself');
      assert.equal((await me(moderator.token)).body.user.role, 'moderator');
    });

    it('answers an unknown user with 404 and an unknown role with 400', async () => {
      for (const id of ['987654321', 'abc', '0']) {
        const res = await t.http
          .patch(`/api/admin/users/${id}`)
          .set('Authorization', bearer(admin.token))
          .send({ role: 'moderator' });
        assertErrorBody(res, 404, `user ${id}`);
      }
      const third = await newUser(t);
      for (const body of [{ role: 'superuser' }, { role: 'Admin' }, {}, { role: 'moderator', extra: true }]) {
        const res = await t.http
          .patch(`/api/admin/users/${third.id}`)
          .set('Authorization', bearer(admin.token))
          .send(body);
        assertErrorBody(res, 400, JSON.stringify(body));
      }
    });
  });

  describe('bearer tokens', () => {
    async function expiredToken(): Promise<string> {
      const session = await newSession(t, accounts.reader);
      const hash = createHash('sha256').update(session.token).digest('hex');
      await t.dataSource.query(`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE token_hash = $1`, [
        hash,
      ]);
      return session.token;
    }

    async function loggedOutToken(): Promise<string> {
      const session = await newSession(t, accounts.reader);
      assert.equal((await t.http.post('/api/auth/logout').set('Authorization', bearer(session.token))).status, 204);
      return session.token;
    }

    it('answers an unknown, expired, revoked or garbage bearer token with 401, on a write and on a read', async () => {
      const headers: [string, string][] = [
        ['unknown token', bearer(randomBytes(32).toString('base64url'))],
        ['expired token', bearer(await expiredToken())],
        ['logged-out token', bearer(await loggedOutToken())],
        [
          'token with a character changed',
          bearer(`${accounts.reader.token.slice(0, -1)}${accounts.reader.token.endsWith('A') ? 'B' : 'A'}`),
        ],
        ['garbage token', 'Bearer !!!not-a-token!!!'],
        ['SQL as a token', "Bearer ' OR '1'='1"],
        ['two tokens', `Bearer ${accounts.reader.token} ${accounts.reader.token}`],
        ['no token after the scheme', 'Bearer'],
        ['another scheme', `Basic ${Buffer.from('admin:admin-password-for-tests').toString('base64')}`],
        ['the token without a scheme', accounts.reader.token],
        ['a very long token', bearer('a'.repeat(8000))],
      ];
      for (const [label, header] of headers) {
        const write = await t.http
          .post(`/api/articles/${article.slug}/comments`)
          .set('Authorization', header)
          .send({ body: 'Should not stand' });
        assertError(write, 401, `${label} on a write`);
        const read = await t.http.get('/api/articles').set('Authorization', header);
        assertError(read, 401, `${label} on a read`);
        assertError(await t.http.get('/api/auth/me').set('Authorization', header), 401, `${label} on /auth/me`);
      }
    });

    it('never accepts a token passed in the URL: the request is anonymous', async () => {
      const { token } = accounts.reader;
      for (const query of [
        `token=${token}`,
        `access_token=${token}`,
        `auth=${token}`,
        `session=${token}`,
        `forum_session=${token}`,
      ]) {
        const write = await t.http
          .post(`/api/articles/${article.slug}/comments?${query}`)
          .send({ body: 'A token in the URL' });
        assertError(write, 401, `write with ?${query.split('=')[0]}`);
        assertError(await t.http.get(`/api/auth/me?${query}`), 401, `/auth/me with ?${query.split('=')[0]}`);
        assertError(await t.http.post(`/api/auth/logout?${query}`), 401, `logout with ?${query.split('=')[0]}`);
      }
      assert.equal((await me(token)).status, 200, 'the token itself still works in its header');
    });

    it('does not take a token from the request body either', async () => {
      const res = await t.http
        .post(`/api/articles/${article.slug}/comments`)
        .send({ body: 'A token in the body', token: accounts.reader.token, access_token: accounts.reader.token });
      assertError(res, 401, 'token in the body');
    });
  });

  describe('a pending comment', () => {
    let moderated: ArticleFixture;
    let pendingId: string;

    before(async () => {
      moderated = await fx.newArticle();
      await t.http
        .patch(`/api/articles/${moderated.slug}/settings`)
        .set('Authorization', bearer(accounts.moderator.token))
        .send({ premoderation: true })
        .expect(200);
      const res = await t.http
        .post(`/api/articles/${moderated.slug}/comments`)
        .set('Authorization', bearer(accounts.author.token))
        .send({ body: 'Waiting for a moderator' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.status, 'pending');
      assert.equal(res.body.body, 'Waiting for a moderator');
      pendingId = res.body.id;
    });

    const requests: [string, (id: string) => (actor: Actor) => supertest.Test][] = [
      ['edit', (id) => (actor) => as(actor, t.http.patch(`/api/comments/${id}`)).send({ body: 'Edited' })],
      ['delete', (id) => (actor) => as(actor, t.http.delete(`/api/comments/${id}`))],
      ['vote', (id) => (actor) => as(actor, t.http.put(`/api/comments/${id}/vote`)).send({ value: 1 })],
      ['report', (id) => (actor) => as(actor, t.http.post(`/api/comments/${id}/reports`)).send({ reason: 'spam' })],
      [
        'reply',
        (id) => (actor) =>
          as(actor, t.http.post(`/api/articles/${moderated.slug}/comments`)).send({ body: 'A reply', parentId: id }),
      ],
      ['permalink', (id) => (actor) => as(actor, t.http.get(`/api/comments/${id}`))],
      ['history', (id) => (actor) => as(actor, t.http.get(`/api/comments/${id}/history`))],
      ['replies', (id) => (actor) => as(actor, t.http.get(`/api/comments/${id}/replies`))],
    ];

    for (const [what, request] of requests) {
      it(`is 404 for another reader on ${what}`, async () => {
        const res = await request(pendingId)('another reader');
        assertErrorBody(res, 404, `${what} of a pending comment by another reader`);
        assert.equal(res.body.error, 'comment_not_found');
      });
    }

    it('is 404 for an anonymous reader at its permalink, history and replies', async () => {
      for (const path of [
        `/api/comments/${pendingId}`,
        `/api/comments/${pendingId}/history`,
        `/api/comments/${pendingId}/replies`,
      ]) {
        assertErrorBody(await t.http.get(path), 404, path);
      }
    });

    it('is missing from the thread, and from its total, for another reader', async () => {
      const res = await as('another reader', t.http.get(`/api/articles/${moderated.slug}/comments?sort=new`)).expect(
        200,
      );
      assert.ok(!res.body.items.some((c: { id: string }) => c.id === pendingId));
      assert.equal(res.body.total, 0);
    });

    it('is visible to its author: permalink, history, thread', async () => {
      const permalink = await as('author', t.http.get(`/api/comments/${pendingId}`));
      assert.equal(permalink.status, 200, JSON.stringify(permalink.body));
      assert.equal(permalink.body.comment.status, 'pending');
      assert.equal(permalink.body.comment.body, 'Waiting for a moderator');
      const history = await as('author', t.http.get(`/api/comments/${pendingId}/history`));
      assert.equal(history.status, 200, JSON.stringify(history.body));
      assert.deepEqual(history.body.items, []);
      const thread = await as('author', t.http.get(`/api/articles/${moderated.slug}/comments?sort=new`)).expect(200);
      assert.ok(
        thread.body.items.some((c: { id: string }) => c.id === pendingId),
        'the author sees their pending comment in the thread',
      );
    });

    it('is visible to a moderator', async () => {
      const res = await as('moderator', t.http.get(`/api/comments/${pendingId}`));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.comment.body, 'Waiting for a moderator');
    });

    it('can be edited and deleted by its author', async () => {
      const own = await fx.newComment({
        article: moderated,
        authorId: accounts.author.id,
        status: 'pending',
        body: 'Pending, to edit',
      });
      const edited = await as('author', t.http.patch(`/api/comments/${own.id}`)).send({ body: 'Pending, edited' });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.body, 'Pending, edited');
      assert.equal(edited.body.status, 'pending');
      const history = await as('author', t.http.get(`/api/comments/${own.id}/history`)).expect(200);
      assert.deepEqual(
        history.body.items.map((v: { body: string }) => v.body),
        ['Pending, to edit'],
      );
      assert.equal((await as('author', t.http.delete(`/api/comments/${own.id}`))).status, 204);
    });
  });

  describe('cookie sessions and cross-site requests', () => {
    let cookieAccount: Account;
    let cookie: string;
    let ownOrigin: string;

    before(async () => {
      ownOrigin = t.baseUrl;
      const res = await t.http
        .post('/api/auth/register')
        .send({ username: `cookie-${randomBytes(3).toString('hex')}`, password: 'correct-horse-battery' });
      assert.equal(res.status, 201);
      cookieAccount = { ...res.body.user, token: res.body.token, password: 'correct-horse-battery' };
      cookie = sessionCookieOf(res.headers['set-cookie']) as string;
      assert.ok(cookie, 'register sets the session cookie');
    });

    function assertSessionCookie(setCookie: string | string[] | undefined, label: string): void {
      const lines = Array.isArray(setCookie) ? setCookie : [setCookie ?? ''];
      const line = lines.find((l) => l.startsWith('forum_session='));
      assert.ok(line, `${label}: no forum_session cookie in ${JSON.stringify(setCookie)}`);
      const attributes = line.split(';').map((a) => a.trim().toLowerCase());
      assert.ok(attributes.includes('httponly'), `${label}: HttpOnly in ${line}`);
      assert.ok(attributes.includes('samesite=lax'), `${label}: SameSite=Lax in ${line}`);
      assert.ok(attributes.includes('path=/'), `${label}: Path=/ in ${line}`);
    }

    async function commentsBy(userId: string): Promise<number> {
      const rows: { n: number }[] = await t.dataSource.query(
        'SELECT count(*)::int AS n FROM comments WHERE author_id = $1',
        [userId],
      );
      return rows[0].n;
    }

    function postWithCookie(headers: Record<string, string>, session = cookie): supertest.Test {
      let request = t.http.post(`/api/articles/${article.slug}/comments`).set('Cookie', session);
      for (const [name, value] of Object.entries(headers)) request = request.set(name, value);
      return request.send({ body: `Cookie write ${JSON.stringify(headers)}` });
    }

    it('sets an httpOnly, SameSite=Lax forum_session cookie at register and at login', async () => {
      const registered = await t.http
        .post('/api/auth/register')
        .send({ username: `cookie-${randomBytes(3).toString('hex')}`, password: 'correct-horse-battery' });
      assert.equal(registered.status, 201);
      assertSessionCookie(registered.headers['set-cookie'], 'register');
      const loggedIn = await t.http
        .post('/api/auth/login')
        .send({ username: cookieAccount.username, password: cookieAccount.password });
      assert.equal(loggedIn.status, 200);
      assertSessionCookie(loggedIn.headers['set-cookie'], 'login');
      assert.equal(sessionCookieOf(loggedIn.headers['set-cookie']), `forum_session=${loggedIn.body.token}`);
    });

    it('sets no cookie when register or login fail', async () => {
      const wrong = await t.http
        .post('/api/auth/login')
        .send({ username: cookieAccount.username, password: 'not-the-password' });
      assertError(wrong, 401, 'wrong password');
      assert.equal(sessionCookieOf(wrong.headers['set-cookie']), undefined);
      const taken = await t.http
        .post('/api/auth/register')
        .send({ username: cookieAccount.username, password: 'correct-horse-battery' });
      assertError(taken, 409, 'username taken');
      assert.equal(sessionCookieOf(taken.headers['set-cookie']), undefined);
    });

    it('reads with the cookie, without any Origin', async () => {
      const res = await t.http.get('/api/auth/me').set('Cookie', cookie);
      assert.equal(res.status, 200);
      assert.equal(res.body.user.id, cookieAccount.id);
    });

    it('accepts a cookie-authenticated write whose Origin is the app’s own', async () => {
      const res = await postWithCookie({ Origin: ownOrigin });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.author.id, cookieAccount.id);
    });

    it('takes the own origin from the Host header the request came with', async () => {
      const res = await postWithCookie({ Host: 'forum.example:8443', Origin: 'http://forum.example:8443' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    });

    it('accepts a cookie-authenticated write with no Origin but a Referer from the own origin', async () => {
      const res = await postWithCookie({ Referer: `${ownOrigin}/articles/${article.slug}?sort=new#c1` });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    });

    it('refuses a cookie-authenticated write from another origin, or from nowhere, with 403', async () => {
      const port = new URL(ownOrigin).port;
      const before = await commentsBy(cookieAccount.id);
      const cases: Record<string, string>[] = [
        { Origin: 'https://evil.example' },
        {},
        { Origin: 'null' },
        { Origin: `http://127.0.0.1:${Number(port) + 1}` },
        { Origin: `https://127.0.0.1:${port}` },
        { Origin: `http://127.0.0.1:${port}.evil.example` },
        { Origin: `http://evil.example/?http://127.0.0.1:${port}` },
        { Referer: 'https://evil.example/page' },
        { Referer: `https://evil.example/${ownOrigin}` },
        { Referer: 'not a url' },
        { Origin: 'https://evil.example', Referer: `${ownOrigin}/articles/${article.slug}` },
      ];
      for (const headers of cases) {
        const res = await postWithCookie(headers);
        assertError(res, 403, `cookie write with ${JSON.stringify(headers)}`);
      }
      assert.equal(await commentsBy(cookieAccount.id), before, 'no refused write left a comment');
    });

    it('refuses every cookie-authenticated write endpoint from another origin, changing nothing', async () => {
      const target = await freshComment();
      const third = await newUser(t);
      const adminCookie = `forum_session=${admin.token}`;
      const crossSiteTitle = `A cross-site essay ${randomBytes(3).toString('hex')}`;
      const attempts: [string, supertest.Test][] = [
        ['post', t.http.post(`/api/articles/${article.slug}/comments`).set('Cookie', cookie).send({ body: 'x' })],
        [
          'edit',
          t.http
            .patch(`/api/comments/${target}`)
            .set('Cookie', `forum_session=${accounts.author.token}`)
            .send({ body: 'Hijacked' }),
        ],
        ['delete', t.http.delete(`/api/comments/${target}`).set('Cookie', `forum_session=${accounts.author.token}`)],
        ['vote', t.http.put(`/api/comments/${target}/vote`).set('Cookie', cookie).send({ value: -1 })],
        ['report', t.http.post(`/api/comments/${target}/reports`).set('Cookie', cookie).send({ reason: 'spam' })],
        ['logout', t.http.post('/api/auth/logout').set('Cookie', cookie)],
        [
          'change role',
          t.http.patch(`/api/admin/users/${third.id}`).set('Cookie', adminCookie).send({ role: 'admin' }),
        ],
        [
          'publish an essay',
          t.http
            .post('/api/articles')
            .set('Cookie', adminCookie)
            .send({ title: crossSiteTitle, author: 'Evil', body: 'Forged.' }),
        ],
      ];
      for (const [what, request] of attempts) {
        assertError(await request.set('Origin', 'https://evil.example'), 403, `cross-site ${what}`);
      }
      const seen = await commentSeenByModerator(target);
      assert.equal(seen.status, 'visible');
      assert.match(seen.body as string, /^A comment to act on/);
      assert.equal(seen.score, 0);
      assert.equal(
        (await t.http.get('/api/auth/me').set('Cookie', cookie)).status,
        200,
        'the cookie session is still open',
      );
      assert.equal((await me(third.token)).body.user.role, 'reader');
      assert.equal(await articlesTitled(crossSiteTitle), 0, 'no cross-site essay was published');
    });

    it('publishes an essay with the admin’s cookie from the own origin', async () => {
      const title = `A same-origin essay ${randomBytes(3).toString('hex')}`;
      const res = await t.http
        .post('/api/articles')
        .set('Cookie', `forum_session=${admin.token}`)
        .set('Origin', ownOrigin)
        .send({ title, author: 'A. Writer', body: 'Its text.' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(await articlesTitled(title), 1);
    });

    it('needs no Origin for a bearer-token write, and ignores a foreign one', async () => {
      const bare = await t.http
        .post(`/api/articles/${article.slug}/comments`)
        .set('Authorization', bearer(cookieAccount.token))
        .send({ body: 'Bearer, no Origin' });
      assert.equal(bare.status, 201, JSON.stringify(bare.body));
      const foreign = await t.http
        .post(`/api/articles/${article.slug}/comments`)
        .set('Authorization', bearer(cookieAccount.token))
        .set('Origin', 'https://elsewhere.example')
        .send({ body: 'Bearer, foreign Origin' });
      assert.equal(foreign.status, 201, JSON.stringify(foreign.body));
    });

    it('answers a write with a stale cookie with 401', async () => {
      const res = await postWithCookie({ Origin: ownOrigin }, `forum_session=${randomBytes(32).toString('base64url')}`);
      assertError(res, 401, 'stale cookie');
    });

    it('logs out with the cookie from the own origin: the cookie is cleared and stops working', async () => {
      const session = await newSession(t, cookieAccount);
      const sessionCookie = `forum_session=${session.token}`;
      const res = await t.http.post('/api/auth/logout').set('Cookie', sessionCookie).set('Origin', ownOrigin);
      assert.equal(res.status, 204, JSON.stringify(res.body));
      const cleared = (res.headers['set-cookie'] as unknown as string[] | undefined)?.find((l) =>
        l.startsWith('forum_session='),
      );
      assert.ok(cleared && /expires=Thu, 01 Jan 1970/i.test(cleared), `the cookie is cleared: ${cleared}`);
      assertError(await t.http.get('/api/auth/me').set('Cookie', sessionCookie), 401, 'the logged-out cookie');
      assertError(
        await postWithCookie({ Origin: ownOrigin }, sessionCookie),
        401,
        'a write with the logged-out cookie',
      );
    });
  });
});
