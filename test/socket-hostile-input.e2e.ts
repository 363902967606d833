import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import { type Server } from 'socket.io';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { type Account, newUser } from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { CORPUS, XSS } from './helpers/hostile-strings.js';
import { Follower } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { MAX_SOCKET_MESSAGE_BYTES } from '../src/realtime/forum-io.adapter.js';
import { JOINS_PER_ADDRESS_PER_MINUTE, JOINS_PER_CONNECTION_PER_MINUTE } from '../src/realtime/join-limits.js';
import { MAX_FOLLOWED_ARTICLES, MAX_JOINS_IN_FLIGHT } from '../src/realtime/follows.js';
import { Presence } from '../src/realtime/presence.js';
import { articleRoom } from '../src/realtime/rooms.js';

/** Every refusal the server acknowledges with: fixed sentences, never an echo of the input. */
const BAD_SLUG = 'article must be an article slug';
const BAD_SINCE = 'since must be a non-negative integer';
const NO_ARTICLE = 'No such article.';
const FOLLOWS_TOO_MANY = `A connection follows at most ${MAX_FOLLOWED_ARTICLES} articles at once: leave one first.`;
const TOO_MANY_AT_ONCE = 'Too many joins at once: wait for the answers.';
const UNKNOWN_EVENT = 'Unknown event: the server takes join and leave.';
const TOO_OFTEN = 'Too many joins: wait a minute before joining again.';
const REFUSALS = new Set([
  BAD_SLUG,
  BAD_SINCE,
  NO_ARTICLE,
  FOLLOWS_TOO_MANY,
  TOO_MANY_AT_ONCE,
  UNKNOWN_EVENT,
  TOO_OFTEN,
]);
const UNAUTHORIZED = 'unauthorized: the token is unknown or has expired';

type ClientSocket = Socket;
type Options = Partial<ManagerOptions & SocketOptions>;
type Ack = Record<string, unknown>;

/** `{ ok: false, error }` with exactly that error (or any of the fixed ones), and nothing else in it. */
function assertRefused(ack: unknown, label: string, error?: string): void {
  const where = `${label}: ${JSON.stringify(ack)?.slice(0, 300)}`;
  assert.equal(typeof ack, 'object', where);
  assert.deepEqual(Object.keys(ack as object).sort(), ['error', 'ok'], where);
  const { ok, error: said } = ack as { ok: unknown; error: unknown };
  assert.equal(ok, false, where);
  assert.equal(typeof said, 'string', where);
  if (error) assert.equal(said, error, where);
  else assert.ok(REFUSALS.has(said as string), `${where}: not one of the fixed messages`);
}

/** The success shape of join: `{ ok, seq, presence, missed | resync }`. */
function assertJoined(ack: unknown, label: string): { seq: number; presence: number } {
  const where = `${label}: ${JSON.stringify(ack)?.slice(0, 300)}`;
  const a = ack as Ack;
  assert.equal(a.ok, true, where);
  assert.ok(Number.isSafeInteger(a.seq) && (a.seq as number) >= 0, where);
  assert.ok(Number.isSafeInteger(a.presence) && (a.presence as number) >= 1, where);
  assert.ok(Array.isArray(a.missed) !== (a.resync === true), `${where}: missed or resync, one of them`);
  return { seq: a.seq as number, presence: a.presence as number };
}

/** What became of a connection attempt. */
type Outcome =
  | { kind: 'connected'; socket: ClientSocket }
  | { kind: 'refused'; message: string }
  | { kind: 'closed'; reason: string };

const describeOutcome = (o: Outcome) => (o.kind === 'connected' ? 'connected' : JSON.stringify(o).slice(0, 200));

