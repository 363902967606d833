import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import type supertest from 'supertest';
import {
  type Account,
  ADMIN_ENV,
  assertClientError,
  assertErrorBody,
  bearer,
  newUser,
  signInAdmin,
  withRole,
} from './helpers/accounts.js';
import { type ArticleFixture, Fixtures, flattenThread } from './helpers/fixtures.js';
import { Follower, type Received } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { ROOM_EVENT_TYPES } from '../src/realtime/event-map.js';

type Res = supertest.Response;

/** The error code the app gives each status (the contract fixes the status and the body's shape). */
const ERROR_CODE: Record<number, string> = { 401: 'unauthenticated', 403: 'forbidden', 409: 'conflict' };

function assertError(res: Res, status: number, label: string): void {
  assertErrorBody(res, status, label);
  if (ERROR_CODE[status]) assert.equal(res.body.error, ERROR_CODE[status], label);
}

interface CommentJson {
  id: string;
  articleId: string;
  parentId: string | null;
  author: { id: string; username: string } | null;
  body: string | null;
  html: string | null;
  status: string;
  createdAt: string;
  replyCount: number;
  upvotes: number;
}

interface QueueItem extends CommentJson {
  articleSlug: string;
  reports: {
    id: string;
    reason: string;
    note: string | null;
    status: string;
    createdAt: string;
    reporter: { id: string; username: string; role: string };
  }[];
}

interface LogEntry {
  id: string;
  actor: { id: string; username: string; role: string };
  action: string;
  commentId: string | null;
  userId: string | null;
  articleId: string | null;
  reason: string | null;
  details: unknown;
  createdAt: string;
}

type CommentAction = 'approve' | 'remove' | 'restore';

const unique = (label: string) => `${label} ${randomBytes(4).toString('hex')}`;

const commentOf = (event: Received) => event.payload.comment as CommentJson;

/** One running app, its first admin, and the requests every suite here sends. */
class World {
  readonly fx: Fixtures;
  private readonly sockets: Follower[] = [];

  private constructor(
    readonly t: TestApp,
    readonly admin: Account,
  ) {
    this.fx = new Fixtures(t.app);
  }

  static async start(): Promise<World> {
    const t = await startTestApp({ env: ADMIN_ENV });
    return new World(t, await signInAdmin(t));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.close();
    await this.t.close();
  }

  /** The request with the account's bearer token; no credentials at all without one. */
  as<T extends supertest.Test>(who: Account | undefined, request: T): T {
    return who ? request.set('Authorization', bearer(who.token)) : request;
  }

  reader(): Promise<Account> {
    return newUser(this.t);
  }

  moderator(): Promise<Account> {
    return withRole(this.t, this.admin.token, 'moderator');
  }

  async follower(who?: Account): Promise<Follower> {
    const socket = await Follower.connect(this.t.baseUrl, who?.token);
    this.sockets.push(socket);
    return socket;
  }

  /** A follower of the article, and the article's latest event number when it joined. */
  async followerOf(slug: string, who?: Account): Promise<{ socket: Follower; seq: number }> {
    const socket = await this.follower(who);
    const ack = await socket.join(slug);
    assert.equal(ack.ok, true, JSON.stringify(ack));
    return { socket, seq: ack.seq as number };
  }

  async premoderatedArticle(): Promise<ArticleFixture> {
    const article = await this.fx.newArticle();
    await this.t.dataSource.query('UPDATE articles SET premoderation = true WHERE id = $1', [article.id]);
    return article;
  }

  post(who: Account | undefined, slug: string, body: object): Promise<Res> {
    return this.as(who, this.t.http.post(`/api/articles/${slug}/comments`)).send(body);
  }

