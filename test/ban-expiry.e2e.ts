import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import supertest from 'supertest';
import { createApp } from '../src/app.factory.js';
import { BanExpiry } from '../src/moderation/ban-expiry.js';
import { ADMIN_ENV, type Account, bearer, newUser, signInAdmin, withRole } from './helpers/accounts.js';
import { Fixtures } from './helpers/fixtures.js';
import { Follower } from './helpers/sockets.js';
import { startTestApp, testConfig, type TestApp } from './helpers/test-app.js';

/**
 * A ban with an end date ends by itself, live: the user is told, a moderator's queue comes back. Each test makes its
 * own users and articles, and the tests that stop a process run on a database (and processes) of their own, so the
 * tests pass in any order and alone; they run at once, as most of their time is spent waiting for bans to end.
 */
describe('bans that end by themselves', { concurrency: true }, () => {
  let t: TestApp;
  let admin: Account;
  const open: Follower[] = [];
  const apps: INestApplication[] = [];
  const worlds: TestApp[] = [];

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    admin = await signInAdmin(t);
  });

  after(async () => {
    open.forEach((f) => f.close());
    for (const app of apps) await app.close();
    for (const world of worlds) await world.close();
    await t.close();
  });

  /** An app on a database of its own, with its admin signed in: for a test that stops processes. */
  const ownWorld = async () => {
    const world = await startTestApp({ env: ADMIN_ENV });
    worlds.push(world);
    return { world, admin: await signInAdmin(world) };
  };
  const follow = async (baseUrl: string, account: Account) => {
    const f = await Follower.connect(baseUrl, account.token);
    open.push(f);
    return f;
  };
  const ban = (user: Account, ms: number) =>
    t.http
      .post(`/api/moderation/users/${user.id}/ban`)
      .set('Authorization', bearer(admin.token))
      .send({ reason: 'a short cooling-off', until: new Date(Date.now() + ms).toISOString() })
      .expect(200);
  const queuedBodies = (f: Follower) =>
    f.events('moderation.queued').map((e) => (e.payload.comment as { body: string }).body);

  it('tells a moderator when the ban ends, and the queue reaches them again', async () => {
    const article = await new Fixtures(t.app).newArticle();
    // Every new comment waits for a moderator: each one is a moderation.queued event.
    await t.http
      .patch(`/api/articles/${article.slug}/settings`)
      .set('Authorization', bearer(admin.token))
      .send({ premoderation: true })
      .expect(200);
    const writer = await newUser(t);
    const pending = (body: string) =>
      t.http
        .post(`/api/articles/${article.slug}/comments`)
        .set('Authorization', bearer(writer.token))
        .send({ body })
        .expect(201);
    const moderator = await withRole(t, admin.token, 'moderator');
    const watcher = await follow(t.baseUrl, await withRole(t, admin.token, 'moderator'));
    const f = await follow(t.baseUrl, moderator);
    const banned = Date.now();
    await ban(moderator, 3_000);
    await f.waitFor(1, 'user.banned');
    await pending('queued during the ban');
    assert.ok(Date.now() - banned < 3_000, 'the comment was posted while the ban lasted');
    await watcher.waitFor(1, 'moderation.queued'); // the positive control: it went out
    // The end of the ban reaches this connection after the queued comment went out: it is the barrier.
    await f.expectNoneBefore('moderation.queued', 'user.unbanned', 'the queue reached the banned moderator');
    await pending('queued after the ban');
    await f.waitFor(1, 'moderation.queued');
    assert.deepEqual(queuedBodies(f), ['queued after the ban']);
    assert.equal(f.events('user.unbanned').length, 1, 'told once');
    const me = await t.http.get('/api/auth/me').set('Authorization', bearer(moderator.token)).expect(200);
    assert.equal(me.body.ban, null);
    const rows: { banned: boolean }[] = await t.dataSource.query('SELECT banned FROM users WHERE id = $1', [
      moderator.id,
    ]);
    assert.equal(rows[0].banned, false, 'the ban is cleared in the database, not only read as over');
  });

  it('waits for the new end when a ban is renewed before it ends', async () => {
    const reader = await newUser(t);
    const f = await follow(t.baseUrl, reader);
    await ban(reader, 1_500);
    const renewed = Date.now() + 3_500;
    await t.http
      .post(`/api/moderation/users/${reader.id}/ban`)
      .set('Authorization', bearer(admin.token))
      .send({ reason: 'renewed', until: new Date(renewed).toISOString() })
      .expect(200);
    const me = await t.http.get('/api/auth/me').set('Authorization', bearer(reader.token)).expect(200);
    assert.equal(me.body.ban?.reason, 'renewed');
    // The renewed end is the barrier: an end at the first date would have reached the connection before it.
    await f.waitUntil('user.unbanned', 'the end of the renewed ban', 15_000);
    assert.ok(Date.now() >= renewed, 'the first end passed without ending the renewed ban');
    assert.equal(f.events('user.unbanned').length, 1, 'told once');
  });

  it('ends a ban set before a restart: the restarted process reads it back', async () => {
    const { world, admin: itsAdmin } = await ownWorld();
    const reader = await newUser(world);
    const banned = Date.now();
    const lasts = 6_000;
    await world.http
      .post(`/api/moderation/users/${reader.id}/ban`)
      .set('Authorization', bearer(itsAdmin.token))
      .send({ reason: 'across a restart', until: new Date(banned + lasts).toISOString() })
      .expect(200);
    // The process that set the ban goes; a new one on the same database takes over.
    const config = testConfig();
    const next = await createApp(config, world.databaseUrl);
    apps.push(next);
    await next.listen(0, '127.0.0.1');
    const address = next.getHttpServer().address() as { port: number };
    await world.app.close();
    const f = await follow(`http://127.0.0.1:${address.port}`, reader);
    assert.ok(Date.now() - banned < lasts, 'the reader was listening before the ban ended (else this proves nothing)');
    await f.waitUntil('user.unbanned', 'told within 10 s of the end', banned + lasts + 10_000 - Date.now());
    const rows: { banned: boolean }[] = await next
      .get(DataSource)
      .query('SELECT banned FROM users WHERE id = $1', [reader.id]);
    assert.equal(rows[0].banned, false);
  });

  it('ends a ban set by a process that then went away, from another that was already running', async () => {
    const { world, admin: itsAdmin } = await ownWorld();
    // Only these two run on this database: its first app goes before they start.
    await world.app.close();
    // Both run before the ban: the second reads nothing at its start, and only its sweep can find the ban.
    const config = testConfig();
    const setter = await createApp(config, world.databaseUrl);
    apps.push(setter);
    await setter.init();
    const survivor = await createApp(config, world.databaseUrl);
    apps.push(survivor);
    await survivor.listen(0, '127.0.0.1');
    const reader = await newUser({ app: survivor }, `elsewhere_${Date.now()}`);
    const f = await follow(`http://127.0.0.1:${(survivor.getHttpServer().address() as { port: number }).port}`, reader);
    await supertest(setter.getHttpServer())
      .post(`/api/moderation/users/${reader.id}/ban`)
      .set('Authorization', bearer(itsAdmin.token))
      .send({ reason: 'set elsewhere', until: new Date(Date.now() + 1_500).toISOString() })
      .expect(200);
    await setter.close(); // its timer goes with it
    await survivor.get(BanExpiry).sweep();
    await f.waitUntil('user.unbanned', 'told within 10 s', 10_000);
  });
});