describe('socket hostile input', () => {
  let t: TestApp;
  let fx: Fixtures;
  let article: ArticleFixture;
  let reader: Account;
  const opened: ClientSocket[] = [];
  /** What the app wrote to stderr (Nest's ERROR and FATAL lines, console.error, warnings) during the current test. */
  let stderr: string[] = [];
  let restoreStderr: () => void;

  function attempt(options: Options = {}): Promise<Outcome> {
    const socket = io(t.baseUrl, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
    opened.push(socket);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no outcome within 5 s')), 5_000);
      const settle = (outcome: Outcome) => {
        clearTimeout(timer);
        socket.off('connect').off('connect_error').off('disconnect');
        if (outcome.kind !== 'connected') socket.close();
        resolve(outcome);
      };
      socket.once('connect', () => settle({ kind: 'connected', socket }));
      socket.once('connect_error', (error) => settle({ kind: 'refused', message: error.message }));
      socket.once('disconnect', (reason) => settle({ kind: 'closed', reason }));
    });
  }

  async function connect(options: Options = {}): Promise<ClientSocket> {
    const outcome = await attempt(options);
    assert.equal(outcome.kind, 'connected', describeOutcome(outcome));
    return (outcome as { socket: ClientSocket }).socket;
  }

  function ask(socket: ClientSocket, event: string, ...args: unknown[]): Promise<Ack> {
    return socket.timeout(5_000).emitWithAck(event, ...args) as Promise<Ack>;
  }

  /** Resolves with the reason once the server has closed this connection. */
  function closedByServer(socket: ClientSocket): Promise<string> {
    if (!socket.connected) return Promise.resolve('already closed');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not close the connection within 5 s')), 5_000);
      socket.once('disconnect', (reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
  }

  /** The socket.io server in this process: only to look at the rooms its adapter keeps. */
  function ioServer(): Server {
    const presence: unknown = t.app.get(Presence);
    return (presence as { server: Server }).server;
  }

  /** The ids the adapter holds in an article's room, and how many of them are connected sockets. */
  function roomMembers(articleId: string): { held: number; connected: number } {
    const server = ioServer();
    const ids = [...(server.of('/').adapter.rooms.get(articleRoom(articleId)) ?? [])];
    return { held: ids.length, connected: ids.filter((id) => server.of('/').sockets.has(id)).length };
  }

  /** Polls a condition (every 20 ms, for up to 5 s). */
  async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`waited 5 s for: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Holds the articles table locked (ACCESS EXCLUSIVE) in a transaction of its own, so that every join waits in its
   * article lookup until released: a join "in the middle" without guessing at timings.
   */
  async function lockArticles(): Promise<{ untilWaiting(n: number): Promise<void>; release(): Promise<void> }> {
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query('LOCK TABLE articles IN ACCESS EXCLUSIVE MODE');
    let released = false;
    return {
      untilWaiting: (n) =>
        until(async () => {
          const rows: { n: number }[] = await t.dataSource.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return rows[0].n >= n;
        }, `${n} queries waiting for the lock`),
      async release() {
        if (released) return;
        released = true;
        await runner.rollbackTransaction();
        await runner.release();
      },
    };
  }

  /** HTTP answers, a new socket connects and joins, and an old one still hears the room. */
  async function assertStillServing(label: string): Promise<void> {
    assert.equal((await t.http.get('/api/articles')).status, 200, `${label}: HTTP still answers`);
    const watcher = await connect();
    assertJoined(await ask(watcher, 'join', { article: article.slug }), `${label}: a new socket joins`);
    // Listening before the post: the event may arrive before the HTTP answer does.
    const body = `Still here after ${label}`;
    const heard = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${label}: no comment.created within 5 s`)), 5_000);
      watcher.on('comment.created', (payload: { comment: { body: string } }) => {
        if (payload.comment.body !== body) return;
        clearTimeout(timer);
        resolve();
      });
    });
    const res = await t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set('Authorization', `Bearer ${reader.token}`)
      .send({ body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await heard;
    watcher.close();
  }

  before(async () => {
    t = await startTestApp();
    fx = new Fixtures(t.app);
    article = await fx.newArticle();
    reader = await newUser(t);
    const original = Object.getOwnPropertyDescriptor(process.stderr, 'write');
    const pass = process.stderr.write.bind(process.stderr) as (...args: unknown[]) => boolean;
    process.stderr.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
      stderr.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return pass(chunk, ...rest);
    };
    restoreStderr = () => {
      if (original) Object.defineProperty(process.stderr, 'write', original);
      else delete (process.stderr as { write?: unknown }).write;
    };
  });

  afterEach(() => {
    const written = stderr.join('');
    stderr = [];
    assert.equal(written, '', 'the server logged an error (or a warning) for a client’s mistake');
  });

  after(async () => {
    restoreStderr();
    for (const socket of opened) socket.close();
    await t.close();
  });

  it('sees the app’s ERROR lines (the check the other tests rely on)', () => {
    new Logger('Probe').error('an error line the capture must see');
    const seen = stderr.join('');
    stderr = [];
    assert.match(seen, /an error line the capture must see/);
  });

  describe('join: the article', () => {
    let socket: ClientSocket;

    before(async () => {
      socket = await connect();
    });

    for (const [label, text] of CORPUS) {
      it(`refuses ${label} as the article with a fixed message`, async () => {
        assertRefused(await ask(socket, 'join', { article: text }), label, BAD_SLUG);
      });
    }

    it('refuses slugs with path traversal, upper case, white space, control characters or over 160 characters', async () => {
      const slugs = [
        '../etc/passwd',
        '..',
        '.',
        '%2e%2e%2f',
        `${article.slug}/../x`,
        `../${article.slug}`,
        '..\\..\\windows',
        'a/b',
        'UPPER-CASE',
        'with space',
        ` ${article.slug}`,
        `${article.slug}\n`,
        `${article.slug}\u0000`,
        `${article.slug}-`,
        '-leading',
        '',
        'x'.repeat(161),
        `${article.slug}?x=1`,
        `${article.slug}#x`,
        'ａｒｔｉｃｌｅ',
      ];
      for (const slug of slugs)
        assertRefused(await ask(socket, 'join', { article: slug }), JSON.stringify(slug), BAD_SLUG);
    });

    it('refuses an article of every wrong type: number, array, object, null, boolean, missing', async () => {
      for (const value of [1, 0, -1, 1.5, [article.slug], { slug: article.slug }, null, true, false, {}, []]) {
        assertRefused(await ask(socket, 'join', { article: value }), JSON.stringify(value), BAD_SLUG);
      }
      assertRefused(await ask(socket, 'join', {}), 'no article', BAD_SLUG);
      assertRefused(await ask(socket, 'join', { slug: article.slug }), 'slug instead of article', BAD_SLUG);
    });

    it('answers a well-formed slug of no article with No such article., and the longest well-formed one too', async () => {
      assertRefused(await ask(socket, 'join', { article: 'no-such-article' }), 'unknown', NO_ARTICLE);
      assertRefused(await ask(socket, 'join', { article: `a${'b'.repeat(158)}c` }), '160 characters', NO_ARTICLE);
    });

    it('still joins the real article on the same connection afterwards', async () => {
      assert.equal(socket.connected, true);
      assertJoined(await ask(socket, 'join', { article: article.slug }), 'the real article');
    });
  });

  describe('join: since', () => {
    let socket: ClientSocket;

    before(async () => {
      socket = await connect();
    });

    it('refuses since negative, fractional, not a number, infinite, beyond 2^53, or of another type', async () => {
      const values: unknown[] = [
        -1,
        -0.5,
        1.5,
        0.1,
        Number.NaN,
        Infinity,
        -Infinity,
        2 ** 53,
        1e308,
        -(2 ** 53),
        Number.MIN_VALUE,
        '5',
        '0',
        '',
        '1e3',
        'NaN',
        '-1',
        true,
        false,
        null,
        [],
        [5],
        {},
        { seq: 5 },
      ];
      for (const since of values) {
        assertRefused(
          await ask(socket, 'join', { article: article.slug, since }),
          `since ${String(since)} (${typeof since})`,
          BAD_SINCE,
        );
      }
    });

    it('refuses every corpus string as since with a fixed message', async () => {
      for (const [label, text] of CORPUS) {
        assertRefused(await ask(socket, 'join', { article: article.slug, since: text }), label, BAD_SINCE);
      }
    });

    it('answers since 2^53 - 1 (ahead of the article) with a resync, and since 0 with what it holds', async () => {
      const ahead = await ask(socket, 'join', { article: article.slug, since: Number.MAX_SAFE_INTEGER });
      assertJoined(ahead, 'since 2^53 - 1');
      assert.equal(ahead.resync, true);
      const zero = await ask(socket, 'join', { article: article.slug, since: 0 });
      assertJoined(zero, 'since 0');
    });
  });

  describe('the request’s shape', () => {
    let socket: ClientSocket;

    before(async () => {
      socket = await connect();
    });

    it('refuses a request that is not an object: number, string, array, null, boolean, nothing', async () => {
      for (const request of [5, article.slug, [article.slug], [{ article: article.slug }], null, true, false, 0, '']) {
        assertRefused(await ask(socket, 'join', request), `join ${JSON.stringify(request)}`, BAD_SLUG);
        assertRefused(await ask(socket, 'leave', request), `leave ${JSON.stringify(request)}`, BAD_SLUG);
      }
      assertRefused(await ask(socket, 'join'), 'join with nothing', BAD_SLUG);
      assertRefused(await ask(socket, 'leave'), 'leave with nothing', BAD_SLUG);
    });

    it('refuses a request spread over several arguments', async () => {
      assertRefused(await ask(socket, 'join', { article: article.slug }, 'extra'), 'two arguments', BAD_SLUG);
      const many = Array.from({ length: 50 }, () => ({ article: article.slug }));
      assertRefused(await ask(socket, 'join', ...many), 'fifty arguments', BAD_SLUG);
      assertRefused(await ask(socket, 'leave', { article: article.slug }, 1, 2, 3), 'leave with four', BAD_SLUG);
    });

    it('treats __proto__ and constructor keys as plain data: nothing reaches any prototype', async () => {
      const requests = [
        '{"__proto__":{"article":"x","polluted":true}}',
        `{"article":"${article.slug}","__proto__":{"since":-1,"polluted":true}}`,
        '{"constructor":{"prototype":{"polluted":true}},"article":"x"}',
        `{"article":{"__proto__":{"toString":"${article.slug}"}}}`,
      ].map((json) => JSON.parse(json) as unknown);
      for (const request of requests) {
        const ack = await ask(socket, 'join', request);
        if (ack.ok === true) assertJoined(ack, JSON.stringify(request));
        else assertRefused(ack, JSON.stringify(request));
        assertRefused(await ask(socket, 'leave', { article: request }), 'leave with it', BAD_SLUG);
      }
      assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
      assert.equal(({} as Record<string, unknown>).since, undefined);
    });

    it('refuses binary data as the request, the article or since', async () => {
      const bytes = Buffer.from(article.slug);
      assertRefused(await ask(socket, 'join', bytes), 'a Buffer as the request', BAD_SLUG);
      assertRefused(await ask(socket, 'join', { article: bytes }), 'a Buffer as the article', BAD_SLUG);
      assertRefused(
        await ask(socket, 'join', { article: article.slug, since: Buffer.from([1]) }),
        'as since',
        BAD_SINCE,
      );
      assertRefused(await ask(socket, 'leave', { article: new Uint8Array(8) }), 'bytes to leave', BAD_SLUG);
      assertRefused(
        await ask(socket, 'join', { article: article.slug, since: 1 }, Buffer.alloc(4_000)),
        'an extra Buffer argument',
        BAD_SLUG,
      );
    });

    it('refuses a deeply nested request with a fixed message', async () => {
      let nested: unknown = article.slug;
      for (let i = 0; i < 1_000; i++) nested = [nested];
      assertRefused(await ask(socket, 'join', { article: nested }), 'arrays 1,000 deep', BAD_SLUG);
      let object: unknown = { article: article.slug };
      for (let i = 0; i < 1_000; i++) object = { article: object };
      assertRefused(await ask(socket, 'join', object), 'objects 1,000 deep', BAD_SLUG);
      assertRefused(await ask(socket, 'join', { article: article.slug, since: nested }), 'since nested', BAD_SINCE);
    });

    it('refuses a long string that fits in a message', async () => {
      const long = 'a'.repeat(MAX_SOCKET_MESSAGE_BYTES - 100);
      assertRefused(await ask(socket, 'join', { article: long }), 'long slug', BAD_SLUG);
      assertRefused(await ask(socket, 'leave', { article: long }), 'long slug to leave', BAD_SLUG);
      assertRefused(await ask(socket, 'join', { article: article.slug, since: long }), 'long since', BAD_SINCE);
    });

    it('answers leave with the corpus and with wrong types by a fixed message, and a well-formed slug with ok', async () => {
      for (const [label, text] of CORPUS) {
        assertRefused(await ask(socket, 'leave', { article: text }), label, BAD_SLUG);
      }
      for (const value of [5, null, true, [article.slug], { slug: article.slug }]) {
        assertRefused(await ask(socket, 'leave', { article: value }), JSON.stringify(value), BAD_SLUG);
      }
      assert.deepEqual(await ask(socket, 'leave', { article: 'never-followed' }), { ok: true });
      assert.deepEqual(await ask(socket, 'leave', { article: article.slug }), { ok: true });
    });

    it('keeps the connection usable after all of this', async () => {
      assert.equal(socket.connected, true);
      assertJoined(await ask(socket, 'join', { article: article.slug }), 'a good join');
    });
  });

  describe('events without an acknowledgement, and unknown events', () => {
    it('takes a join and a leave sent without a callback, and the connection stays usable', async () => {
      const room = await fx.newArticle();
      const silent = await connect();
      const seen: string[] = [];
      silent.onAny((event: string) => seen.push(event));
      silent.emit('join', { article: room.slug });
      silent.emit('join', { article: '<script>alert(1)</script>' });
      silent.emit('join', 5);
      silent.emit('leave', null);
      silent.emit('whatever', { x: 1 });
      const other = await connect();
      // The silent join has been handled once its socket is in the room: the other follower counts it.
      const deadline = Date.now() + 5_000;
      let presence = 0;
      while (presence !== 2 && Date.now() < deadline) {
        presence = assertJoined(await ask(other, 'join', { article: room.slug }), 'the other follower').presence;
      }
      assert.equal(presence, 2, 'the join without a callback took effect');
      assertJoined(await ask(silent, 'join', { article: room.slug }), 'then with a callback');
      silent.emit('leave', { article: room.slug });
      assert.deepEqual(await ask(silent, 'leave', { article: room.slug }), { ok: true });
      assert.ok(!seen.includes('exception'), `no exception event: ${JSON.stringify(seen)}`);
      assert.equal(silent.connected, true);
    });

    it('answers an unknown event with a fixed message, whatever its name and arguments', async () => {
      const socket = await connect();
      const names = ['subscribe', 'Join', 'join ', 'JOIN', 'comment.created', 'exception', 'presence', 'error'];
      for (const name of [...names, ...XSS.map(([, text]) => text)]) {
        assertRefused(await ask(socket, name, { article: article.slug }), `event ${name}`, UNKNOWN_EVENT);
      }
      assertRefused(await ask(socket, 'x'.repeat(10_000)), 'a 10,000-character name', UNKNOWN_EVENT);
      assertRefused(await ask(socket, '__proto__', {}), '__proto__', UNKNOWN_EVENT);
      assertRefused(await ask(socket, 'constructor', {}), 'constructor', UNKNOWN_EVENT);
      assertRefused(await ask(socket, 'hasOwnProperty', {}), 'hasOwnProperty', UNKNOWN_EVENT);
      // A number is a valid event name in the protocol.
      assertRefused(await ask(socket, 7 as unknown as string, {}), 'event 7', UNKNOWN_EVENT);
      assertJoined(await ask(socket, 'join', { article: article.slug }), 'the connection is still usable');
    });
  });

  describe('message size', () => {
    it('announces a message limit well under the 1 MB default, above what a join needs', async () => {
      const res = await t.http.get('/socket.io/?EIO=4&transport=polling');
      assert.equal(res.status, 200);
      const open = JSON.parse(res.text.slice(res.text.indexOf('{'))) as { maxPayload: number };
      assert.equal(open.maxPayload, MAX_SOCKET_MESSAGE_BYTES);
      assert.ok(MAX_SOCKET_MESSAGE_BYTES <= 64 * 1024, `${MAX_SOCKET_MESSAGE_BYTES} bytes`);
      const largestJoin = JSON.stringify(['join', { article: 'a'.repeat(160), since: Number.MAX_SAFE_INTEGER }]);
      assert.ok(MAX_SOCKET_MESSAGE_BYTES > 4 * largestJoin.length);
    });

    it('takes the largest well-formed join, with a 160-character slug and the largest since', async () => {
      const socket = await connect();
      assertRefused(
        await ask(socket, 'join', { article: `a${'b'.repeat(158)}c`, since: Number.MAX_SAFE_INTEGER }),
        'largest join',
        NO_ARTICLE,
      );
    });

    const oversize: [string, (socket: ClientSocket) => void][] = [
      ['a join with an article of 2 MB', (s) => s.emit('join', { article: 'a'.repeat(2_000_000) })],
      ['a join just over the limit', (s) => s.emit('join', { article: 'a'.repeat(MAX_SOCKET_MESSAGE_BYTES) })],
      ['a leave with an article of 100 kB', (s) => s.emit('leave', { article: 'a'.repeat(100_000) })],
      ['an unknown event of 100 kB', (s) => s.emit('x'.repeat(100_000))],
      ['a binary attachment of 1 MB', (s) => s.emit('join', { article: Buffer.alloc(1_000_000) })],
    ];

    for (const [label, send] of oversize) {
      it(`closes a websocket connection that sends ${label}; the server goes on`, async () => {
        const socket = await connect();
        const closed = closedByServer(socket);
        send(socket);
        assert.match(await closed, /transport close|transport error/);
        await assertStillServing(label);
      });
    }

    it('refuses a long-polling request over the limit and closes that connection', async () => {
      const socket = await connect({ transports: ['polling'] });
      const closed = closedByServer(socket);
      socket.emit('join', { article: 'a'.repeat(200_000) });
      assert.match(await closed, /transport close|transport error/);
      await assertStillServing('an oversize long-polling post');
    });
  });

  describe('protocol garbage', () => {
    const frames: [string, string][] = [
      ['JSON that does not parse', '2['],
      ['an event that is not an array', '2{"article":"x"}'],
      ['an event with no name', '2[]'],
      ['an event named after a reserved one', '2["disconnect"]'],
      ['an event named by an object', '2[{"a":1},{}]'],
      ['an unknown packet type', '9["join",{}]'],
      ['a binary event with too many attachments', '51000-["join",{"_placeholder":true,"num":0}]'],
      ['a binary event with no attachment count', '5["join",{}]'],
      ['plain text', 'hello'],
      ['a connect to a namespace that does not exist', '0/admin,'],
      ['an ack for nothing', '3999[]'],
    ];

    for (const [label, frame] of frames) {
      it(`answers ${label} without an ERROR log, and the server goes on`, async () => {
        const socket = await connect();
        const closed = new Promise<string | null>((resolve) => {
          const timer = setTimeout(() => resolve(null), 3_000);
          socket.once('disconnect', (reason) => {
            clearTimeout(timer);
            resolve(reason);
          });
        });
        socket.io.engine.write(frame);
        // Either the server closes this connection, or it ignores the frame and the connection still answers.
        const outcome = await Promise.race([
          closed,
          ask(socket, 'join', { article: article.slug }).then(
            (ack) => ack,
            () => null,
          ),
        ]);
        if (typeof outcome === 'string') assert.match(outcome, /transport close|io server disconnect|parse error/);
        else if (outcome !== null) assertJoined(outcome, `${label}: the connection still answers`);
        else assert.equal(await closed, null, `${label}: neither closed nor answering`);
        await assertStillServing(label);
      });
    }
  });

  describe('flooding', () => {
    it(`answers ${MAX_JOINS_IN_FLIGHT * 20} joins of one article sent at once; the socket follows it once`, async () => {
      const room = await fx.newArticle();
      const socket = await connect();
      const acks = await Promise.all(
        Array.from({ length: MAX_JOINS_IN_FLIGHT * 20 }, () => ask(socket, 'join', { article: room.slug })),
      );
      const joined = acks.filter((a) => a.ok === true);
      assert.ok(joined.length >= 1);
      for (const ack of joined) assertJoined(ack, 'a join in the flood');
      for (const ack of acks.filter((a) => a.ok !== true)) assertRefused(ack, 'a refused join', TOO_MANY_AT_ONCE);
      assert.deepEqual(roomMembers(room.id), { held: 1, connected: 1 });
      const again = assertJoined(await ask(socket, 'join', { article: room.slug }), 'after the flood');
      assert.equal(again.presence, 1, 'the socket counts once');
    });

    it(`answers at most ${MAX_JOINS_IN_FLIGHT} joins of one connection at once, and refuses the rest at once`, async () => {
      const room = await fx.newArticle();
      const socket = await connect();
      const held = await lockArticles();
      const pending = Array.from({ length: MAX_JOINS_IN_FLIGHT }, () => ask(socket, 'join', { article: room.slug }));
      try {
        await held.untilWaiting(MAX_JOINS_IN_FLIGHT);
        // While those wait for the database, more from the same connection are refused without waiting.
        for (let i = 0; i < 3; i++) {
          assertRefused(await ask(socket, 'join', { article: room.slug }), `join ${i} over`, TOO_MANY_AT_ONCE);
        }
        assertRefused(await ask(socket, 'join', { article: 'UPPER' }), 'a bad slug is still a bad slug', BAD_SLUG);
        assert.deepEqual(await ask(socket, 'leave', { article: room.slug }), { ok: true }, 'leave is not held up');
        const other = await connect();
        const others = ask(other, 'join', { article: room.slug });
        await held.untilWaiting(MAX_JOINS_IN_FLIGHT + 1);
        await held.release();
        assertJoined(await others, 'another connection is not limited by it');
      } finally {
        await held.release();
      }
      for (const ack of await Promise.all(pending)) assertJoined(ack, 'a held join, answered');
      assertJoined(await ask(socket, 'join', { article: room.slug }), 'once answered, joins go on');
    });

    it(`lets one connection follow at most ${MAX_FOLLOWED_ARTICLES} articles at once; leaving one makes room`, async () => {
      const rooms: ArticleFixture[] = [];
      for (let i = 0; i <= MAX_FOLLOWED_ARTICLES; i++) rooms.push(await fx.newArticle());
      const socket = await connect();
      for (const room of rooms.slice(0, MAX_FOLLOWED_ARTICLES)) {
        assertJoined(await ask(socket, 'join', { article: room.slug }), room.slug);
      }
      const extra = rooms[MAX_FOLLOWED_ARTICLES];
      assertRefused(await ask(socket, 'join', { article: extra.slug }), 'one too many', FOLLOWS_TOO_MANY);
      assert.deepEqual(roomMembers(extra.id), { held: 0, connected: 0 }, 'the refused join left no trace');
      assertJoined(await ask(socket, 'join', { article: rooms[0].slug }), 'joining a followed one again');
      assert.deepEqual(await ask(socket, 'leave', { article: rooms[0].slug }), { ok: true });
      assertJoined(await ask(socket, 'join', { article: extra.slug }), 'after leaving one');
      assertRefused(await ask(socket, 'join', { article: rooms[0].slug }), 'full again', FOLLOWS_TOO_MANY);
      assertRefused(await ask(socket, 'join', { article: 'no-such-article' }), 'unknown at the cap', NO_ARTICLE);
      const other = await connect();
      assertJoined(await ask(other, 'join', { article: rooms[0].slug }), 'another connection is not limited by it');
    });

    it('leaves nothing in the server’s rooms for sockets that disconnect while their join is being answered', async () => {
      const room = await fx.newArticle();
      const leaving = await Promise.all(Array.from({ length: 5 }, () => connect()));
      const held = await lockArticles();
      try {
        for (const socket of leaving) socket.emit('join', { article: room.slug });
        await held.untilWaiting(leaving.length);
        const ids = leaving.map((socket) => socket.id as string);
        for (const socket of leaving) socket.close();
        await until(() => ids.every((id) => !ioServer().of('/').sockets.has(id)), 'the server sees them go');
      } finally {
        await held.release();
      }
      // The watcher's join is answered after the held ones got their article: by then they have joined or not.
      const watcher = await connect();
      assertJoined(await ask(watcher, 'join', { article: room.slug }), 'the watcher');
      assert.deepEqual(roomMembers(room.id), { held: 1, connected: 1 }, 'only the watcher is in the room');
      watcher.close();
      await until(
        () => !ioServer().of('/').adapter.rooms.has(articleRoom(room.id)),
        'the room goes with its last follower',
      );
    });

    it('answers a flood of joins of articles that do not exist, one by one, and stays usable', async () => {
      const socket = await connect();
      for (let i = 0; i < 200; i++) {
        assertRefused(await ask(socket, 'join', { article: `no-such-article-${i}` }), `unknown ${i}`, NO_ARTICLE);
      }
      assertJoined(await ask(socket, 'join', { article: article.slug }), 'a real one after');
    });
  });

  describe('handshake', () => {
    it('refuses auth.token of a wrong type or shape with a fixed message', async () => {
      const tokens: unknown[] = [
        5,
        0,
        -1,
        true,
        false,
        [reader.token],
        { token: reader.token },
        { toString: reader.token },
        'short',
        'x'.repeat(101),
        'x'.repeat(10_000),
        `${reader.token} `,
        ` ${reader.token}`,
        `Bearer ${reader.token}`,
        `${reader.token}\u0000`,
        "' OR '1'='1",
        ...XSS.slice(0, 5).map(([, text]) => text),
      ];
      for (const token of tokens) {
        const outcome = await attempt({ auth: { token } });
        assert.equal(
          describeOutcome(outcome),
          JSON.stringify({ kind: 'refused', message: UNAUTHORIZED }),
          `token ${JSON.stringify(token)?.slice(0, 60)}`,
        );
      }
      const good = await attempt({ auth: { token: reader.token } });
      assert.equal(good.kind, 'connected', 'the same token, well formed, connects');
    });

    it('lets an empty, null or missing token, or other keys, in as anonymous', async () => {
      for (const auth of [
        {},
        { token: '' },
        { token: null },
        { other: reader.token },
        { access_token: reader.token },
      ]) {
        const socket = await connect({ auth });
        assertJoined(await ask(socket, 'join', { article: article.slug }), JSON.stringify(auth));
      }
    });

    it('treats __proto__ and constructor keys in auth as plain data', async () => {
      for (const json of [`{"__proto__":{"token":"${reader.token}"}}`, '{"constructor":{"prototype":{"token":1}}}']) {
        const outcome = await attempt({ auth: JSON.parse(json) as Record<string, unknown> });
        assert.ok(outcome.kind === 'connected' || outcome.kind === 'refused', json);
        if (outcome.kind === 'refused') assert.equal(outcome.message, UNAUTHORIZED);
      }
      assert.equal(({} as Record<string, unknown>).token, undefined, 'Object.prototype is untouched');
    });

    it('closes a handshake whose auth is over the message limit, and the server goes on', async () => {
      const outcome = await attempt({ auth: { token: 'x'.repeat(MAX_SOCKET_MESSAGE_BYTES * 2) } });
      assert.equal(outcome.kind, 'closed', describeOutcome(outcome));
      await assertStillServing('an oversize handshake');
    });

    it('closes a handshake whose auth is not an object (a raw connect packet), and the server goes on', async () => {
      for (const auth of ['"a string"', 'true', '[1,2]', 'null', '{']) {
        const socket = io(t.baseUrl, {
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          autoConnect: false,
        });
        opened.push(socket);
        const closed = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`auth ${auth}: not closed within 5 s`)), 5_000);
          socket.io.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        // The engine opens; instead of Socket.IO's connect packet, one with a malformed auth goes out.
        socket.io.once('open', () => socket.io.engine.write(`0${auth}`));
        socket.io.open();
        await closed;
        assert.equal(socket.connected, false);
      }
      await assertStillServing('malformed connect packets');
    });

    it('treats malformed session cookies as anonymous, from its own origin and from another', async () => {
      const cookies = [
        'forum_session=%',
        'forum_session=%E0%A4%A',
        'forum_session=%ZZ',
        'forum_session',
        'forum_session=',
        '=;;=;forum_session=;=',
        `forum_session=${'x'.repeat(4_000)}`,
        `forum_session="${reader.token}`,
        'forum_session=<script>alert(1)</script>',
        `forum_session=${encodeURIComponent("' OR '1'='1")}`,
        'forum_session=%00',
        'forum_session=__proto__; __proto__=x; constructor=y',
      ];
      for (const cookie of cookies) {
        for (const origin of [t.baseUrl, 'https://evil.example']) {
          const outcome = await attempt({ extraHeaders: { cookie, origin } });
          assert.equal(outcome.kind, 'connected', `${cookie.slice(0, 40)} from ${origin}: ${describeOutcome(outcome)}`);
          const socket = (outcome as { socket: ClientSocket }).socket;
          assertJoined(await ask(socket, 'join', { article: article.slug }), cookie.slice(0, 40));
          socket.close();
        }
      }
    });
  });

  it('still serves HTTP and sockets after the whole suite', async () => {
    await assertStillServing('the whole suite');
  });
});

