import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { type Account, bearer, newUser } from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

type Options = Partial<ManagerOptions & SocketOptions>;

interface Received {
  event: string;
  payload: Record<string, unknown>;
}

/** A connection that records every event it receives. */
class Line {
  readonly received: Received[] = [];

  constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: Record<string, unknown>) => this.received.push({ event, payload }));
  }

  join(article: string): Promise<{ ok: boolean }> {
    return this.socket.timeout(5_000).emitWithAck('join', { article });
  }

  /** The first received event `accepts` takes, once it has arrived (at most 5 s). */
  async waitUntil(accepts: (r: Received) => boolean, what: string): Promise<Received> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const found = this.received.find(accepts);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`waited for ${what}, got ${JSON.stringify(this.received.map((r) => r.event))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('the session cookie of a live connection', () => {
  let t: TestApp;
  let room: ArticleFixture;
  let writer: Account;
  const opened: Socket[] = [];

  before(async () => {
    t = await startTestApp();
    room = await new Fixtures(t.app).newArticle();
    writer = await newUser(t);
  });

  after(async () => {
    for (const socket of opened) socket.close();
    await t.close();
  });

  function connect(options: Options): Promise<Line> {
    const socket = io(t.baseUrl, { reconnection: false, forceNew: true, ...options });
    opened.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new Line(socket)));
      socket.once('connect_error', reject);
    });
  }

  async function post(who: Account, body: object): Promise<{ id: string }> {
    const res = await t.http
      .post(`/api/articles/${room.slug}/comments`)
      .set('Authorization', bearer(who.token))
      .send(body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  }

  /**
   * Whether the connection is `user`'s: a reply to the user's comment reaches it as `reply.received` only then. The
   * marker posted after the reply is the barrier: whatever the reply sent this connection arrived before it.
   */
  async function isUsers(line: Line, user: Account): Promise<boolean> {
    assert.equal((await line.join(room.slug)).ok, true);
    const parent = await post(user, { body: `Reply to me ${randomBytes(3).toString('hex')}` });
    const reply = await post(writer, { body: 'A reply', parentId: parent.id });
    const marker = await post(writer, { body: 'A marker' });
    const isMarker = (r: Received) =>
      r.event === 'comment.created' && (r.payload.comment as { id?: string } | undefined)?.id === marker.id;
    const arrived = await line.waitUntil(isMarker, 'the marker');
    return line.received
      .slice(0, line.received.indexOf(arrived))
      .some((r) => r.event === 'reply.received' && JSON.stringify(r.payload).includes(reply.id));
  }

  it('reads the Cookie header with HTTP’s parser: a quoted value, among other cookies, the first of two', async () => {
    const user = await newUser(t);
    const headers = [
      `theme=dark; forum_session="${user.token}"`,
      `forum_session=${user.token}; forum_session=${'x'.repeat(43)}`,
      `lang=en;forum_session=${encodeURIComponent(user.token)};theme=dark`,
    ];
    for (const cookie of headers) {
      const me = await t.http.get('/api/auth/me').set('Cookie', cookie);
      assert.equal(me.status, 200, `HTTP reads ${cookie}`);
      assert.equal(me.body.user.id, user.id);
      const line = await connect({ transports: ['websocket'], extraHeaders: { cookie, origin: t.baseUrl } });
      assert.equal(await isUsers(line, user), true, `the socket reads ${cookie}`);
    }
  });

  it('takes the cookie of a handshake without Origin only when the browser says it is same-origin', async () => {
    const user = await newUser(t);
    const cookie = `forum_session=${user.token}`;
    const sameOrigin = await connect({
      transports: ['polling'],
      extraHeaders: { cookie, 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(await isUsers(sameOrigin, user), true, 'same-origin');
    const crossSite = await connect({
      transports: ['polling'],
      extraHeaders: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(await isUsers(crossSite, user), false, 'cross-site');
  });
});
