import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { type Account, ADMIN_ENV, bearer, newSession, newUser, signInAdmin, withRole } from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

/** Who is on the other end of a socket, and how it presented itself. */
type Actor =
  | 'anonymous'
  | 'reader'
  | 'author'
  | 'author by cookie'
  | 'moderator'
  | 'admin'
  | 'banned reader'
  | 'banned moderator'
  | 'tokens in the URL'
  | 'cookie from another origin'
  | 'cookie with no origin';

const ACTORS: Actor[] = [
  'anonymous',
  'reader',
  'author',
  'author by cookie',
  'moderator',
  'admin',
  'banned reader',
  'banned moderator',
  'tokens in the URL',
  'cookie from another origin',
  'cookie with no origin',
];

const AUTHOR: Actor[] = ['author', 'author by cookie'];
const MODERATORS: Actor[] = ['moderator', 'admin'];

const UNAUTHORIZED = 'unauthorized: the token is unknown or has expired';

interface Received {
  event: string;
  payload: Record<string, unknown>;
}

type Options = Partial<ManagerOptions & SocketOptions>;

/** A connection that records what it receives; `mark()` and `since(mark)` cut out what one probe caused. */
class Line {
  readonly received: Received[] = [];

  constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: Record<string, unknown>) => this.received.push({ event, payload }));
  }

  mark(): number {
    return this.received.length;
  }

  since(mark: number): Received[] {
    return this.received.slice(mark);
  }

  async join(slug: string): Promise<Record<string, unknown>> {
    return (await this.socket.timeout(5_000).emitWithAck('join', { article: slug })) as Record<string, unknown>;
  }

  /** Waits until an event of that name whose payload matches has arrived. */
  async waitFor(event: string, match: (payload: Record<string, unknown>) => boolean): Promise<Received> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const found = this.received.find((r) => r.event === event && match(r.payload));
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no matching ${event}: got ${JSON.stringify(this.received.map((r) => r.event))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** What became of a connection attempt. */
type Outcome = { kind: 'connected'; socket: Socket } | { kind: 'refused'; message: string };

/** The promise's value, or a failure naming what did not happen within `ms`. */
function within<T>(promise: Promise<T>, what: string, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A payload about this comment: `{ comment: { id } }` or `{ commentId }`. */
const about = (id: string) => (payload: Record<string, unknown>) =>
  (payload.comment as { id?: string } | undefined)?.id === id || payload.commentId === id;

describe('socket authorisation', () => {
  let t: TestApp;
  let fx: Fixtures;
  let admin: Account;
  let room: ArticleFixture;
  let held: ArticleFixture;
  /** Writes what the probes need; never one of the actors. */
  let writer: Account;
  const accounts = {} as Record<'reader' | 'author' | 'moderator' | 'banned reader' | 'banned moderator', Account>;
  const lines = {} as Record<Actor, Line>;
  const opened: Socket[] = [];

  function attempt(options: Options): Promise<Outcome> {
    const socket = io(t.baseUrl, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
    opened.push(socket);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no outcome within 5 s')), 5_000);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve({ kind: 'connected', socket });
      });
      socket.once('connect_error', (error) => {
        clearTimeout(timer);
        socket.close();
        resolve({ kind: 'refused', message: error.message });
      });
    });
  }

  async function open(options: Options): Promise<Line> {
    const outcome = await attempt(options);
    assert.equal(outcome.kind, 'connected', outcome.kind === 'refused' ? outcome.message : '');
    return new Line((outcome as { socket: Socket }).socket);
  }

  const withToken = (token: string): Options => ({ auth: { token } });
  const withCookie = (token: string, origin?: string): Options => ({
    extraHeaders: origin ? { cookie: `forum_session=${token}`, origin } : { cookie: `forum_session=${token}` },
  });

  /** How each actor connects. */
  function optionsOf(actor: Actor): Options {
    switch (actor) {
      case 'anonymous':
        return {};
      case 'reader':
      case 'author':
      case 'moderator':
      case 'banned reader':
      case 'banned moderator':
        return withToken(accounts[actor].token);
      case 'admin':
        return withToken(admin.token);
      case 'author by cookie':
        return withCookie(accounts.author.token, t.baseUrl);
      case 'tokens in the URL':
        // Every name a token might go by, with the tokens of users who get private events.
        return {
          query: {
            token: accounts.author.token,
            access_token: accounts.moderator.token,
            auth: admin.token,
            forum_session: accounts.author.token,
          },
        };
      case 'cookie from another origin':
        return withCookie(accounts.moderator.token, 'https://evil.example');
      case 'cookie with no origin':
        return withCookie(accounts.author.token);
    }
  }

  async function post(who: Account, slug: string, body: object): Promise<{ id: string; status: string }> {
    const res = await t.http.post(`/api/articles/${slug}/comments`).set('Authorization', bearer(who.token)).send(body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  }

  async function moderate(action: string, path: string, body: object = {}): Promise<void> {
    const res = await t.http.post(path).set('Authorization', bearer(admin.token)).send(body);
    assert.ok(res.status === 200 || res.status === 204, `${action}: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /**
   * The positive control after a probe: a visible comment in the room every actor follows. Events reach a socket in
   * the order the server sent them, so once every line has it, anything the probe sent them has arrived too.
   */
  async function everyLineCaughtUp(): Promise<void> {
    const marker = await post(writer, room.slug, { body: `Marker ${randomBytes(4).toString('hex')}` });
    await Promise.all(ACTORS.map((actor) => lines[actor].waitFor('comment.created', about(marker.id))));
  }

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    fx = new Fixtures(t.app);
    admin = await signInAdmin(t);
    room = await fx.newArticle();
    held = await fx.newArticle();
    await t.dataSource.query('UPDATE articles SET premoderation = true WHERE id = $1', [held.id]);
    writer = await newUser(t);
    accounts.reader = await newUser(t);
    accounts.author = await newUser(t);
    accounts.moderator = await withRole(t, admin.token, 'moderator');
    accounts['banned reader'] = await newUser(t);
    accounts['banned moderator'] = await withRole(t, admin.token, 'moderator');
    for (const banned of [accounts['banned reader'], accounts['banned moderator']]) {
      await moderate('ban', `/api/moderation/users/${banned.id}/ban`, { reason: 'For the tests' });
    }
    for (const actor of ACTORS) lines[actor] = await open(optionsOf(actor));
    for (const actor of ACTORS) {
      for (const slug of [room.slug, held.slug])
        assert.equal((await lines[actor].join(slug)).ok, true, `${actor} joins`);
    }
  });

  after(async () => {
    for (const socket of opened) socket.close();
    await t.close();
  });

  describe('who may connect', () => {
    for (const actor of ACTORS) {
      it(`lets ${actor} connect`, () => {
        assert.equal(lines[actor].socket.connected, true);
      });
    }

    const refused: [string, () => Options | Promise<Options>][] = [
      ['an unknown token', () => withToken(randomBytes(32).toString('base64url'))],
      [
        'an expired token',
        async () => {
          const session = await newSession(t, accounts.reader);
          const hash = createHash('sha256').update(session.token).digest('hex');
          await t.dataSource.query(
            `UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE token_hash = $1`,
            [hash],
          );
          return withToken(session.token);
        },
      ],
      [
        'a logged-out token',
        async () => {
          const session = await newSession(t, accounts.moderator);
          const res = await t.http.post('/api/auth/logout').set('Authorization', bearer(session.token));
          assert.equal(res.status, 204);
          return withToken(session.token);
        },
      ],
      [
        'a token with a character changed',
        () => withToken(`${admin.token.slice(0, -1)}${admin.token.endsWith('A') ? 'B' : 'A'}`),
      ],
      ['a token as a number', () => ({ auth: { token: 12345 } })],
    ];
    for (const [label, options] of refused) {
      it(`refuses ${label}, with a fixed message`, async () => {
        const outcome = await attempt(await options());
        assert.equal(outcome.kind, 'refused');
        assert.equal((outcome as { message: string }).message, UNAUTHORIZED);
      });
    }

    it('refuses a bad token even with a good cookie beside it', async () => {
      const outcome = await attempt({ ...withToken('x'.repeat(43)), ...withCookie(accounts.author.token, t.baseUrl) });
      assert.equal(outcome.kind, 'refused');
    });
  });

  describe('who may follow an article', () => {
    for (const actor of ACTORS) {
      it(`lets ${actor} follow any article, and answers an unknown one with No such article.`, async () => {
        const other = await fx.newArticle();
        const ack = await lines[actor].join(other.slug);
        assert.equal(ack.ok, true, JSON.stringify(ack));
        assert.equal(typeof ack.seq, 'number');
        assert.deepEqual(ack.missed, []);
        assert.deepEqual(await lines[actor].join('no-such-article'), { ok: false, error: 'No such article.' });
        assert.deepEqual(await lines[actor].socket.timeout(5_000).emitWithAck('leave', { article: other.slug }), {
          ok: true,
        });
      });
    }
  });

  interface Expectation {
    event: string;
    /** Who gets it; everyone else must not. */
    to: Actor[] | 'everyone';
    /** Which payload of that name this probe is about. */
    match(payload: Record<string, unknown>): boolean;
    /** What else the received payload must hold. */
    check?(payload: Record<string, unknown>): void;
  }

  interface Probe {
    name: string;
    /** Runs before the cut: state the probe needs, whose events are not the probe's. */
    setup?(): Promise<void>;
    act(): Promise<void>;
    expect(): Expectation[];
    /** A text that only these actors may see in anything the probe sent them. */
    secret?(): { text: string; seenBy: Actor[] };
  }

  const state = {} as {
    visible: { id: string; body: string };
    pending: { id: string; body: string };
    reported: { id: string };
    parent: { id: string };
    reply: { id: string; body: string };
    removed: { id: string; body: string };
  };
  const comment = (payload: Record<string, unknown>) =>
    payload.comment as { id: string; body: string | null; status: string; html: string | null };

  const probes: Probe[] = [
    {
      name: 'a visible comment is posted',
      act: async () => {
        const body = `Visible ${randomBytes(4).toString('hex')}`;
        state.visible = { id: (await post(writer, room.slug, { body })).id, body };
      },
      expect: () => [
        {
          event: 'comment.created',
          to: 'everyone',
          match: about(state.visible.id),
          check: (p) => {
            assert.equal(comment(p).body, state.visible.body);
            assert.equal(typeof p.seq, 'number', 'a room event is numbered');
          },
        },
        { event: 'reply.received', to: [], match: about(state.visible.id) },
        { event: 'moderation.queued', to: [], match: about(state.visible.id) },
      ],
    },
    {
      name: 'the author posts a comment that waits for a moderator',
      act: async () => {
        const body = `Pending ${randomBytes(4).toString('hex')}`;
        const posted = await post(accounts.author, held.slug, { body });
        assert.equal(posted.status, 'pending');
        state.pending = { id: posted.id, body };
      },
      expect: () => [
        {
          event: 'comment.created',
          to: AUTHOR,
          match: about(state.pending.id),
          check: (p) => {
            assert.equal(p.seq, null, 'the author’s copy is not a room event');
            assert.equal(comment(p).status, 'pending');
            assert.equal(comment(p).body, state.pending.body);
          },
        },
        {
          event: 'moderation.queued',
          to: MODERATORS,
          match: about(state.pending.id),
          check: (p) => assert.equal(comment(p).body, state.pending.body),
        },
      ],
      secret: () => ({ text: state.pending.body, seenBy: [...AUTHOR, ...MODERATORS] }),
    },
    {
      name: 'a visible comment is reported',
      setup: async () => {
        state.reported = await post(writer, room.slug, { body: `To report ${randomBytes(4).toString('hex')}` });
      },
      act: async () => {
        const res = await t.http
          .post(`/api/comments/${state.reported.id}/reports`)
          .set('Authorization', bearer(accounts.reader.token))
          .send({ reason: 'abuse', note: 'Reported in the socket matrix' });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      },
      expect: () => [{ event: 'moderation.queued', to: MODERATORS, match: about(state.reported.id) }],
      secret: () => ({ text: 'Reported in the socket matrix', seenBy: MODERATORS }),
    },
    {
      name: 'someone replies to the author',
      setup: async () => {
        state.parent = await post(accounts.author, room.slug, { body: `Answer me ${randomBytes(4).toString('hex')}` });
      },
      act: async () => {
        const body = `A reply ${randomBytes(4).toString('hex')}`;
        state.reply = { id: (await post(writer, room.slug, { body, parentId: state.parent.id })).id, body };
      },
      expect: () => [
        {
          event: 'reply.received',
          to: AUTHOR,
          match: about(state.reply.id),
          check: (p) => assert.equal(comment(p).body, state.reply.body),
        },
        { event: 'comment.created', to: 'everyone', match: about(state.reply.id) },
      ],
    },
    {
      name: 'a moderator approves the pending comment',
      act: () => moderate('approve', `/api/moderation/comments/${state.pending.id}/approve`),
      expect: () => [
        {
          event: 'comment.created',
          to: 'everyone',
          match: about(state.pending.id),
          check: (p) => {
            assert.equal(typeof p.seq, 'number', 'now a room event');
            assert.equal(comment(p).status, 'visible');
            assert.equal(comment(p).body, state.pending.body);
          },
        },
      ],
    },
    {
      name: 'a moderator removes a visible comment',
      setup: async () => {
        const body = `Soon removed ${randomBytes(4).toString('hex')}`;
        state.removed = { id: (await post(writer, room.slug, { body })).id, body };
      },
      act: () => moderate('remove', `/api/moderation/comments/${state.removed.id}/remove`, { reason: 'Abusive' }),
      expect: () => [
        {
          event: 'comment.removed',
          to: 'everyone',
          match: about(state.removed.id),
          check: (p) => assert.ok(!JSON.stringify(p).includes(state.removed.body), 'no body in comment.removed'),
        },
      ],
      secret: () => ({ text: state.removed.body, seenBy: [] }),
    },
    {
      name: 'a moderator changes the article’s settings',
      act: async () => {
        const res = await t.http
          .patch(`/api/articles/${room.slug}/settings`)
          .set('Authorization', bearer(admin.token))
          .send({ slowModeSeconds: 0 });
        assert.equal(res.status, 200, JSON.stringify(res.body));
      },
      expect: () => [
        {
          event: 'article.updated',
          to: 'everyone',
          match: (p) => p.articleId === room.id,
          check: (p) => assert.deepEqual((p.settings as { slowModeSeconds: number }).slowModeSeconds, 0),
        },
      ],
    },
    {
      name: 'a moderator bans the reader, then lifts the ban',
      act: async () => {
        await moderate('ban', `/api/moderation/users/${accounts.reader.id}/ban`, { reason: 'Matrix ban' });
        const res = await t.http
          .delete(`/api/moderation/users/${accounts.reader.id}/ban`)
          .set('Authorization', bearer(admin.token));
        assert.equal(res.status, 204, JSON.stringify(res.body));
      },
      expect: () => [
        {
          event: 'user.banned',
          to: ['reader'],
          match: () => true,
          check: (p) => assert.deepEqual([p.reason, p.until], ['Matrix ban', null]),
        },
        { event: 'user.unbanned', to: ['reader'], match: () => true },
      ],
      secret: () => ({ text: 'Matrix ban', seenBy: ['reader'] }),
    },
  ];

  for (const probe of probes) {
    describe(`when ${probe.name}`, () => {
      const got = {} as Record<Actor, Received[]>;

      before(async () => {
        await probe.setup?.();
        await everyLineCaughtUp();
        const marks = Object.fromEntries(ACTORS.map((actor) => [actor, lines[actor].mark()])) as Record<Actor, number>;
        await probe.act();
        await everyLineCaughtUp();
        for (const actor of ACTORS) got[actor] = lines[actor].since(marks[actor]);
      });

      for (const actor of ACTORS) {
        const expectations = () => probe.expect();
        it(`sends ${actor} exactly what they may have`, () => {
          for (const expectation of expectations()) {
            const receives = expectation.to === 'everyone' || expectation.to.includes(actor);
            const matching = got[actor].filter((r) => r.event === expectation.event && expectation.match(r.payload));
            assert.equal(
              matching.length,
              receives ? 1 : 0,
              `${actor} ${receives ? 'gets' : 'must not get'} ${expectation.event}: got ${JSON.stringify(got[actor].map((r) => r.event))}`,
            );
            for (const received of matching) expectation.check?.(received.payload);
          }
          const secret = probe.secret?.();
          if (secret && !secret.seenBy.includes(actor)) {
            assert.ok(!JSON.stringify(got[actor]).includes(secret.text), `${actor} saw ${JSON.stringify(secret.text)}`);
          }
        });
      }
    });
  }

  describe('catch-up after the probes', () => {
    for (const actor of ACTORS) {
      it(`gives ${actor} no pending comment and no removed body in join with since`, async () => {
        const again = (await lines[actor].socket
          .timeout(5_000)
          .emitWithAck('join', { article: held.slug, since: 0 })) as Record<string, unknown>;
        assert.equal(again.ok, true);
        const fromRoom = (await lines[actor].socket
          .timeout(5_000)
          .emitWithAck('join', { article: room.slug, since: 0 })) as {
          missed: Record<string, unknown>[];
        };
        const text = JSON.stringify([again, fromRoom]);
        assert.ok(!text.includes(state.removed.body), 'no removed body');
        const replay = fromRoom.missed.find(about(state.removed.id));
        assert.ok(replay, 'the removed comment is replayed as a placeholder');
        assert.equal(comment(replay).body, null);
        // The pending comment was approved by now: it is in the held article's log once, as a visible comment.
        const approved = (again as { missed: Record<string, unknown>[] }).missed.filter(about(state.pending.id));
        assert.equal(approved.length, 1);
        assert.equal(comment(approved[0]).status, 'visible');
      });
    }
  });

  it('sends a room’s events only to the connections that follow it', async () => {
    const elsewhere = await fx.newArticle();
    const follower = await open({});
    const leaver = await open(withToken(accounts.reader.token));
    for (const line of [follower, leaver]) {
      assert.equal((await line.join(elsewhere.slug)).ok, true);
      assert.equal((await line.join(room.slug)).ok, true);
    }
    assert.deepEqual(await leaver.socket.timeout(5_000).emitWithAck('leave', { article: elsewhere.slug }), {
      ok: true,
    });
    const there = await post(writer, elsewhere.slug, { body: 'Only for the followers of elsewhere' });
    await follower.waitFor('comment.created', about(there.id));
    const marker = await post(writer, room.slug, { body: 'A marker in the room both follow' });
    await leaver.waitFor('comment.created', about(marker.id));
    assert.ok(
      !leaver.received.some((r) => about(there.id)(r.payload)),
      'the leaver got an event of an article it left',
    );
  });

  describe('when a session ends', () => {
    it('closes the open sockets of a logged-out session; the token is refused from then on; other sessions go on', async () => {
      const user = await newUser(t);
      const ending = await newSession(t, user);
      const staying = await newSession(t, user);
      const byToken = await open(withToken(ending.token));
      const byCookie = await open(withCookie(ending.token, t.baseUrl));
      const other = await open(withToken(staying.token));
      const parent = await post(user, room.slug, { body: 'Reply to me, later' });
      const closed = [byToken, byCookie].map(
        (line) =>
          new Promise<string>((resolve) => {
            line.socket.once('disconnect', (reason) => resolve(reason));
          }),
      );
      const res = await t.http.post('/api/auth/logout').set('Authorization', bearer(ending.token));
      assert.equal(res.status, 204);
      assert.deepEqual(await within(Promise.all(closed), 'the logged-out session’s sockets are closed'), [
        'io server disconnect',
        'io server disconnect',
      ]);
      const refused = await attempt(withToken(ending.token));
      assert.deepEqual(refused.kind === 'refused' ? refused.message : refused.kind, UNAUTHORIZED);
      // The cookie of the ended session now counts for nothing: that connection is anonymous.
      const staleCookie = await open(withCookie(ending.token, t.baseUrl));
      assert.equal((await staleCookie.join(room.slug)).ok, true);
      const reply = await post(writer, room.slug, { body: 'A reply after the logout', parentId: parent.id });
      await other.waitFor('reply.received', about(reply.id));
      assert.equal(other.socket.connected, true, 'the other session’s socket goes on');
      const marker = await post(writer, room.slug, { body: 'Marker after the logout' });
      await staleCookie.waitFor('comment.created', about(marker.id));
      assert.ok(!staleCookie.received.some((r) => r.event === 'reply.received'), 'the stale cookie is anonymous');
    });

    it('closes an open socket when its session expires, and refuses the token afterwards', async () => {
      const user = await newUser(t);
      const session = await newSession(t, user);
      const hash = createHash('sha256').update(session.token).digest('hex');
      await t.dataSource.query(
        `UPDATE sessions SET expires_at = now() + interval '2500 milliseconds' WHERE token_hash = $1`,
        [hash],
      );
      const line = await open(withToken(session.token));
      const closed = new Promise<string>((resolve) => line.socket.once('disconnect', (reason) => resolve(reason)));
      const parent = await post(user, room.slug, { body: 'Reply to me before the expiry' });
      const reply = await post(writer, room.slug, { body: 'A reply before the expiry', parentId: parent.id });
      await line.waitFor('reply.received', about(reply.id));
      // The session ends 2.5 s after it was set up; the server closes the socket then, not at its next message.
      const reason = await within(closed, 'the socket is closed at the session’s expiry', 8_000);
      assert.equal(reason, 'io server disconnect');
      const refused = await attempt(withToken(session.token));
      assert.equal(refused.kind, 'refused');
    });

    it('keeps a moderator demoted to reader out of the queue on the socket already open', async () => {
      const demoted = await withRole(t, admin.token, 'moderator');
      const line = await open(withToken(demoted.token));
      assert.equal((await line.join(room.slug)).ok, true);
      const before = await post(writer, held.slug, { body: 'Pending, for the moderator still in office' });
      await line.waitFor('moderation.queued', about(before.id));
      const res = await t.http
        .patch(`/api/admin/users/${demoted.id}`)
        .set('Authorization', bearer(admin.token))
        .send({ role: 'reader' });
      assert.equal(res.status, 200);
      const pending = await post(writer, held.slug, { body: 'Pending, not for the demoted' });
      await lines.moderator.waitFor('moderation.queued', about(pending.id));
      const marker = await post(writer, room.slug, { body: 'Marker for the demoted' });
      await line.waitFor('comment.created', about(marker.id));
      assert.ok(
        !line.received.some((r) => about(pending.id)(r.payload)),
        'the demoted moderator still hears the queue',
      );
    });

    it('puts a moderator whose ban is lifted back in the queue, on the socket already open', async () => {
      const moderator = await withRole(t, admin.token, 'moderator');
      await moderate('ban', `/api/moderation/users/${moderator.id}/ban`, { reason: 'Briefly' });
      const line = await open(withToken(moderator.token));
      const first = await post(writer, held.slug, { body: 'Pending, while the moderator is banned' });
      await lines.moderator.waitFor('moderation.queued', about(first.id));
      const res = await t.http
        .delete(`/api/moderation/users/${moderator.id}/ban`)
        .set('Authorization', bearer(admin.token));
      assert.equal(res.status, 204);
      await line.waitFor('user.unbanned', () => true);
      const second = await post(writer, held.slug, { body: 'Pending, after the ban is lifted' });
      await line.waitFor('moderation.queued', about(second.id));
      assert.ok(!line.received.some((r) => about(first.id)(r.payload)), 'a banned moderator heard the queue');
    });
  });
});