describe('join rate limits (RATE_LIMIT_FACTOR 1)', () => {
  let t: TestApp;
  let fx: Fixtures;
  const open: Follower[] = [];

  const follower = async () => {
    const f = await Follower.connect(t.baseUrl);
    open.push(f);
    return f;
  };

  before(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_FACTOR: '1' } });
    fx = new Fixtures(t.app);
  });

  after(async () => {
    open.forEach((f) => f.close());
    await t.close();
  });

  it(`refuses a connection's joins over ${JOINS_PER_CONNECTION_PER_MINUTE} a minute, and an address's over ${JOINS_PER_ADDRESS_PER_MINUTE} across its connections`, async () => {
    const article = await fx.newArticle();
    const first = await follower();
    for (let i = 0; i < JOINS_PER_CONNECTION_PER_MINUTE; i++) {
      assertJoined(await first.join(article.slug, 0), `join ${i + 1} of the first connection`);
    }
    assertRefused(await first.join(article.slug, 0), 'one join too many for the connection', TOO_OFTEN);
    assertRefused(await first.join('no-such-article'), 'whatever it asks', TOO_OFTEN);

    // The address's budget: the other connections from the same address share it.
    let joined = JOINS_PER_CONNECTION_PER_MINUTE;
    while (joined < JOINS_PER_ADDRESS_PER_MINUTE) {
      const next = await follower();
      for (let i = 0; i < JOINS_PER_CONNECTION_PER_MINUTE && joined < JOINS_PER_ADDRESS_PER_MINUTE; i++, joined++) {
        assertJoined(await next.join(article.slug, 0), `join ${joined + 1} of the address`);
      }
    }
    const fresh = await follower();
    assertRefused(await fresh.join(article.slug, 0), 'a new connection of an address over its limit', TOO_OFTEN);
    assert.ok(fresh.socket.connected, 'refused, not disconnected');
  });
});