  /** A comment posted through the API (201 expected). */
  async comment(who: Account, slug: string, body: object = { body: unique('A comment') }): Promise<CommentJson> {
    const res = await this.post(who, slug, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as CommentJson;
  }

  edit(who: Account | undefined, id: string, body: string): Promise<Res> {
    return this.as(who, this.t.http.patch(`/api/comments/${id}`)).send({ body });
  }

  vote(who: Account | undefined, id: string, value: number): Promise<Res> {
    return this.as(who, this.t.http.put(`/api/comments/${id}/vote`)).send({ value });
  }

  report(who: Account | undefined, id: string, reason = 'abuse', note?: string): Promise<Res> {
    return this.as(who, this.t.http.post(`/api/comments/${id}/reports`)).send(
      note === undefined ? { reason } : { reason, note },
    );
  }

  permalink(id: string, who?: Account): Promise<Res> {
    return this.as(who, this.t.http.get(`/api/comments/${id}`));
  }

  /** The comment as a moderator sees it (body included whatever its status). */
  async seenByModerator(id: string): Promise<CommentJson> {
    const res = await this.permalink(id, this.admin);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.comment as CommentJson;
  }

  /** Every comment of the thread the viewer gets (all levels, newest first at each level). */
  async thread(slug: string, who?: Account): Promise<CommentJson[]> {
    const res = await this.as(who, this.t.http.get(`/api/articles/${slug}/comments?sort=new&limit=100&depth=10`));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return flattenThread<CommentJson>(res.body.items);
  }

  async article(slug: string): Promise<{
    commentCount: number;
    blocks: { id: string; commentCount: number }[];
    settings: { locked: boolean; premoderation: boolean; slowModeSeconds: number };
  }> {
    const res = await this.t.http.get(`/api/articles/${slug}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  }

  act(action: CommentAction, id: string, who: Account | undefined, body?: object): Promise<Res> {
    const request = this.as(who, this.t.http.post(`/api/moderation/comments/${id}/${action}`));
    return body === undefined ? request : request.send(body);
  }

  ban(userId: string, who: Account | undefined, body: object = { reason: 'Breaking the rules' }): Promise<Res> {
    return this.as(who, this.t.http.post(`/api/moderation/users/${userId}/ban`)).send(body);
  }

  unban(userId: string, who: Account | undefined): Promise<Res> {
    return this.as(who, this.t.http.delete(`/api/moderation/users/${userId}/ban`));
  }

  settings(slug: string, who: Account | undefined, body: unknown): Promise<Res> {
    return this.as(who, this.t.http.patch(`/api/articles/${slug}/settings`)).send(body as object);
  }

  async setBannedWords(words: string[], who: Account = this.admin): Promise<string[]> {
    const res = await this.as(who, this.t.http.put('/api/moderation/banned-words')).send({ words });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.words as string[];
  }

  queue(who: Account | undefined, query: Record<string, string | number> = {}): Promise<Res> {
    return this.as(who, this.t.http.get('/api/moderation/queue')).query(query);
  }

  /** Every page of a queue, each page checked for its size; the pages as they came. */
  async queuePages(query: Record<string, string | number>, who: Account = this.admin): Promise<QueueItem[][]> {
    const limit = Number(query.limit ?? 20);
    const pages: QueueItem[][] = [];
    let cursor: string | null = null;
    do {
      const res: Res = await this.queue(who, cursor ? { ...query, cursor } : query);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.items.length <= limit, `a page holds at most ${limit} items`);
      pages.push(res.body.items as QueueItem[]);
      cursor = res.body.nextCursor as string | null;
      if (cursor !== null) assert.equal(res.body.items.length, limit, 'only the last page is short');
      assert.ok(pages.length < 200, 'the cursor ends');
    } while (cursor !== null);
    return pages;
  }

  async logPages(limit: number, who: Account = this.admin): Promise<LogEntry[][]> {
    const pages: LogEntry[][] = [];
    let cursor: string | null = null;
    do {
      const res: Res = await this.as(who, this.t.http.get('/api/moderation/log')).query(
        cursor ? { limit, cursor } : { limit },
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.items.length <= limit);
      pages.push(res.body.items as LogEntry[]);
      cursor = res.body.nextCursor as string | null;
      assert.ok(pages.length < 500, 'the cursor ends');
    } while (cursor !== null);
    return pages;
  }

  async logCount(): Promise<number> {
    const rows: { n: number }[] = await this.t.dataSource.query('SELECT count(*)::int AS n FROM moderation_log');
    return rows[0].n;
  }

  async openReports(commentId: string): Promise<number> {
    const rows: { n: number }[] = await this.t.dataSource.query(
      `SELECT count(*)::int AS n FROM reports WHERE comment_id = $1 AND status = 'open'`,
      [commentId],
    );
    return rows[0].n;
  }
}

const ids = (items: { id: string }[]) => items.map((i) => i.id);

function assertEachOnce(found: string[], label: string): void {
  assert.equal(new Set(found).size, found.length, `${label}: an item came twice ${JSON.stringify(found)}`);
}

/** Polls until the socket got an event of this name whose payload matches. */
async function waitForEvent(
  socket: Follower,
  event: string,
  match: (payload: Record<string, unknown>) => boolean,
): Promise<Received> {
  return socket.waitUntil((r) => r.event === event && match(r.payload), `a matching ${event}`);
}

/** A received event about this comment (see `about`). */
const isAbout = (id: string) => (r: Received) => about(id)(r.payload);

/** A payload about this comment: `{ comment: { id } }` or `{ commentId }`. */
const about = (id: string) => (payload: Record<string, unknown>) =>
  (payload.comment as CommentJson | undefined)?.id === id || payload.commentId === id;

describe('moderation', () => {
  let w: World;
  let moderator: Account;
  let reader: Account;

  before(async () => {
    w = await World.start();
    moderator = await w.moderator();
    reader = await w.reader();
  });

  after(() => w.close());

  describe('authorisation of every moderation endpoint', () => {
    type Actor = 'anonymous' | 'reader' | 'moderator' | 'admin' | 'banned moderator';
    const ACTORS: Actor[] = ['anonymous', 'reader', 'moderator', 'admin', 'banned moderator'];
    const accounts = {} as Record<Exclude<Actor, 'anonymous'>, Account>;
    let article: ArticleFixture;

    before(async () => {
      article = await w.fx.newArticle();
      accounts.reader = reader;
      accounts.moderator = moderator;
      accounts.admin = w.admin;
      accounts['banned moderator'] = await w.moderator();
      const banned = await w.ban(accounts['banned moderator'].id, w.admin, { reason: 'Abused the tools' });
      assert.equal(banned.status, 200, JSON.stringify(banned.body));
    });

    afterEach(async () => {
      await w.setBannedWords([]);
    });

    const who = (actor: Actor) => (actor === 'anonymous' ? undefined : accounts[actor]);

    interface Target {
      id: string;
      token?: string;
    }

    interface Row {
      name: string;
      /** What a moderator and an admin get. */
      ok: 200 | 204;
      /** Log entries one successful request adds. */
      logs: number;
      /** Fresh state for one cell: what the request acts on. */
      prepare?(): Promise<Target>;
      send(as: Account | undefined, target: Target): Promise<Res>;
      /** Success: the effect took place; refusal: nothing changed. */
      check(res: Res, target: Target): Promise<void> | void;
    }

    const freshReader = async (): Promise<Target> => {
      const account = await w.reader();
      return { id: account.id, token: account.token };
    };

    const rows: Row[] = [
      {
        name: 'GET /api/moderation/queue',
        ok: 200,
        logs: 0,
        send: (as) => w.queue(as, { status: 'pending' }),
        check: (res) => {
          if (res.status !== 200) return;
          assert.ok(Array.isArray(res.body.items));
          assert.ok('nextCursor' in res.body);
        },
      },
      {
        name: 'POST /api/moderation/comments/:id/approve',
        ok: 200,
        logs: 1,
        prepare: async () => ({ id: (await w.fx.newComment({ article, status: 'pending' })).id }),
        send: (as, { id }) => w.act('approve', id, as, { reason: 'Matrix' }),
        check: async (res, { id }) => {
          if (res.status === 200) assert.deepEqual([res.body.id, res.body.status], [id, 'visible']);
          assert.equal((await w.seenByModerator(id)).status, res.status === 200 ? 'visible' : 'pending');
        },
      },
      {
        name: 'POST /api/moderation/comments/:id/remove',
        ok: 200,
        logs: 1,
        prepare: async () => ({ id: (await w.fx.newComment({ article })).id }),
        send: (as, { id }) => w.act('remove', id, as, { reason: 'Matrix' }),
        check: async (res, { id }) => {
          if (res.status === 200) assert.deepEqual([res.body.id, res.body.status], [id, 'removed']);
          assert.equal((await w.seenByModerator(id)).status, res.status === 200 ? 'removed' : 'visible');
        },
      },
      {
        name: 'POST /api/moderation/comments/:id/restore',
        ok: 200,
        logs: 1,
        prepare: async () => ({ id: (await w.fx.newComment({ article, status: 'removed' })).id }),
        send: (as, { id }) => w.act('restore', id, as, { reason: 'Matrix' }),
        check: async (res, { id }) => {
          if (res.status === 200) assert.deepEqual([res.body.id, res.body.status], [id, 'visible']);
          assert.equal((await w.seenByModerator(id)).status, res.status === 200 ? 'visible' : 'removed');
        },
      },
      {
        name: 'POST /api/moderation/users/:id/ban',
        ok: 200,
        logs: 1,
        prepare: freshReader,
        send: (as, { id }) => w.ban(id, as, { reason: 'Matrix ban' }),
        check: async (res, target) => {
          const write = await w.post(target as Account, article.slug, { body: unique('After a ban request') });
          if (res.status === 200) {
            assert.equal(res.body.user.id, target.id);
            assert.equal(res.body.until, null);
            assert.equal(res.body.reason, 'Matrix ban');
            assertError(write, 403, 'the banned user posts');
          } else {
            assert.equal(write.status, 201, `a refused ban changes nothing: ${JSON.stringify(write.body)}`);
          }
        },
      },
      {
        name: 'DELETE /api/moderation/users/:id/ban',
        ok: 204,
        logs: 1,
        prepare: async () => {
          const target = await freshReader();
          assert.equal((await w.ban(target.id, w.admin)).status, 200);
          return target;
        },
        send: (as, { id }) => w.unban(id, as),
        check: async (res, target) => {
          const write = await w.post(target as Account, article.slug, { body: unique('After an unban request') });
          if (res.status === 204) {
            assert.equal(res.text, '');
            assert.equal(write.status, 201, `the ban is lifted: ${JSON.stringify(write.body)}`);
          } else {
            assertError(write, 403, 'a refused unban changes nothing');
          }
        },
      },
      {
        name: 'GET /api/moderation/banned-words',
        ok: 200,
        logs: 0,
        send: (as) => w.as(as, w.t.http.get('/api/moderation/banned-words')),
        check: (res) => {
          if (res.status === 200) assert.deepEqual(res.body, { words: [] });
        },
      },
      {
        name: 'PUT /api/moderation/banned-words',
        ok: 200,
        logs: 1,
        send: (as) => w.as(as, w.t.http.put('/api/moderation/banned-words')).send({ words: ['matrixword'] }),
        check: async (res) => {
          const list = await w.as(w.admin, w.t.http.get('/api/moderation/banned-words'));
          assert.equal(list.status, 200);
          if (res.status === 200) assert.deepEqual(res.body, { words: ['matrixword'] });
          assert.deepEqual(list.body.words, res.status === 200 ? ['matrixword'] : []);
        },
      },
      {
        name: 'GET /api/moderation/log',
        ok: 200,
        logs: 0,
        send: (as) => w.as(as, w.t.http.get('/api/moderation/log')),
        check: (res) => {
          if (res.status !== 200) return;
          assert.ok(Array.isArray(res.body.items));
          assert.ok(res.body.items.length > 0, 'earlier actions are in the log');
        },
      },
      {
        name: 'GET /api/moderation/bans',
        ok: 200,
        logs: 0,
        send: (as) => w.as(as, w.t.http.get('/api/moderation/bans')),
        check: (res) => {
          if (res.status !== 200) return;
          const banned = (res.body.items as { user: { id: string } }[]).map((b) => b.user.id);
          assert.ok(banned.includes(accounts['banned moderator'].id), 'the banned moderator is listed');
          assert.ok('nextCursor' in res.body);
        },
      },
      {
        name: 'PATCH /api/articles/:slug/settings',
        ok: 200,
        logs: 1,
        prepare: async () => ({ id: (await w.fx.newArticle()).slug }),
        send: (as, { id }) => w.settings(id, as, { locked: true }),
        check: async (res, { id }) => {
          if (res.status === 200)
            assert.deepEqual(res.body, { locked: true, premoderation: false, slowModeSeconds: 0 });
          assert.equal((await w.article(id)).settings.locked, res.status === 200);
        },
      },
    ];

    for (const row of rows) {
      describe(row.name, () => {
        for (const actor of ACTORS) {
          const expected = actor === 'anonymous' ? 401 : actor === 'moderator' || actor === 'admin' ? row.ok : 403;
          const logs = expected < 400 ? row.logs : 0;
          it(`answers ${actor} with ${expected}, adding ${logs} log ${logs === 1 ? 'entry' : 'entries'}`, async () => {
            const target = row.prepare ? await row.prepare() : { id: '' };
            const logged = await w.logCount();
            const res = await row.send(who(actor), target);
            const label = `${row.name} as ${actor}`;
            if (expected >= 400) assertError(res, expected, label);
            else assert.equal(res.status, expected, `${label}: ${JSON.stringify(res.body)}`);
            assert.equal(await w.logCount(), logged + logs, 'log entries added');
            await row.check(res, target);
          });
        }
      });
    }

    it('tells a banned moderator why, with the ban in the message', async () => {
      const res = await w.queue(accounts['banned moderator']);
      assertError(res, 403, 'banned moderator reads the queue');
      assert.match(res.body.message as string, /banned/i);
      assert.match(res.body.message as string, /without an end date/);
    });
  });

  describe('who may ban whom, and who changes roles', () => {
    let article: ArticleFixture;

    before(async () => {
      article = await w.fx.newArticle();
    });

    it('refuses a moderator banning an admin, or lifting an admin’s ban, with 403', async () => {
      const logged = await w.logCount();
      assertError(await w.ban(w.admin.id, moderator, { reason: 'Coup' }), 403, 'a moderator bans the admin');
      assertError(await w.unban(w.admin.id, moderator), 403, 'a moderator lifts the admin’s ban');
      assert.equal(await w.logCount(), logged, 'refusals are not logged');
      const write = await w.post(w.admin, article.slug, { body: unique('The admin still writes') });
      assert.equal(write.status, 201, JSON.stringify(write.body));
    });

    it('lets an admin ban a moderator, who then can neither moderate nor write', async () => {
      const target = await w.moderator();
      const pending = await w.fx.newComment({ article, status: 'pending' });
      const res = await w.ban(target.id, w.admin, { reason: 'Abused the tools' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.user.id, target.id);
      assert.equal(res.body.user.role, 'moderator');
      assertError(await w.queue(target), 403, 'the banned moderator reads the queue');
      assertError(await w.act('approve', pending.id, target), 403, 'the banned moderator approves');
      assertError(await w.ban(reader.id, target, { reason: 'Revenge' }), 403, 'the banned moderator bans');
      assertError(await w.settings(article.slug, target, { locked: true }), 403, 'the banned moderator locks');
      assertError(await w.post(target, article.slug, { body: 'Still here' }), 403, 'the banned moderator posts');
      assert.equal((await w.seenByModerator(pending.id)).status, 'pending');
      assert.equal((await w.article(article.slug)).settings.locked, false);
    });

    it('refuses anyone banning themselves, with 403', async () => {
      const logged = await w.logCount();
      for (const self of [moderator, w.admin]) {
        assertError(await w.ban(self.id, self, { reason: 'Taking a break' }), 403, `${self.role} bans themself`);
        const write = await w.post(self, article.slug, { body: unique('Not banned') });
        assert.equal(write.status, 201, `${self.role} can still write: ${JSON.stringify(write.body)}`);
      }
      assert.equal(await w.logCount(), logged);
    });

    it('lets only an admin change a role: a moderator or a reader gets 403 and nothing changes', async () => {
      const target = await w.reader();
      const change = (as: Account | undefined) =>
        w.as(as, w.t.http.patch(`/api/admin/users/${target.id}`)).send({ role: 'moderator' });
      const me = async () => (await w.as(target, w.t.http.get('/api/auth/me')).expect(200)).body.user.role as string;
      const logged = await w.logCount();
      assertError(await change(undefined), 401, 'anonymous changes a role');
      assertError(await change(reader), 403, 'a reader changes a role');
      assertError(await change(moderator), 403, 'a moderator changes a role');
      assert.equal(await me(), 'reader');
      assert.equal(await w.logCount(), logged);
      const res = await change(w.admin);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.user.role, 'moderator');
      assert.equal(await me(), 'moderator');
      assert.equal((await w.queue(target)).status, 200, 'the new moderator moderates at once');
    });
  });

  describe('queues', () => {
    it('lists pending comments oldest first, paged by the cursor, each exactly once', async () => {
      const article = await w.fx.newArticle();
      const base = Date.now() - 3_600_000;
      // Inserted out of order, two with the same time.
      const made: string[] = [];
      for (const minutes of [3, 0, 4, 1, 2, 2]) {
        made.push(
          (await w.fx.newComment({ article, status: 'pending', createdAt: new Date(base + minutes * 60_000) })).id,
        );
      }
      await w.fx.newComment({ article });
      await w.fx.newComment({ article, status: 'removed' });
      for (const limit of [1, 2, 4]) {
        const pages = await w.queuePages({ status: 'pending', articleId: article.id, limit });
        const found = pages.flat();
        assertEachOnce(ids(found), `limit ${limit}`);
        assert.deepEqual(ids(found).sort(), [...made].sort(), `limit ${limit}: the pending comments, no other`);
        assert.equal(pages.length, Math.ceil(made.length / limit), `limit ${limit}: pages`);
        const times = found.map((c) => Date.parse(c.createdAt));
        assert.deepEqual(
          times,
          [...times].sort((a, b) => a - b),
          `limit ${limit}: oldest first`,
        );
        for (const item of found) {
          assert.equal(item.status, 'pending');
          assert.equal(item.articleId, article.id);
          assert.equal(item.articleSlug, article.slug);
          assert.equal(typeof item.body, 'string', 'a moderator sees the body');
          assert.deepEqual(item.reports, []);
        }
      }
    });

    it('pages the whole pending queue without a filter, each item exactly once', async () => {
      const mine: string[] = [];
      for (const article of [await w.fx.newArticle(), await w.fx.newArticle()]) {
        for (let i = 0; i < 3; i++) mine.push((await w.fx.newComment({ article, status: 'pending' })).id);
      }
      const found = (await w.queuePages({ status: 'pending', limit: 2 })).flat();
      assertEachOnce(ids(found), 'whole pending queue');
      const rows: { n: number }[] = await w.t.dataSource.query(
        `SELECT count(*)::int AS n FROM comments WHERE status = 'pending'`,
      );
      assert.equal(found.length, rows[0].n, 'every pending comment is listed');
      for (const id of mine) assert.ok(ids(found).includes(id), `pending ${id} is listed`);
      const times = found.map((c) => Date.parse(c.createdAt));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
        'oldest first',
      );
    });

    it('lists visible reported comments most reported first, each with its reports and its article’s slug', async () => {
      const article = await w.fx.newArticle();
      const reporters = [await w.reader(), await w.reader(), await w.reader()];
      const made = [];
      for (let i = 0; i < 5; i++) made.push((await w.fx.newComment({ article })).id);
      const [a, b, c, d, quiet] = made;
      const held = (await w.fx.newComment({ article, status: 'pending' })).id;
      const reasons = ['spam', 'abuse', 'off-topic', 'other'];
      const filed = new Map<string, { reason: string; note: string | null; reporter: string }[]>();
      const plan: [string, number][] = [
        [a, 3],
        [b, 1],
        [c, 2],
        [d, 2],
      ];
      for (const [k, [id, count]] of plan.entries()) {
        for (let i = 0; i < count; i++) {
          const reason = reasons[(k + i) % reasons.length];
          const note = i === 0 ? `Report ${k}.${i}: see the second sentence` : undefined;
          const res = await w.report(reporters[i], id, reason, note);
          assert.equal(res.status, 201, JSON.stringify(res.body));
          filed.set(id, [...(filed.get(id) ?? []), { reason, note: note ?? null, reporter: reporters[i].id }]);
        }
      }
      // A pending comment's open report does not put it in the reported queue.
      assert.equal((await w.report(moderator, held, 'spam')).status, 201);
      for (const limit of [1, 3]) {
        const found = (await w.queuePages({ status: 'reported', articleId: article.id, limit })).flat();
        assertEachOnce(ids(found), `limit ${limit}`);
        assert.deepEqual(ids(found).sort(), [a, b, c, d].sort(), `limit ${limit}: only visible reported comments`);
        assert.ok(!ids(found).includes(quiet) && !ids(found).includes(held));
        assert.equal(found[0].id, a, 'the most reported first');
        assert.deepEqual([found[1].id, found[2].id].sort(), [c, d].sort());
        assert.equal(found[3].id, b, 'the least reported last');
        for (const item of found) {
          assert.equal(item.status, 'visible');
          assert.equal(item.articleSlug, article.slug);
          const got = item.reports
            .map((r) => ({ reason: r.reason, note: r.note, reporter: r.reporter.id }))
            .sort((x, y) => x.reporter.localeCompare(y.reporter));
          const want = [...(filed.get(item.id) ?? [])].sort((x, y) => x.reporter.localeCompare(y.reporter));
          assert.deepEqual(got, want, `the reports of ${item.id}`);
          for (const r of item.reports) {
            assert.equal(r.status, 'open');
            assert.equal(r.reporter.username, reporters.find((p) => p.id === r.reporter.id)?.username);
            assert.deepEqual(Object.keys(r.reporter).sort(), ['displayName', 'id', 'role', 'username']);
          }
        }
      }
    });

    it('lists removed comments, each exactly once across pages, with their bodies for moderators', async () => {
      const article = await w.fx.newArticle();
      const removed = new Map<string, string>();
      for (let i = 0; i < 3; i++) {
        const body = unique(`To be removed ${i}`);
        const { id } = await w.comment(reader, article.slug, { body });
        assert.equal((await w.act('remove', id, moderator)).status, 200);
        removed.set(id, body);
      }
      await w.comment(reader, article.slug);
      await w.fx.newComment({ article, status: 'pending' });
      for (const limit of [1, 2]) {
        const pages = await w.queuePages({ status: 'removed', articleId: article.id, limit });
        const found = pages.flat();
        assertEachOnce(ids(found), `limit ${limit}`);
        assert.deepEqual(ids(found).sort(), [...removed.keys()].sort());
        assert.equal(pages.length, Math.ceil(removed.size / limit));
        for (const item of found) {
          assert.equal(item.status, 'removed');
          assert.equal(item.body, removed.get(item.id));
          assert.equal(item.articleSlug, article.slug);
        }
      }
    });

    it('keeps one article’s items with articleId, in every queue', async () => {
      const made: Record<string, Record<string, string>> = {};
      const articles = [await w.fx.newArticle(), await w.fx.newArticle()];
      for (const article of articles) {
        const reported = (await w.fx.newComment({ article })).id;
        assert.equal((await w.report(reader, reported)).status, 201);
        made[article.id] = {
          pending: (await w.fx.newComment({ article, status: 'pending' })).id,
          removed: (await w.fx.newComment({ article, status: 'removed' })).id,
          reported,
        };
      }
      for (const status of ['pending', 'reported', 'removed']) {
        for (const article of articles) {
          const found = (await w.queuePages({ status, articleId: article.id, limit: 100 })).flat();
          assert.deepEqual(ids(found), [made[article.id][status]], `${status} of one article`);
          assert.equal(found[0].articleSlug, article.slug);
        }
        const all = ids((await w.queuePages({ status, limit: 100 })).flat());
        for (const article of articles) assert.ok(all.includes(made[article.id][status]), `${status} unfiltered`);
        const none = await w.queue(moderator, { status, articleId: '987654321' });
        assert.equal(none.status, 200);
        assert.deepEqual(none.body, { items: [], nextCursor: null });
      }
    });

    it('answers a cursor it did not issue, or a malformed query, with 400', async () => {
      const [one, two] = [await w.fx.newArticle(), await w.fx.newArticle()];
      for (const article of [one, two]) {
        for (let i = 0; i < 2; i++) await w.fx.newComment({ article, status: 'pending' });
      }
      const first = await w.queue(moderator, { status: 'pending', articleId: one.id, limit: 1 });
      assert.equal(first.status, 200);
      const cursor = first.body.nextCursor as string;
      assert.equal(typeof cursor, 'string');
      const logCursor = (await w.as(moderator, w.t.http.get('/api/moderation/log')).query({ limit: 1 })).body
        .nextCursor as string;
      assert.equal(typeof logCursor, 'string');
      const tampered = `${cursor.slice(0, -1)}${cursor.endsWith('A') ? 'B' : 'A'}`;
      const cases: Record<string, string | number>[] = [
        { status: 'pending', articleId: one.id, cursor: 'garbage' },
        { status: 'pending', articleId: one.id, cursor: tampered },
        { status: 'pending', articleId: one.id, cursor: `${cursor}.x` },
        { status: 'pending', articleId: one.id, cursor: logCursor },
        { status: 'removed', articleId: one.id, cursor },
        { status: 'reported', articleId: one.id, cursor },
        { status: 'pending', articleId: two.id, cursor },
        { status: 'pending', cursor },
        { status: 'pending', limit: 0 },
        { status: 'pending', limit: 101 },
        { status: 'pending', limit: 'x' },
        { status: 'bogus' },
        { status: 'pending', articleId: 'abc' },
      ];
      for (const query of cases) assertErrorBody(await w.queue(moderator, query), 400, JSON.stringify(query));
      const second = await w.queue(moderator, { status: 'pending', articleId: one.id, limit: 1, cursor });
      assert.equal(second.status, 200, 'the cursor itself works');
      assert.equal(second.body.items.length, 1);
      assert.notEqual(second.body.items[0].id, first.body.items[0].id);
    });
  });

  describe('approve, remove, restore', () => {
    it('approving a pending reply shows it to readers, moves the counts, and announces it', async () => {
      const article = await w.fx.newArticle();
      const [parentAuthor, replier, other] = [await w.reader(), await w.reader(), await w.reader()];
      const parent = await w.comment(parentAuthor, article.slug, { body: 'The parent comment' });
      await w.t.dataSource.query('UPDATE articles SET premoderation = true WHERE id = $1', [article.id]);
      const [quoted, unquoted] = [article.blocks[1], article.blocks[0]];
      const body = unique('A held reply');
      const pending = await w.comment(replier, article.slug, {
        body,
        parentId: parent.id,
        quote: { source: 'article', blockId: quoted.id, text: quoted.text },
      });
      assert.equal(pending.status, 'pending');
      assertErrorBody(await w.permalink(pending.id, other), 404, 'a reader before the approval');
      const before = await w.article(article.slug);
      const parentBefore = (await w.permalink(parent.id, other)).body.comment as CommentJson;
      const { socket: room, seq } = await w.followerOf(article.slug);
      const parentSocket = await w.follower(parentAuthor);

      const res = await w.act('approve', pending.id, moderator, { reason: 'Within the rules' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.id, res.body.status, res.body.body], [pending.id, 'visible', body]);

      const seen = await w.permalink(pending.id, other);
      assert.equal(seen.status, 200, JSON.stringify(seen.body));
      assert.deepEqual([seen.body.comment.status, seen.body.comment.body], ['visible', body]);
      assert.deepEqual(ids(seen.body.ancestors as { id: string }[]), [parent.id]);
      const inThread = (await w.thread(article.slug)).find((c) => c.id === pending.id);
      assert.ok(inThread, 'an anonymous reader sees it in the thread');
      assert.deepEqual([inThread.body, inThread.parentId], [body, parent.id]);

      const after = await w.article(article.slug);
      const count = (a: typeof before, id: string) => a.blocks.find((b) => b.id === id)?.commentCount;
      assert.equal(after.commentCount, before.commentCount + 1, 'the article’s commentCount');
      assert.equal(count(after, quoted.id), (count(before, quoted.id) as number) + 1, 'the quoted block’s count');
      assert.equal(count(after, unquoted.id), count(before, unquoted.id), 'another block’s count');
      const parentAfter = (await w.permalink(parent.id, other)).body.comment as CommentJson;
      assert.equal(parentAfter.replyCount, parentBefore.replyCount + 1, 'the parent’s replyCount');

      const created = await waitForEvent(room, 'comment.created', about(pending.id));
      assert.equal(created.payload.seq, seq + 1);
      assert.equal(created.payload.articleId, article.id);
      assert.deepEqual([commentOf(created).body, commentOf(created).status], [body, 'visible']);
      // What it was until then: a moderator's page (and its author's) counted it already.
      assert.equal(created.payload.previousStatus, 'pending');
      const reply = await waitForEvent(parentSocket, 'reply.received', about(pending.id));
      assert.equal(commentOf(reply).body, body);
    });

    it('removing a comment leaves readers a placeholder, keeps the body for moderators, and tells followers without it', async () => {
      const article = await w.fx.newArticle();
      const [author, other] = [await w.reader(), await w.reader()];
      const parent = await w.comment(other, article.slug, { body: 'A parent' });
      const { socket: room, seq } = await w.followerOf(article.slug);
      const quoted = article.blocks[0];
      const body = unique('An unkind remark');
      const target = await w.comment(author, article.slug, {
        body,
        parentId: parent.id,
        quote: { source: 'article', blockId: quoted.id, text: quoted.text },
      });
      await waitForEvent(room, 'comment.created', about(target.id));
      const before = await w.article(article.slug);

      const res = await w.act('remove', target.id, moderator, { reason: 'Personal attack' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.status, res.body.body], ['removed', body], 'the moderator’s answer keeps the body');

      for (const [label, viewer] of [
        ['another reader', other],
        ['anonymous', undefined],
        ['its author', author],
      ] as const) {
        const seen = await w.permalink(target.id, viewer);
        assert.equal(seen.status, 200, `${label}: ${JSON.stringify(seen.body)}`);
        assert.equal(seen.body.comment.status, 'removed', label);
        assert.equal(seen.body.comment.body, null, label);
        assert.equal(seen.body.comment.html, null, label);
        assert.ok(!JSON.stringify(seen.body).includes(body), `${label}: no trace of the body`);
        const placeholder = (await w.thread(article.slug, viewer)).find((c) => c.id === target.id);
        assert.ok(placeholder, `${label}: the placeholder stays in the thread`);
        assert.deepEqual([placeholder.status, placeholder.body, placeholder.html], ['removed', null, null], label);
      }
      const forModerator = await w.permalink(target.id, moderator);
      assert.deepEqual([forModerator.body.comment.status, forModerator.body.comment.body], ['removed', body]);

      const after = await w.article(article.slug);
      const count = (a: typeof before) => a.blocks.find((b) => b.id === quoted.id)?.commentCount as number;
      assert.equal(after.commentCount, before.commentCount - 1, 'the article’s commentCount');
      assert.equal(count(after), count(before) - 1, 'the quoted block’s count');
      const parentNow = (await w.permalink(parent.id, other)).body.comment as CommentJson;
      const shownReplies = (await w.thread(article.slug, other)).filter((c) => c.parentId === parent.id).length;
      assert.equal(parentNow.replyCount, shownReplies, 'the parent’s replyCount counts what the thread shows');

      const removed = await waitForEvent(room, 'comment.removed', about(target.id));
      assert.equal(removed.payload.seq, seq + 2);
      assert.equal(removed.payload.articleId, article.id);
      assert.equal(removed.payload.comment, undefined);
      assert.ok(!JSON.stringify(removed.payload).includes(body), 'no body in comment.removed');

      const late = await w.follower();
      const ack = (await late.join(article.slug, seq)) as { missed: Record<string, unknown>[] };
      assert.deepEqual(
        ack.missed.map((m) => [m.type, m.seq]),
        [
          ['comment.created', seq + 1],
          ['comment.removed', seq + 2],
        ],
      );
      assert.equal((ack.missed[0].comment as CommentJson).body, null);
      assert.ok(!JSON.stringify(ack).includes(body), 'no removed body in catch-up');
    });

    it('restoring a removed comment shows it again and sends comment.restored with the comment', async () => {
      const article = await w.fx.newArticle();
      const [author, other] = [await w.reader(), await w.reader()];
      const quoted = article.blocks[1];
      const body = unique('Removed by mistake');
      const target = await w.comment(author, article.slug, {
        body,
        quote: { source: 'article', blockId: quoted.id, text: quoted.text },
      });
      assert.equal((await w.act('remove', target.id, moderator)).status, 200);
      const before = await w.article(article.slug);
      const { socket: room, seq } = await w.followerOf(article.slug);

      const res = await w.act('restore', target.id, moderator, { reason: 'Appeal upheld' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.status, res.body.body], ['visible', body]);
      const seen = await w.permalink(target.id, other);
      assert.deepEqual([seen.body.comment.status, seen.body.comment.body], ['visible', body]);
      const after = await w.article(article.slug);
      const count = (a: typeof before) => a.blocks.find((b) => b.id === quoted.id)?.commentCount as number;
      assert.equal(after.commentCount, before.commentCount + 1);
      assert.equal(count(after), count(before) + 1);

      const restored = await waitForEvent(room, 'comment.restored', about(target.id));
      assert.equal(restored.payload.seq, seq + 1);
      assert.deepEqual([commentOf(restored).status, commentOf(restored).body], ['visible', body]);
      assert.equal(restored.payload.previousStatus, 'removed');
    });

    it('approving or removing closes the comment’s open reports: it leaves the reported queue', async () => {
      const article = await w.fx.newArticle();
      const reporters = [await w.reader(), await w.reader()];
      const kept = (await w.fx.newComment({ article })).id;
      const dropped = (await w.fx.newComment({ article })).id;
      for (const id of [kept, dropped]) {
        for (const r of reporters)
          assert.equal((await w.report(r, id, 'off-topic', 'Not about the essay')).status, 201);
      }
      const reported = async () => ids((await w.queuePages({ status: 'reported', articleId: article.id })).flat());
      assert.deepEqual((await reported()).sort(), [kept, dropped].sort());

      const approved = await w.act('approve', kept, moderator);
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(approved.body.status, 'visible', 'approving a reported comment keeps it visible');
      assert.equal(await w.openReports(kept), 0);
      assert.deepEqual(await reported(), [dropped]);

      assert.equal((await w.act('remove', dropped, moderator)).status, 200);
      assert.equal(await w.openReports(dropped), 0);
      assert.deepEqual(await reported(), []);
      const [inRemoved] = (await w.queuePages({ status: 'removed', articleId: article.id })).flat();
      assert.equal(inRemoved.id, dropped);
      assert.deepEqual(
        inRemoved.reports.map((r) => r.status),
        ['closed', 'closed'],
      );

      // A new report opens the question again.
      assert.equal((await w.report(await w.reader(), kept, 'spam')).status, 201);
      const [again] = (await w.queuePages({ status: 'reported', articleId: article.id })).flat();
      assert.equal(again.id, kept);
      assert.equal(again.reports.filter((r) => r.status === 'open').length, 1);
    });

    it('refuses an invalid transition with 409 and an unknown comment with 404, changing nothing', async () => {
      const article = await w.fx.newArticle();
      const visible = (await w.fx.newComment({ article })).id;
      const removed = (await w.fx.newComment({ article, status: 'removed' })).id;
      const pending = (await w.fx.newComment({ article, status: 'pending' })).id;
      const deleted = (await w.fx.newComment({ article, status: 'deleted' })).id;
      const logged = await w.logCount();
      const cases: [CommentAction, string, string][] = [
        ['restore', visible, 'visible'],
        ['approve', removed, 'removed'],
        ['remove', removed, 'removed'],
        ['restore', pending, 'pending'],
        ['approve', deleted, 'deleted'],
        ['remove', deleted, 'deleted'],
        ['restore', deleted, 'deleted'],
      ];
      for (const [action, id, status] of cases) {
        assertError(await w.act(action, id, moderator, { reason: 'Try' }), 409, `${action} a ${status} comment`);
        assert.equal((await w.seenByModerator(id)).status, status, `${action} a ${status} comment changes nothing`);
      }
      for (const action of ['approve', 'remove', 'restore'] as const) {
        for (const id of ['987654321', 'abc', '0']) {
          assertErrorBody(await w.act(action, id, moderator), 404, `${action} ${id}`);
        }
      }
      assert.equal(await w.logCount(), logged, 'refused actions are not logged');
    });

    it('takes an optional reason and records it; a malformed one is a 400', async () => {
      const article = await w.fx.newArticle();
      const latest = async () =>
        (await w.as(moderator, w.t.http.get('/api/moderation/log')).query({ limit: 1 }).expect(200)).body
          .items[0] as LogEntry;

      const silent = (await w.fx.newComment({ article, status: 'pending' })).id;
      const res = await w.act('approve', silent, moderator);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const first = await latest();
      assert.deepEqual([first.action, first.commentId, first.reason], ['comment.approve', silent, null]);

      const explained = (await w.fx.newComment({ article })).id;
      assert.equal((await w.act('remove', explained, moderator, { reason: 'Off-topic rant' })).status, 200);
      const second = await latest();
      assert.deepEqual(
        [second.action, second.commentId, second.reason],
        ['comment.remove', explained, 'Off-topic rant'],
      );

      const logged = await w.logCount();
      const untouched = (await w.fx.newComment({ article, status: 'pending' })).id;
      for (const body of [
        { reason: 42 },
        { reason: 'x'.repeat(501) },
        { reason: 'Fine', extra: true },
        { reason: ['a'] },
      ]) {
        assertErrorBody(await w.act('approve', untouched, moderator, body), 400, JSON.stringify(body).slice(0, 60));
      }
      assert.equal((await w.seenByModerator(untouched)).status, 'pending');
      assert.equal(await w.logCount(), logged);
    });

    it('removing a pending comment tells followers nothing: they never saw it', async () => {
      const article = await w.premoderatedArticle();
      const { socket: room, seq } = await w.followerOf(article.slug);
      const author = await w.reader();
      const body = unique('Held, then removed');
      const pending = await w.comment(author, article.slug, { body });
      assert.equal(pending.status, 'pending');
      const res = await w.act('remove', pending.id, moderator, { reason: 'Spam' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal((await w.permalink(pending.id, author)).body.comment.status, 'removed');
      const ack = await (await w.follower()).join(article.slug, seq);
      assert.deepEqual([ack.seq, ack.missed], [seq, []]);
      // A moderator's comment is published at once, numbered seq + 1: the room's next event, the barrier.
      const next = await w.comment(moderator, article.slug, { body: unique('Published at once') });
      const barrier = await room.expectNoneBefore(
        (r) => ROOM_EVENT_TYPES.includes(r.event as never),
        (r) => r.event === 'comment.created' && about(next.id)(r.payload),
        'followers heard of the removal of a comment they never saw',
      );
      assert.equal(barrier.payload.seq, seq + 1);
    });
  });

  describe('bans', () => {
    let article: ArticleFixture;

    before(async () => {
      article = await w.fx.newArticle();
    });

    it('keeps a banned user from posting, editing, voting and reporting: 403 saying until when', async () => {
      const [target, other] = [await w.reader(), await w.reader()];
      const own = await w.comment(target, article.slug, { body: 'Written before the ban' });
      const theirs = await w.comment(other, article.slug);
      const until = new Date(Date.now() + 86_400_000).toISOString();
      const res = await w.ban(target.id, moderator, { reason: 'Spamming links', until });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.user, {
        id: target.id,
        username: target.username,
        displayName: target.displayName,
        role: 'reader',
      });
      assert.deepEqual([res.body.until, res.body.reason], [until, 'Spamming links']);

      const attempts: [string, Res][] = [
        ['post', await w.post(target, article.slug, { body: 'After the ban' })],
        ['reply', await w.post(target, article.slug, { body: 'A reply after the ban', parentId: theirs.id })],
        ['edit', await w.edit(target, own.id, 'Edited after the ban')],
        ['vote', await w.vote(target, theirs.id, 1)],
        ['report', await w.report(target, theirs.id, 'spam')],
      ];
      for (const [what, attempt] of attempts) {
        assertError(attempt, 403, `a banned user’s ${what}`);
        assert.ok(
          (attempt.body.message as string).includes(until),
          `${what}: the message says until ${until}: ${attempt.body.message}`,
        );
      }
      assert.equal((await w.seenByModerator(own.id)).body, 'Written before the ban');
      assert.equal((await w.seenByModerator(theirs.id)).upvotes, 0);
      assert.equal(await w.openReports(theirs.id), 0);
      const rows: { n: number }[] = await w.t.dataSource.query(
        'SELECT count(*)::int AS n FROM comments WHERE author_id = $1',
        [target.id],
      );
      assert.equal(rows[0].n, 1, 'no comment was added');
    });

    it('says “without an end date” for a ban without until', async () => {
      const target = await w.reader();
      const res = await w.ban(target.id, moderator, { reason: 'Trolling' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.until, null);
      const attempt = await w.post(target, article.slug, { body: 'Still trolling' });
      assertError(attempt, 403, 'a banned user posts');
      assert.match(attempt.body.message as string, /without an end date/);
    });

    it('lets a banned user read and stay signed in', async () => {
      const target = await w.reader();
      const own = await w.comment(target, article.slug);
      assert.equal((await w.ban(target.id, moderator, { reason: 'Cooling off' })).status, 200);
      const me = await w.as(target, w.t.http.get('/api/auth/me'));
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.equal(me.body.user.id, target.id);
      for (const path of [
        '/api/articles',
        `/api/articles/${article.slug}`,
        `/api/articles/${article.slug}/comments`,
        `/api/comments/${own.id}`,
      ]) {
        const res = await w.as(target, w.t.http.get(path));
        assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
      }
    });

    it('tells the banned user’s live connections at once, and nobody else', async () => {
      const [target, bystander] = [await w.reader(), await w.reader()];
      const sockets = [await w.follower(target), await w.follower(target)];
      // Both follow the article: a comment posted there after the bans is the barrier they must receive.
      const others = [(await w.followerOf(article.slug, bystander)).socket, (await w.followerOf(article.slug)).socket];
      const until = new Date(Date.now() + 3_600_000).toISOString();
      assert.equal((await w.ban(target.id, moderator, { reason: 'Spamming links', until })).status, 200);
      for (const socket of sockets) {
        const [banned] = await socket.waitFor(1, 'user.banned');
        assert.equal(banned.payload.until, until);
        assert.equal(banned.payload.reason, 'Spamming links');
        assert.equal(socket.socket.connected, true, 'the connection stays open');
      }
      const endless = await w.reader();
      const endlessSocket = await w.follower(endless);
      assert.equal((await w.ban(endless.id, moderator, { reason: 'For good' })).status, 200);
      const [forever] = await endlessSocket.waitFor(1, 'user.banned');
      assert.deepEqual([forever.payload.until, forever.payload.reason], [null, 'For good']);
      const barrier = await w.comment(bystander, article.slug, { body: unique('After the bans') });
      for (const socket of others) {
        await socket.expectNoneBefore('user.banned', isAbout(barrier.id), 'another user’s connection heard of the ban');
      }
    });

    it('lifts a ban with DELETE: the user writes again and their connection hears user.unbanned', async () => {
      const [target, other] = [await w.reader(), await w.reader()];
      const theirs = await w.comment(other, article.slug);
      const socket = await w.follower(target);
      assert.equal((await w.ban(target.id, moderator, { reason: 'A day off' })).status, 200);
      await socket.waitFor(1, 'user.banned');
      assertError(await w.post(target, article.slug, { body: 'Banned' }), 403, 'while banned');
      const res = await w.unban(target.id, moderator);
      assert.equal(res.status, 204, JSON.stringify(res.body));
      await socket.waitFor(1, 'user.unbanned');
      assert.equal((await w.post(target, article.slug, { body: unique('Back again') })).status, 201);
      assert.equal((await w.vote(target, theirs.id, 1)).status, 200);
      assert.equal((await w.report(target, theirs.id, 'other')).status, 201);
    });

    it('stops blocking once its until has passed', async () => {
      const [target, other] = [await w.reader(), await w.reader()];
      const own = await w.comment(target, article.slug);
      const theirs = await w.comment(other, article.slug);
      const until = new Date(Date.now() + 3_600_000).toISOString();
      assert.equal((await w.ban(target.id, moderator, { reason: 'An hour off', until })).status, 200);
      assertError(await w.post(target, article.slug, { body: 'Too early' }), 403, 'during the ban');
      await w.t.dataSource.query("UPDATE users SET banned_until = now() - interval '1 second' WHERE id = $1", [
        target.id,
      ]);
      assert.equal((await w.post(target, article.slug, { body: unique('After the ban') })).status, 201);
      assert.equal((await w.edit(target, own.id, 'Edited after the ban')).status, 200);
      assert.equal((await w.vote(target, theirs.id, -1)).status, 200);
      assert.equal((await w.report(target, theirs.id, 'spam')).status, 201);
    });

    it('refuses an until in the past or a malformed ban with 400, and an unknown user with 404', async () => {
      const target = await w.reader();
      const logged = await w.logCount();
      const past = new Date(Date.now() - 60_000).toISOString();
      assertErrorBody(await w.ban(target.id, moderator, { reason: 'Too late', until: past }), 400, 'until in the past');
      for (const body of [
        {},
        { reason: '' },
        { reason: '   ' },
        { until: new Date(Date.now() + 60_000).toISOString() },
        { reason: 'Soon', until: 'tomorrow' },
        { reason: 'Soon', until: 1_900_000_000_000 },
        { reason: 'Soon', extra: true },
        { reason: 42 },
      ]) {
        assertErrorBody(await w.ban(target.id, moderator, body), 400, JSON.stringify(body));
      }
      const write = await w.post(target, article.slug, { body: unique('Not banned') });
      assert.equal(write.status, 201, 'a refused ban changes nothing');
      for (const id of ['987654321', 'abc', '0']) {
        assertErrorBody(await w.ban(id, moderator, { reason: 'Nobody' }), 404, `ban user ${id}`);
        assertErrorBody(await w.unban(id, moderator), 404, `unban user ${id}`);
      }
      assert.equal(await w.logCount(), logged, 'refusals are not logged');
    });
  });

  describe('banned words', () => {
    afterEach(async () => {
      await w.setBannedWords([]);
    });

    it('stores the list normalised: lower case, without duplicates, sorted', async () => {
      const res = await w
        .as(moderator, w.t.http.put('/api/moderation/banned-words'))
        .send({ words: ['Scoundrel', 'scoundrel', '  Knave ', 'ＲＯＧＵＥ', 'Running  Dog', 'knave'] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const expected = ['knave', 'rogue', 'running dog', 'scoundrel'];
      assert.deepEqual(res.body, { words: expected });
      const list = await w.as(moderator, w.t.http.get('/api/moderation/banned-words'));
      assert.deepEqual(list.body, { words: expected });
      assert.deepEqual(await w.setBannedWords([], moderator), []);
      assert.deepEqual((await w.as(moderator, w.t.http.get('/api/moderation/banned-words'))).body, { words: [] });
    });

    it('refuses a malformed list with 400 and keeps the one in place', async () => {
      await w.setBannedWords(['knave']);
      for (const body of [
        {},
        { words: 'knave' },
        { words: [1] },
        { words: [''] },
        { words: ['x'.repeat(101)] },
        { words: ['rogue'], extra: true },
        { words: Array.from({ length: 1001 }, (_, i) => `word${i}`) },
      ]) {
        const res = await w.as(moderator, w.t.http.put('/api/moderation/banned-words')).send(body);
        assertErrorBody(res, 400, JSON.stringify(body).slice(0, 80));
      }
      assert.deepEqual((await w.as(moderator, w.t.http.get('/api/moderation/banned-words'))).body, {
        words: ['knave'],
      });
    });

    it('holds a new comment containing a banned word, in any case or disguise, for moderation', async () => {
      await w.setBannedWords(['scoundrel'], moderator);
      const article = await w.fx.newArticle();
      const [author, other] = [await w.reader(), await w.reader()];
      const moderatorSocket = await w.follower(moderator);
      const { socket: room } = await w.followerOf(article.slug);
      const { socket: otherSocket } = await w.followerOf(article.slug, other);
      const bodies = [
        'You are a scoundrel.',
        'SCOUNDREL!',
        'What a Scoundrel, really',
        'A ｓｃｏｕｎｄｒｅｌ in full width',
        'A scoun\u200bdrel with a zero-width space',
        'An _emphatic_ **scoundrel**',
      ];
      const held: string[] = [];
      for (const body of bodies) {
        const res = await w.post(author, article.slug, { body });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.status, 'pending', `“${body}” is held`);
        held.push(res.body.id);
        const own = await w.permalink(res.body.id, author);
        assert.deepEqual([own.status, own.body.comment?.body], [200, body], 'its author sees it');
        assertErrorBody(await w.permalink(res.body.id, other), 404, `another reader, “${body}”`);
        const queued = await waitForEvent(moderatorSocket, 'moderation.queued', about(res.body.id));
        assert.equal(commentOf(queued).body, body);
      }
      for (const viewer of [other, undefined]) {
        const seen = ids(await w.thread(article.slug, viewer));
        for (const id of held) assert.ok(!seen.includes(id), 'readers do not see it in the thread');
      }
      const authorThread = ids(await w.thread(article.slug, author));
      for (const id of held) assert.ok(authorThread.includes(id), 'its author sees it in the thread');
      assert.equal((await w.article(article.slug)).commentCount, 0);
      const shown = await w.comment(other, article.slug, { body: 'A clean remark, shown at once' });
      assert.equal(shown.status, 'visible');
      for (const socket of [room, otherSocket]) {
        await socket.expectNoneBefore(
          (r) => ['comment.created', 'moderation.queued'].includes(r.event) || held.some((id) => about(id)(r.payload)),
          isAbout(shown.id),
          'a reader’s connection got something about a held comment',
        );
      }
    });

    it('holds a comment whose banned word hides in Markdown or character references', async () => {
      await w.setBannedWords(['zorblax'], moderator);
      const article = await w.fx.newArticle();
      const author = await w.reader();
      for (const body of [
        'zor**blax**',
        'zor*blax*',
        'z&#111;rblax',
        'zor&shy;blax',
        'zor&#8203;blax',
        '&#xFF5A;&#xFF4F;&#xFF52;&#xFF42;&#xFF4C;&#xFF41;&#xFF58;',
        '&#65338;&#65327;&#65330;&#65314;&#65324;&#65313;&#65336;',
      ]) {
        const res = await w.post(author, article.slug, { body });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.status, 'pending', `“${body}” is held`);
      }
      for (const body of ['zor\n\nblax', 'z&amp;#111;rblax']) {
        const res = await w.post(author, article.slug, { body });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.status, 'visible', `“${body}” is shown as two words or as written: not held`);
      }
    });

    it('holds a comment quoting a banned word, and an edit whose banned word hides in Markdown', async () => {
      const article = await w.fx.newArticle();
      const author = await w.reader();
      const earlier = await w.comment(author, article.slug, { body: 'zorblax was fine yesterday' });
      await w.setBannedWords(['zorblax'], moderator);
      const quoting = await w.post(author, article.slug, {
        body: 'I disagree',
        quote: { source: 'comment', commentId: earlier.id, text: 'zorblax was fine' },
      });
      assert.equal(quoting.status, 201, JSON.stringify(quoting.body));
      assert.equal(quoting.body.status, 'pending', 'the quoted passage is shown with the comment');
      const edited = await w.edit(author, earlier.id, 'zor**blax**, said again');
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.status, 'pending');
    });

    it('does not hold a comment where the word is only part of a longer word', async () => {
      await w.setBannedWords(['scoundrel'], moderator);
      const article = await w.fx.newArticle();
      for (const body of ['Scoundrels, all of them', 'scoundrelly acts', 'notascoundrel', 'scoundrel2']) {
        const res = await w.post(reader, article.slug, { body });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.status, 'visible', `“${body}” is not held`);
      }
    });

    it('sends a visible comment that an edit fills with a banned word back to pending', async () => {
      await w.setBannedWords(['knave'], moderator);
      const article = await w.fx.newArticle();
      const [author, other] = [await w.reader(), await w.reader()];
      const moderatorSocket = await w.follower(moderator);
      const { socket: room, seq } = await w.followerOf(article.slug);
      const target = await w.comment(author, article.slug, { body: 'An honest remark' });
      assert.equal(target.status, 'visible');
      const before = await w.article(article.slug);

      const res = await w.edit(author, target.id, 'You knave');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.status, res.body.body], ['pending', 'You knave']);
      // Readers saw it: they keep a bare placeholder where it stood (as live followers saw it leave), nothing more.
      const seen = await w.permalink(target.id, other);
      assert.equal(seen.status, 200, JSON.stringify(seen.body));
      assert.deepEqual(
        [seen.body.comment.status, seen.body.comment.body, seen.body.comment.editedAt],
        ['removed', null, null],
      );
      assert.ok(!JSON.stringify(seen.body).includes('knave'), 'another reader sees nothing of the new text');
      assert.equal((await w.permalink(target.id, author)).body.comment.status, 'pending', 'its author still sees it');
      assert.equal((await w.article(article.slug)).commentCount, before.commentCount - 1);

      const removed = await waitForEvent(room, 'comment.removed', about(target.id));
      assert.equal(removed.payload.seq, seq + 2);
      const queued = await waitForEvent(moderatorSocket, 'moderation.queued', about(target.id));
      assert.equal(commentOf(queued).body, 'You knave');
      assert.equal(queued.payload.cause, 'edited', 'sent back to review: a moderator’s total counted it already');
      const next = await w.comment(other, article.slug, { body: 'A later, clean remark' });
      await room.expectNoneBefore(
        (r) => JSON.stringify(r).includes('You knave'),
        isAbout(next.id),
        'followers got the new text',
      );
    });

    it('sends readers no comment in catch-up that an edit sent back to pending', async () => {
      await w.setBannedWords(['knave'], moderator);
      const article = await w.fx.newArticle();
      const author = await w.reader();
      const { seq } = await w.followerOf(article.slug);
      const target = await w.comment(author, article.slug, { body: 'An honest remark, at first' });
      assert.equal((await w.edit(author, target.id, 'You knave')).body.status, 'pending');
      const ack = (await (await w.follower()).join(article.slug, seq)) as { missed: Record<string, unknown>[] };
      assert.ok(!JSON.stringify(ack).includes('You knave'));
      for (const event of ack.missed.filter(about(target.id))) {
        const comment = event.comment as CommentJson | undefined;
        if (!comment) continue;
        assert.ok(
          comment.status !== 'visible' && comment.body === null,
          `catch-up shows a comment that is now pending as ${JSON.stringify(comment)}`,
        );
      }
    });

    it('does not hold moderators or admins', async () => {
      await w.setBannedWords(['scoundrel'], moderator);
      const article = await w.fx.newArticle();
      for (const writer of [moderator, w.admin]) {
        const res = await w.post(writer, article.slug, { body: `Said by a ${writer.role}: scoundrel` });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.status, 'visible');
      }
      const own = await w.comment(moderator, article.slug, { body: 'A calm remark' });
      const edited = await w.edit(moderator, own.id, 'Edited: SCOUNDREL');
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.status, 'visible');
      assert.equal((await w.permalink(own.id)).body.comment.body, 'Edited: SCOUNDREL');
    });
  });

  describe('article settings', () => {
    it('locking stops readers commenting and voting, is announced to followers, and shows on the article', async () => {
      const article = await w.fx.newArticle();
      const [author, other] = [await w.reader(), await w.reader()];
      const existing = await w.comment(author, article.slug);
      const { socket: room, seq } = await w.followerOf(article.slug);
      const locked = { locked: true, premoderation: false, slowModeSeconds: 0 };

      const res = await w.settings(article.slug, moderator, { locked: true });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, locked);
      const [updated] = await room.waitFor(1, 'article.updated');
      assert.equal(updated.payload.seq, seq + 1);
      assert.equal(updated.payload.articleId, article.id);
      assert.deepEqual(updated.payload.settings, locked);
      assert.deepEqual((await w.article(article.slug)).settings, locked);

      assertError(await w.post(other, article.slug, { body: 'Into a locked thread' }), 403, 'a comment');
      assertError(await w.post(other, article.slug, { body: 'A reply', parentId: existing.id }), 403, 'a reply');
      assertError(await w.vote(other, existing.id, 1), 403, 'a vote');
      assert.equal((await w.seenByModerator(existing.id)).upvotes, 0);

      const unlocked = await w.settings(article.slug, moderator, { locked: false });
      assert.equal(unlocked.status, 200);
      const events = await room.waitFor(2, 'article.updated');
      assert.equal(events[1].payload.seq, seq + 2);
      assert.equal((await w.post(other, article.slug, { body: unique('Open again') })).status, 201);
      assert.equal((await w.vote(other, existing.id, 1)).status, 200);
    });

    it('premoderation holds readers’ new comments, not moderators’', async () => {
      const article = await w.fx.newArticle();
      const res = await w.settings(article.slug, w.admin, { premoderation: true });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { locked: false, premoderation: true, slowModeSeconds: 0 });
      assert.equal((await w.article(article.slug)).settings.premoderation, true);
      const held = await w.comment(reader, article.slug, { body: 'Awaiting a moderator' });
      assert.equal(held.status, 'pending');
      const free = await w.comment(moderator, article.slug, { body: 'A moderator speaks' });
      assert.equal(free.status, 'visible');
      assert.deepEqual(ids(await w.thread(article.slug)), [free.id]);
      const queue = (await w.queuePages({ status: 'pending', articleId: article.id })).flat();
      assert.deepEqual(ids(queue), [held.id]);
    });

    it('slow mode answers a reader’s second comment within the interval with 429 and Retry-After; moderators are exempt', async () => {
      const article = await w.fx.newArticle();
      const res = await w.settings(article.slug, moderator, { slowModeSeconds: 30 });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { locked: false, premoderation: false, slowModeSeconds: 30 });
      const [first, second] = [await w.reader(), await w.reader()];
      const opening = await w.comment(first, article.slug, { body: 'My first point' });
      for (const body of [{ body: 'My second point' }, { body: 'A reply too soon', parentId: opening.id }]) {
        const again = await w.post(first, article.slug, body);
        assertErrorBody(again, 429, `slow mode: ${body.body}`);
        const retryAfter = Number(again.headers['retry-after']);
        assert.ok(
          Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 30,
          `Retry-After ${again.headers['retry-after']}`,
        );
      }
      assert.equal((await w.post(second, article.slug, { body: 'Someone else' })).status, 201, 'per reader');
      for (let i = 0; i < 2; i++) {
        const free = await w.post(moderator, article.slug, { body: unique('A moderator, again') });
        assert.equal(free.status, 201, `a moderator is exempt: ${JSON.stringify(free.body)}`);
      }
      assert.equal((await w.settings(article.slug, moderator, { slowModeSeconds: 0 })).status, 200);
      assert.equal((await w.post(first, article.slug, { body: 'Slow mode is off' })).status, 201);
    });

    it('refuses null for a setting with 400, never a 500, changing nothing', async () => {
      const article = await w.fx.newArticle();
      const logged = await w.logCount();
      const answers: [string, Res][] = [];
      for (const body of [{ slowModeSeconds: null }, { locked: null }, { premoderation: null }]) {
        answers.push([JSON.stringify(body), await w.settings(article.slug, moderator, body)]);
      }
      assert.deepEqual(
        answers.map(([body, res]) => `${body} -> ${res.status}`),
        answers.map(([body]) => `${body} -> 400`),
      );
      for (const [body, res] of answers) assertErrorBody(res, 400, body);
      assert.deepEqual((await w.article(article.slug)).settings, {
        locked: false,
        premoderation: false,
        slowModeSeconds: 0,
      });
      assert.equal(await w.logCount(), logged);
    });

    it('refuses an empty body or a value out of range with 400, and an unknown article with 404, changing nothing', async () => {
      const article = await w.fx.newArticle();
      const defaults = { locked: false, premoderation: false, slowModeSeconds: 0 };
      const logged = await w.logCount();
      for (const body of [
        {},
        { slowModeSeconds: -1 },
        { slowModeSeconds: 86_401 },
        { slowModeSeconds: 'x' },
        { slowModeSeconds: '30' },
        { slowModeSeconds: 1.5 },
        { locked: 'yes' },
        { premoderation: 1 },
        { locked: true, extra: 1 },
      ]) {
        assertErrorBody(await w.settings(article.slug, moderator, body), 400, JSON.stringify(body));
      }
      assertErrorBody(await w.settings('no-such-article', moderator, { locked: true }), 404, 'unknown article');
      assert.deepEqual((await w.article(article.slug)).settings, defaults);
      assert.equal(await w.logCount(), logged, 'refusals are not logged');
      for (const slowModeSeconds of [86_400, 0]) {
        const res = await w.settings(article.slug, moderator, { slowModeSeconds });
        assert.equal(res.status, 200, `${slowModeSeconds}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.slowModeSeconds, slowModeSeconds);
      }
    });
  });

  describe('moderation.queued', () => {
    async function sockets() {
      const secondModerator = await w.moderator();
      const moderators = [await w.follower(moderator), await w.follower(secondModerator), await w.follower(w.admin)];
      return { moderators };
    }

    it('reaches every connected moderator when a comment enters the pending queue, and no reader', async () => {
      const article = await w.premoderatedArticle();
      const { moderators } = await sockets();
      const author = await w.reader();
      // All follow the article: a moderator's comment there, published at once, is the barrier they must receive.
      const readers = [
        (await w.followerOf(article.slug, reader)).socket,
        (await w.followerOf(article.slug)).socket,
        (await w.followerOf(article.slug, author)).socket,
      ];
      const body = unique('Held for the queue');
      const pending = await w.comment(author, article.slug, { body });
      assert.equal(pending.status, 'pending');
      for (const socket of moderators) {
        const queued = await waitForEvent(socket, 'moderation.queued', about(pending.id));
        assert.deepEqual([commentOf(queued).body, commentOf(queued).status], [body, 'pending']);
        assert.equal(queued.payload.articleId, article.id);
        assert.equal(queued.payload.cause, 'posted');
      }
      const barrier = await w.comment(moderator, article.slug, { body: unique('Published at once') });
      for (const socket of readers) await socket.expectNoneBefore('moderation.queued', isAbout(barrier.id));
    });

    it('tells every connected moderator, and no reader, that its author withdrew a held comment', async () => {
      const article = await w.premoderatedArticle();
      const { moderators } = await sockets();
      const author = await w.reader();
      const readers = [(await w.followerOf(article.slug, reader)).socket, (await w.followerOf(article.slug)).socket];
      const pending = await w.comment(author, article.slug, { body: unique('Held, then withdrawn') });
      for (const socket of moderators) await waitForEvent(socket, 'moderation.queued', about(pending.id));
      await w.t.http.delete(`/api/comments/${pending.id}`).set('Authorization', bearer(author.token)).expect(204);
      for (const socket of moderators) {
        const withdrawn = await waitForEvent(socket, 'moderation.withdrawn', about(pending.id));
        assert.deepEqual([withdrawn.payload.articleId, withdrawn.payload.seq], [article.id, null]);
      }
      const barrier = await w.comment(moderator, article.slug, { body: unique('Published at once') });
      for (const socket of readers) await socket.expectNoneBefore('moderation.withdrawn', isAbout(barrier.id));
    });

    it('reaches every connected moderator when a visible comment is reported, and no reader', async () => {
      const article = await w.fx.newArticle();
      const [author, reporter] = [await w.reader(), await w.reader()];
      const target = await w.comment(author, article.slug, { body: unique('Reported soon') });
      const { moderators } = await sockets();
      const readers = [
        (await w.followerOf(article.slug, reporter)).socket,
        (await w.followerOf(article.slug, author)).socket,
        (await w.followerOf(article.slug)).socket,
      ];
      assert.equal((await w.report(reporter, target.id, 'abuse', 'Insulting')).status, 201);
      for (const socket of moderators) {
        const queued = await waitForEvent(socket, 'moderation.queued', about(target.id));
        assert.equal(commentOf(queued).id, target.id);
        assert.equal(queued.payload.cause, 'reported');
      }
      const barrier = await w.comment(author, article.slug, { body: unique('After the report') });
      for (const socket of readers) await socket.expectNoneBefore('moderation.queued', isAbout(barrier.id));
    });

    it('stops reaching a moderator demoted to reader, on the connection already open', async () => {
      const demoted = await w.moderator();
      const demotedSocket = await w.follower(demoted);
      const control = await w.follower(moderator);
      const res = await w.as(w.admin, w.t.http.patch(`/api/admin/users/${demoted.id}`)).send({ role: 'reader' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assertError(await w.queue(demoted), 403, 'the demoted user reads the queue');
      const article = await w.premoderatedArticle();
      // It follows the article: a moderator's comment there, published at once, is the barrier it must receive.
      assert.equal((await demotedSocket.join(article.slug)).ok, true);
      const body = unique('Pending, not for former moderators');
      const pending = await w.comment(await w.reader(), article.slug, { body });
      await waitForEvent(control, 'moderation.queued', about(pending.id));
      const barrier = await w.comment(moderator, article.slug, { body: unique('Published at once') });
      await demotedSocket.expectNoneBefore(
        (r) => r.event === 'moderation.queued' || JSON.stringify(r).includes(body),
        isAbout(barrier.id),
        'a reader’s connection received a pending comment through moderation.queued',
      );
    });
  });
});

