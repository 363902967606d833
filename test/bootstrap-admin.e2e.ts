import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import supertest from 'supertest';
import { createApp } from '../src/app.factory.js';
import { AuthService } from '../src/auth/auth.service.js';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { newTestDatabase, testConfig } from './helpers/test-app.js';

/** What register, login and a role change answer (the fields these tests read). */
interface Answer {
  user: { id: string; role: string };
  token: string;
}

/**
 * The bootstrap admin (ADMIN_USERNAME / ADMIN_PASSWORD) as real starts of the server see it: each case runs the
 * entry point as a child process on a database of its own, stops it and starts it again with other variables. The
 * cases share nothing, so they run at once.
 */
describe('the bootstrap admin', { concurrency: true }, () => {
  const databases: { drop(): Promise<void> }[] = [];
  const running: AppProcess[] = [];

  after(async () => {
    for (const app of running) await app.stop('SIGKILL');
    for (const database of databases) await database.drop();
  });

  async function start(databaseUrl: string, env: Record<string, string>): Promise<AppProcess> {
    const app = await startAppProcess({
      DATABASE_URL: databaseUrl,
      SEED_ON_START: 'false',
      RATE_LIMIT_FACTOR: '1000',
      ...env,
    });
    running.push(app);
    return app;
  }

  async function stop(app: AppProcess): Promise<void> {
    assert.equal(await app.stop('SIGTERM'), 0);
  }

  async function post(
    app: AppProcess,
    route: string,
    body: unknown,
    token?: string,
  ): Promise<{ status: number; body: Answer }> {
    const res = await fetch(`${app.baseUrl}/api${route}`, {
      method: route.startsWith('/admin') ? 'PATCH' : 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Answer };
  }

  /**
   * A database where a reader registered `siteadmin` (password `readers-own-password`) before any admin setting: as
   * a start with ADMIN_USERNAME=operator leaves it, made by the app in this process (the starts under test are the
   * child processes; a child only to set up the state cost a second and a half of CPU).
   */
  async function databaseWithReaderSiteadmin(): Promise<string> {
    const database = await newTestDatabase();
    databases.push(database);
    const app = await createApp(
      testConfig({ ADMIN_USERNAME: 'operator', ADMIN_PASSWORD: 'operators-password-1' }),
      database.url,
    );
    try {
      await app.init();
      assert.equal(await app.get(AuthService).ensureAdmin(), 'created');
      const registered = await supertest(app.getHttpServer())
        .post('/api/auth/register')
        .send({ username: 'siteadmin', password: 'readers-own-password' });
      assert.equal(registered.status, 201);
    } finally {
      await app.close();
    }
    return database.url;
  }

  let databaseUrl: string;
  /** The same state for the test that changes it: a copy, made before anything connects to the original again. */
  let secondDatabaseUrl: string;
  before(async () => {
    databaseUrl = await databaseWithReaderSiteadmin();
    const copy = await newTestDatabase({ copyOf: databaseUrl });
    databases.push(copy);
    secondDatabaseUrl = copy.url;
  });

  it('does not make an existing account admin when ADMIN_PASSWORD is not its password, and says so at start', async () => {
    const app = await start(databaseUrl, { ADMIN_USERNAME: 'siteadmin', ADMIN_PASSWORD: 'operators-chosen-password' });
    const reader = await post(app, '/auth/login', { username: 'siteadmin', password: 'readers-own-password' });
    assert.equal(reader.status, 200);
    assert.equal(reader.body.user.role, 'reader');
    assert.equal(
      (await post(app, '/auth/login', { username: 'siteadmin', password: 'operators-chosen-password' })).status,
      401,
    );
    assert.ok(
      /ADMIN_USERNAME "siteadmin" names an existing reader account .* NOT made admin/.test(app.output()),
      `start log lacks /ADMIN_USERNAME "siteadmin" names an existing reader account .* NOT made admin/`,
    );
    assert.ok(!/operators-chosen-password|readers-own-password/.test(app.output()), 'no password in the log');
    await stop(app);
    // Without ADMIN_PASSWORD at all it is not promoted either (and no password is generated for it).
    const again = await start(databaseUrl, { ADMIN_USERNAME: 'siteadmin' });
    const still = await post(again, '/auth/login', { username: 'siteadmin', password: 'readers-own-password' });
    assert.equal(still.body.user.role, 'reader');
    assert.ok(
      /NOT made admin.*ADMIN_PASSWORD is not set|ADMIN_PASSWORD is not set.*NOT made admin/.test(again.output()),
      `start log lacks /NOT made admin.*ADMIN_PASSWORD is not set|ADMIN_PASSWORD is not set.*NOT made admin/`,
    );
    assert.ok(!/generated password/.test(again.output()), `start log has /generated password/`);
    await stop(again);
  });

  it("makes an existing account admin when ADMIN_PASSWORD is that account's password, and says so", async () => {
    const app = await start(secondDatabaseUrl, { ADMIN_USERNAME: 'siteadmin', ADMIN_PASSWORD: 'readers-own-password' });
    const admin = await post(app, '/auth/login', { username: 'siteadmin', password: 'readers-own-password' });
    assert.equal(admin.body.user.role, 'admin');
    assert.ok(
      /Made the existing account "siteadmin" admin/.test(app.output()),
      `start log lacks /Made the existing account "siteadmin" admin/`,
    );
    assert.ok(!/readers-own-password/.test(app.output()), `start log has /readers-own-password/`);
    await stop(app);
  });

  it('creates the bootstrap admin once: demoted later, a restart does not make it admin again', async () => {
    const database = await newTestDatabase();
    databases.push(database);
    const env = { ADMIN_USERNAME: 'founder', ADMIN_PASSWORD: 'founders-password-1' };
    const first = await start(database.url, env);
    const founder = await post(first, '/auth/login', { username: 'founder', password: 'founders-password-1' });
    assert.equal(founder.body.user.role, 'admin');
    // A second admin demotes the founder (nobody changes their own role).
    const successor = await post(first, '/auth/register', { username: 'successor', password: 'successors-password' });
    assert.equal(
      (await post(first, `/admin/users/${successor.body.user.id}`, { role: 'admin' }, founder.body.token)).status,
      200,
    );
    assert.equal(
      (await post(first, `/admin/users/${founder.body.user.id}`, { role: 'reader' }, successor.body.token)).status,
      200,
    );
    await stop(first);

    const second = await start(database.url, env);
    const demoted = await post(second, '/auth/login', { username: 'founder', password: 'founders-password-1' });
    assert.equal(demoted.status, 200);
    assert.equal(demoted.body.user.role, 'reader', 'still demoted after a restart with the same variables');
    assert.ok(
      /Created the first admin "founder"/.test(first.output()),
      `start log lacks /Created the first admin "founder"/`,
    );
    assert.ok(
      !/Created the first admin|Made the existing account/.test(second.output()),
      `start log has /Created the first admin|Made the existing account/`,
    );
    await stop(second);
  });
  it('shows a generated password once: in the JSON log as one record that holds it, in the text log as a banner', async () => {
    const database = await newTestDatabase();
    databases.push(database);
    const json = await start(database.url, { ADMIN_USERNAME: 'keeper', LOG_FORMAT: 'json', LOG_LEVEL: 'warn' });
    await stop(json);
    // Every line is a JSON record (no loose banner); one of them, at warn, holds the password and says what it is.
    const records = json
      .output()
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as { level: number; msg: string; firstAdminPassword?: string });
    const shown = records.filter((record) => record.firstAdminPassword !== undefined);
    assert.equal(shown.length, 1, 'one record holds the generated password');
    assert.equal(shown[0].level, 40);
    assert.match(shown[0].msg, /Created the first admin "keeper" .*generated password.*shown this once/);
    const password = shown[0].firstAdminPassword as string;
    assert.equal(json.output().split(password).length, 2, 'the password is written once');

    const again = await start(database.url, { ADMIN_USERNAME: 'keeper', LOG_FORMAT: 'json' });
    const keeper = await post(again, '/auth/login', { username: 'keeper', password });
    assert.equal(keeper.body.user.role, 'admin');
    assert.ok(!again.output().includes('firstAdminPassword'), 'a later start shows no password');
    await stop(again);

    const textDatabase = await newTestDatabase();
    databases.push(textDatabase);
    const text = await start(textDatabase.url, { ADMIN_USERNAME: 'keeper', LOG_FORMAT: 'text', LOG_LEVEL: 'warn' });
    await stop(text);
    const banner = /The first admin is "keeper" with the generated password:\s+(\S+)/.exec(text.output());
    assert.ok(banner, `start output lacks the banner: ${text.output()}`);
  });
});
