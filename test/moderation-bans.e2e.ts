import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type supertest from 'supertest';
import {
  type Account,
  ADMIN_ENV,
  assertErrorBody,
  bearer,
  newUser,
  signInAdmin,
  withRole,
} from './helpers/accounts.js';
import { Fixtures } from './helpers/fixtures.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

type Res = supertest.Response;

interface UserJson {
  id: string;
  username: string;
  displayName: string;
  role: string;
}

interface BanJson {
  user: UserJson;
  until: string | null;
  reason: string;
  bannedAt: string | null;
  bannedBy: UserJson | null;
}

const USER_KEYS = ['displayName', 'id', 'role', 'username'];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('GET /api/moderation/bans', () => {
  let t: TestApp;
  let admin: Account;
  let moderator: Account;

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
  });

  after(() => t.close());

  const as = <T extends supertest.Test>(who: Account | undefined, request: T): T =>
    who ? request.set('Authorization', bearer(who.token)) : request;

  const bans = (who: Account | undefined, query: Record<string, string | number> = {}): Promise<Res> =>
    as(who, t.http.get('/api/moderation/bans')).query(query);

  async function ban(target: Account, who: Account, body: { reason: string; until?: string }): Promise<void> {
    const res = await as(who, t.http.post(`/api/moderation/users/${target.id}/ban`)).send(body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }

  async function unban(target: Account, who: Account): Promise<void> {
    const res = await as(who, t.http.delete(`/api/moderation/users/${target.id}/ban`));
    assert.equal(res.status, 204, JSON.stringify(res.body));
  }

  /** Every page at this limit, each checked for its size; the pages as they came. */
  async function pages(limit: number, who: Account = moderator): Promise<BanJson[][]> {
    const found: BanJson[][] = [];
    let cursor: string | null = null;
    do {
      const res: Res = await bans(who, cursor ? { limit, cursor } : { limit });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body as object).sort(), ['items', 'nextCursor']);
      assert.ok(res.body.items.length <= limit, `a page holds at most ${limit} items`);
      found.push(res.body.items as BanJson[]);
      cursor = res.body.nextCursor as string | null;
      if (cursor !== null) assert.equal(res.body.items.length, limit, 'only the last page is short');
      assert.ok(found.length < 200, 'the cursor ends');
    } while (cursor !== null);
    return found;
  }

  const listed = async (): Promise<BanJson[]> => (await pages(100)).flat();
  const idsOf = (items: BanJson[]) => items.map((b) => b.user.id);

  /** Can this account write? (201 for a comment, 403 while banned.) */
  async function writes(who: Account, slug: string): Promise<number> {
    const res = await as(who, t.http.post(`/api/articles/${slug}/comments`)).send({ body: 'Am I allowed to speak?' });
    return res.status;
  }

  const newArticleSlug = async (): Promise<string> => (await new Fixtures(t.app).newArticle()).slug;

  describe('who may list the bans', () => {
    let reader: Account;
    let bannedModerator: Account;

    before(async () => {
      reader = await newUser(t);
      bannedModerator = await withRole(t, admin.token, 'moderator');
      await ban(bannedModerator, admin, { reason: 'Abused the tools' });
    });

    it('answers anonymous with 401', async () => {
      const res = await bans(undefined);
      assertErrorBody(res, 401, 'anonymous');
      assert.equal(res.body.error, 'unauthenticated');
    });

    it('answers a reader and a banned moderator with 403', async () => {
      for (const [label, who] of [
        ['reader', reader],
        ['banned moderator', bannedModerator],
      ] as const) {
        const res = await bans(who);
        assertErrorBody(res, 403, label);
        assert.equal(res.body.error, 'forbidden', label);
      }
    });

    it('answers a moderator and an admin with 200 and the bans in force', async () => {
      for (const who of [moderator, admin]) {
        const res = await bans(who);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.ok(idsOf(res.body.items as BanJson[]).includes(bannedModerator.id), `${who.role} sees the ban`);
      }
    });
  });

  it('lists each ban in force, newest first, with until, reason, when and by whom, and nothing private', async () => {
    const [first, second, third] = [await newUser(t), await newUser(t), await newUser(t)];
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const started = Date.now();
    await ban(first, moderator, { reason: 'Spam links', until });
    await ban(second, admin, { reason: 'Personal attacks' });
    await ban(third, moderator, { reason: 'Off-topic flood', until });
    const finished = Date.now();

    const mine = (await listed()).filter((b) => [first.id, second.id, third.id].includes(b.user.id));
    assert.deepEqual(idsOf(mine), [third.id, second.id, first.id], 'newest ban first');
    const byId = new Map(mine.map((b) => [b.user.id, b]));
    const expect = [
      { account: first, until, reason: 'Spam links', by: moderator },
      { account: second, until: null, reason: 'Personal attacks', by: admin },
      { account: third, until, reason: 'Off-topic flood', by: moderator },
    ];
    for (const { account, until: end, reason, by } of expect) {
      const entry = byId.get(account.id) as BanJson;
      assert.deepEqual(entry.user, {
        id: account.id,
        username: account.username,
        displayName: account.displayName,
        role: 'reader',
      });
      assert.equal(entry.until, end);
      assert.equal(entry.reason, reason);
      assert.match(entry.bannedAt ?? '', ISO);
      const at = Date.parse(entry.bannedAt as string);
      assert.ok(at >= started - 1000 && at <= finished + 1000, `banned at ${entry.bannedAt}`);
      assert.deepEqual(entry.bannedBy, {
        id: by.id,
        username: by.username,
        displayName: by.displayName,
        role: by.role,
      });
    }

    const res = await bans(moderator, { limit: 100 });
    const hashes: { hash: string }[] = await t.dataSource.query(
      'SELECT password_hash AS hash FROM users WHERE id = ANY($1::bigint[])',
      [[first.id, second.id, third.id, moderator.id, admin.id]],
    );
    for (const { hash } of hashes) assert.ok(!res.text.includes(hash), 'no password hash in the answer');
    assert.doesNotMatch(res.text, /password|hash|token|usernameKey|username_key|banned_until|createdAt/i);
    for (const entry of res.body.items as BanJson[]) {
      assert.deepEqual(Object.keys(entry).sort(), ['bannedAt', 'bannedBy', 'reason', 'until', 'user']);
      assert.deepEqual(Object.keys(entry.user).sort(), USER_KEYS);
      if (entry.bannedBy) assert.deepEqual(Object.keys(entry.bannedBy).sort(), USER_KEYS);
    }
  });

  it('drops expired and lifted bans, and lists a renewed ban as the newest', async () => {
    const slug = await newArticleSlug();
    const [expiring, lifted, renewed, kept] = [await newUser(t), await newUser(t), await newUser(t), await newUser(t)];
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    await ban(expiring, moderator, { reason: 'An hour off', until: inAnHour });
    await ban(lifted, moderator, { reason: 'A mistake' });
    await ban(renewed, moderator, { reason: 'First warning', until: inAnHour });
    await ban(kept, moderator, { reason: 'Still out' });
    const all = [expiring, lifted, renewed, kept].map((a) => a.id);
    const mine = async () => (await listed()).filter((b) => all.includes(b.user.id));
    assert.deepEqual(idsOf(await mine()), [kept.id, renewed.id, lifted.id, expiring.id]);

    // The hour passes (moved back in SQL: nobody waits an hour).
    await t.dataSource.query("UPDATE users SET banned_until = now() - interval '1 second' WHERE id = $1", [
      expiring.id,
    ]);
    assert.equal(await writes(expiring, slug), 201, 'the expired ban no longer blocks');
    assert.deepEqual(idsOf(await mine()), [kept.id, renewed.id, lifted.id], 'the expired ban is gone');

    await unban(lifted, moderator);
    assert.equal(await writes(lifted, slug), 201, 'the lifted ban no longer blocks');
    assert.deepEqual(idsOf(await mine()), [kept.id, renewed.id], 'the lifted ban is gone');

    await ban(renewed, admin, { reason: 'Second time' });
    const now = await mine();
    assert.deepEqual(idsOf(now), [renewed.id, kept.id], 'the renewed ban is the newest');
    assert.deepEqual([now[0].until, now[0].reason, now[0].bannedBy?.id], [null, 'Second time', admin.id]);
    assert.equal(await writes(kept, slug), 403, 'a ban in force still blocks');

    // Banned again after a lift: listed once more.
    await ban(lifted, moderator, { reason: 'Back to it' });
    assert.deepEqual(idsOf(await mine()), [lifted.id, renewed.id, kept.id]);
  });

  it('pages every ban exactly once at any limit, bans missing from the log last', async () => {
    for (let i = 0; i < 5; i++) await ban(await newUser(t), moderator, { reason: `Paging ${i}` });
    // Bans written straight into the table (an import, an older version) have no log entry: they come last.
    const unlogged = [await newUser(t), await newUser(t)];
    await t.dataSource.query(
      "UPDATE users SET banned = true, banned_until = NULL, ban_reason = 'Set by hand' WHERE id = ANY($1::bigint[])",
      [unlogged.map((a) => a.id)],
    );
    const whole = await listed();
    const total = whole.length;
    assert.ok(total >= 7, `at least the 7 bans of this test: ${total}`);
    assert.deepEqual(new Set(idsOf(whole)).size, total, 'each user once');
    assert.deepEqual(
      idsOf(whole.slice(-2)),
      unlogged.map((a) => a.id).reverse(),
      'bans without a log entry last, newest user first',
    );
    for (const entry of whole.slice(-2)) {
      assert.deepEqual([entry.bannedAt, entry.bannedBy, entry.reason], [null, null, 'Set by hand']);
    }
    const times = whole.filter((b) => b.bannedAt).map((b) => Date.parse(b.bannedAt as string));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      'newest ban first',
    );

    for (const limit of [1, 2, 3, total, total + 1]) {
      const found = await pages(limit);
      assert.equal(found.length, Math.max(1, Math.ceil(total / limit)), `limit ${limit}: pages`);
      assert.deepEqual(found.flat(), whole, `limit ${limit}: the same list, in the same order`);
    }
    const defaults = await bans(moderator);
    assert.equal(defaults.status, 200);
    assert.equal(defaults.body.items.length, Math.min(20, total), 'the default limit is 20');
  });

  it('answers a cursor it did not issue, or a limit out of range, with 400', async () => {
    for (let i = 0; i < 2; i++) await ban(await newUser(t), moderator, { reason: `Cursor ${i}` });
    const first = await bans(moderator, { limit: 1 });
    assert.equal(first.status, 200);
    const cursor = first.body.nextCursor as string;
    assert.equal(typeof cursor, 'string');
    const logCursor = (await as(moderator, t.http.get('/api/moderation/log')).query({ limit: 1 })).body
      .nextCursor as string;
    assert.equal(typeof logCursor, 'string');
    const refused: Record<string, string | number>[] = [
      { cursor: 'garbage' },
      { cursor: `${cursor.slice(0, -1)}${cursor.endsWith('A') ? 'B' : 'A'}` },
      { cursor: logCursor },
      { cursor: '' },
      { limit: 0 },
      { limit: 101 },
      { limit: 'many' },
      { unknown: 'x' },
    ];
    for (const query of refused) {
      assertErrorBody(await bans(moderator, query), 400, JSON.stringify(query));
    }
    const next = await bans(moderator, { limit: 1, cursor });
    assert.equal(next.status, 200);
    assert.notEqual(next.body.items[0].user.id, first.body.items[0].user.id);
  });
});