describe('moderation log', () => {
  let w: World;

  before(async () => {
    w = await World.start();
  });

  after(() => w.close());

  const project = (e: LogEntry) => ({
    actor: e.actor.id,
    action: e.action,
    commentId: e.commentId,
    userId: e.userId,
    articleId: e.articleId,
    reason: e.reason,
  });

  it('holds each action once, newest first, with actor, action, targets, reason and time; refusals leave nothing', async () => {
    const started = Date.now();
    const { admin } = w;
    const moderator = await w.moderator();
    const [reader, promoted] = [await w.reader(), await w.reader()];
    const article = await w.fx.newArticle();
    const pending = (await w.fx.newComment({ article, status: 'pending' })).id;
    const visible = (await w.fx.newComment({ article })).id;
    const ok = async (request: Promise<Res>, status = 200) => {
      const res = await request;
      assert.equal(res.status, status, JSON.stringify(res.body));
    };
    const refused = async (request: Promise<Res>, status: number, label: string) => {
      assertError(await request, status, label);
    };
    const until = new Date(Date.now() + 86_400_000).toISOString();

    await ok(w.act('approve', pending, moderator, { reason: 'Within the rules' }));
    await refused(w.act('restore', pending, moderator, { reason: 'Nothing to restore' }), 409, 'restore a visible');
    await refused(w.act('approve', pending, reader, {}), 403, 'a reader approves');
    await ok(w.act('remove', visible, moderator, { reason: 'Personal attack' }));
    await refused(w.act('approve', visible, moderator), 409, 'approve a removed');
    await refused(w.act('remove', visible, undefined), 401, 'anonymous removes');
    await ok(w.act('restore', visible, admin, { reason: 'Appeal upheld' }));
    await refused(w.act('approve', '987654321', moderator), 404, 'approve an unknown comment');
    await ok(w.ban(reader.id, moderator, { reason: 'Spam links', until }));
    await refused(w.ban(admin.id, moderator, { reason: 'Coup' }), 403, 'a moderator bans the admin');
    await refused(w.ban(moderator.id, moderator, { reason: 'Self' }), 403, 'a moderator bans themself');
    await refused(
      w.ban(reader.id, moderator, { reason: 'Again', until: new Date(Date.now() - 1000).toISOString() }),
      400,
      'until in the past',
    );
    await refused(w.ban('987654321', moderator, { reason: 'Nobody' }), 404, 'ban an unknown user');
    await ok(w.unban(reader.id, moderator), 204);
    await refused(w.unban('987654321', moderator), 404, 'unban an unknown user');
    await refused(
      w.as(moderator, w.t.http.put('/api/moderation/banned-words')).send({ words: [''] }),
      400,
      'an empty banned word',
    );
    await ok(w.as(moderator, w.t.http.put('/api/moderation/banned-words')).send({ words: ['knave', 'Rogue'] }));
    await refused(w.settings(article.slug, moderator, {}), 400, 'empty settings');
    await refused(w.settings(article.slug, moderator, { slowModeSeconds: -1 }), 400, 'negative slow mode');
    await refused(w.settings(article.slug, reader, { locked: true }), 403, 'a reader locks');
    await ok(w.settings(article.slug, moderator, { slowModeSeconds: 10 }));
    await refused(
      w.as(moderator, w.t.http.patch(`/api/admin/users/${promoted.id}`)).send({ role: 'moderator' }),
      403,
      'a moderator changes a role',
    );
    await ok(w.as(admin, w.t.http.patch(`/api/admin/users/${promoted.id}`)).send({ role: 'moderator' }));
    const finished = Date.now();

    const none = { commentId: null, userId: null, articleId: null, reason: null };
    const expected = [
      { ...none, actor: admin.id, action: 'user.role', userId: moderator.id },
      {
        ...none,
        actor: moderator.id,
        action: 'comment.approve',
        commentId: pending,
        articleId: article.id,
        reason: 'Within the rules',
      },
      {
        ...none,
        actor: moderator.id,
        action: 'comment.remove',
        commentId: visible,
        articleId: article.id,
        reason: 'Personal attack',
      },
      {
        ...none,
        actor: admin.id,
        action: 'comment.restore',
        commentId: visible,
        articleId: article.id,
        reason: 'Appeal upheld',
      },
      { ...none, actor: moderator.id, action: 'user.ban', userId: reader.id, reason: 'Spam links' },
      { ...none, actor: moderator.id, action: 'user.unban', userId: reader.id },
      { ...none, actor: moderator.id, action: 'banned-words.update' },
      { ...none, actor: moderator.id, action: 'article.settings', articleId: article.id },
      { ...none, actor: admin.id, action: 'user.role', userId: promoted.id },
    ].reverse();

    for (const limit of [2, 3, 100]) {
      const pages = await w.logPages(limit, moderator);
      const entries = pages.flat();
      assert.equal(pages.length, Math.max(1, Math.ceil(expected.length / limit)), `limit ${limit}: pages`);
      assertEachOnce(ids(entries), `limit ${limit}`);
      assert.deepEqual(entries.map(project), expected, `limit ${limit}: every action once, newest first`);
      const times = entries.map((e) => Date.parse(e.createdAt));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => b - a),
        'newest first',
      );
      for (const entry of entries) {
        assert.match(entry.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        const at = Date.parse(entry.createdAt);
        assert.ok(at >= started - 1000 && at <= finished + 1000, `${entry.action} at ${entry.createdAt}`);
        assert.deepEqual(Object.keys(entry.actor).sort(), ['displayName', 'id', 'role', 'username']);
        const actor = [admin, moderator].find((a) => a.id === entry.actor.id);
        assert.equal(entry.actor.username, actor?.username);
      }
    }
  });

  it('names the user and the article an entry is about, with nothing private about them', async () => {
    const moderator = await w.moderator();
    const target = await w.reader();
    const article = await w.fx.newArticle();
    const comment = (await w.fx.newComment({ article })).id;
    assert.equal((await w.act('remove', comment, moderator, { reason: 'Named' })).status, 200);
    assert.equal((await w.ban(target.id, moderator, { reason: 'Named too' })).status, 200);
    await w.setBannedWords(['named'], moderator);
    const [words, ban, remove] = (await w.logPages(3, moderator))[0] as (LogEntry & {
      user: unknown;
      article: unknown;
    })[];
    assert.deepEqual([words.action, ban.action, remove.action], ['banned-words.update', 'user.ban', 'comment.remove']);
    assert.deepEqual(ban.user, {
      id: target.id,
      username: target.username,
      displayName: target.displayName,
      role: 'reader',
    });
    assert.equal(ban.article, null);
    const title = (await w.t.http.get(`/api/articles/${article.slug}`)).body.title as string;
    assert.deepEqual(remove.article, { id: article.id, slug: article.slug, title });
    assert.equal(remove.user, null);
    assert.deepEqual([words.user, words.article], [null, null]);
    const res = await w.as(moderator, w.t.http.get('/api/moderation/log')).query({ limit: 3 });
    assert.doesNotMatch(res.text, /password|hash|token|username_?key/i);
  });

  it('answers a cursor it did not issue or an out-of-range limit with 400', async () => {
    const moderator = await w.moderator();
    await w.setBannedWords(['one']);
    await w.setBannedWords(['two']);
    const first = await w.as(moderator, w.t.http.get('/api/moderation/log')).query({ limit: 1 });
    assert.equal(first.status, 200);
    const cursor = first.body.nextCursor as string;
    assert.equal(typeof cursor, 'string');
    const queueCursor = await (async () => {
      const article = await w.fx.newArticle();
      for (let i = 0; i < 2; i++) await w.fx.newComment({ article, status: 'pending' });
      return (await w.queue(moderator, { status: 'pending', limit: 1 })).body.nextCursor as string;
    })();
    for (const query of [
      { cursor: 'garbage' },
      { cursor: `${cursor.slice(0, -1)}${cursor.endsWith('A') ? 'B' : 'A'}` },
      { cursor: queueCursor },
      { limit: 0 },
      { limit: 101 },
      { limit: 'many' },
    ]) {
      const res = await w.as(moderator, w.t.http.get('/api/moderation/log')).query(query);
      assertErrorBody(res, 400, JSON.stringify(query));
    }
    const next = await w.as(moderator, w.t.http.get('/api/moderation/log')).query({ limit: 1, cursor });
    assert.equal(next.status, 200);
    assert.notEqual(next.body.items[0].id, first.body.items[0].id);
  });

  it('offers no way to change or delete an entry', async () => {
    const article = await w.fx.newArticle();
    assert.equal((await w.settings(article.slug, w.admin, { locked: true })).status, 200);
    const snapshot = async () => (await w.logPages(100)).flat();
    const before = await snapshot();
    const [newest] = before;
    assert.equal(newest.action, 'article.settings');
    for (const path of ['/api/moderation/log', `/api/moderation/log/${newest.id}`]) {
      const attempts: [string, supertest.Test][] = [
        ['POST', w.t.http.post(path)],
        ['PUT', w.t.http.put(path)],
        ['PATCH', w.t.http.patch(path)],
        ['DELETE', w.t.http.delete(path)],
      ];
      for (const [method, request] of attempts) {
        const res = await w.as(w.admin, request).send({ reason: 'Rewritten', action: 'user.role' });
        assertClientError(res, `${method} ${path}`);
        assert.ok([404, 405].includes(res.status), `${method} ${path}: ${res.status}`);
      }
    }
    assert.deepEqual(await snapshot(), before, 'the log is as it was');
    assert.equal((await w.settings(article.slug, w.admin, { locked: false })).status, 200);
    const after = await snapshot();
    assert.equal(after.length, before.length + 1);
    assert.deepEqual(after.slice(1), before, 'a new action adds an entry on top and changes none');
  });
});
