import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { ensureDatabase } from '../src/database/database-server.js';
import { type RunningPostgres, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { prepareDatabase } from '../src/database/prepare-database.js';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { Follower } from './helpers/sockets.js';

/** How long live updates may take to come back after the database connection under them was lost. */
const RECOVERY_MS = 15_000;
const ADMIN_PASSWORD = 'fanout-admin-password';

/**
 * Live updates survive a lost database connection: two app processes (A and B) on one PostgreSQL server of this suite's
 * own (so that it can be restarted), followers on each. The LISTEN connection of the cross-process fan-out is killed,
 * then the whole server is restarted; followers must get events again within seconds, on the process that writes and
 * on the other one, and a SIGTERM afterwards must stop a process promptly.
 */
describe('live updates when the fan-out loses its database connection', () => {
  let dataDir: string;
  let server: RunningPostgres;
  let port: number;
  let databaseUrl: string;
  let a: AppProcess;
  let b: AppProcess;
  let slug: string;
  let writerToken: string;
  const followers: Follower[] = [];

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'forum-fanout-'));
    server = await startEmbeddedPostgres({ dataDir, port: 0, persistent: true, throwaway: true, log: () => undefined });
    port = Number(new URL(server.serverUrl).port);
    databaseUrl = await ensureDatabase(server.serverUrl, 'fanout_check');
    await prepareDatabase(databaseUrl, () => undefined);
    const env = { DATABASE_URL: databaseUrl, RATE_LIMIT_FACTOR: '100000', ADMIN_PASSWORD, SEED_ON_START: 'false' };
    a = await startAppProcess(env);
    b = await startAppProcess(env);
    const admin = await api(a, 'POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    assert.equal(admin.status, 200);
    const article = await api(
      a,
      'POST',
      '/api/articles',
      { title: `Fan-out ${randomBytes(3).toString('hex')}`, author: 'A. Writer', body: 'One paragraph.' },
      admin.body.token as string,
    );
    assert.equal(article.status, 201, JSON.stringify(article.body));
    slug = article.body.slug as string;
    const writer = await api(a, 'POST', '/api/auth/register', {
      username: `writer_${randomBytes(3).toString('hex')}`,
      password: 'a long enough password',
    });
    assert.equal(writer.status, 201);
    writerToken = writer.body.token as string;
  });

  after(async () => {
    followers.forEach((f) => f.close());
    await a?.stop('SIGKILL');
    await b?.stop('SIGKILL');
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function api(
    app: AppProcess,
    method: string,
    url: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    try {
      const res = await fetch(`${app.baseUrl}${url}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    } catch {
      return { status: 0, body: {} };
    }
  }

  async function follow(app: AppProcess, when: string): Promise<Follower> {
    const f = await Follower.connect(app.baseUrl);
    followers.push(f);
    const joined = await f.join(slug).catch((error: Error) => ({ ok: false, error: error.message }));
    assert.equal(joined.ok, true, `a join ${when} answered ${JSON.stringify(joined)}`);
    return f;
  }

  const bodies = (f: Follower) => f.events('comment.created').map((e) => (e.payload.comment as { body: string }).body);

  async function waitUntil<T>(
    what: string,
    probe: () => T | undefined | Promise<T | undefined>,
    ms = RECOVERY_MS,
  ): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Posts a comment on `writeTo` every half second until each follower has received one of them (the first ones may be
   * written while the database is still away, or published while the fan-out is reconnecting): the time it took.
   */
  async function untilEventsFlow(label: string, writeTo: AppProcess, to: Follower[]): Promise<number> {
    const started = Date.now();
    let sent = 0;
    const arrived = () => to.every((f) => bodies(f).some((body) => body.startsWith(`${label} `)));
    while (!arrived()) {
      if (Date.now() - started > RECOVERY_MS) {
        throw new Error(
          `no "${label}" event reached every follower within ${RECOVERY_MS} ms (${sent} posted); got ${JSON.stringify(to.map(bodies))}`,
        );
      }
      const res = await api(
        writeTo,
        'POST',
        `/api/articles/${slug}/comments`,
        { body: `${label} ${sent}` },
        writerToken,
      );
      if (res.status === 201) sent++;
      const next = Date.now() + 500;
      while (!arrived() && Date.now() < next) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return Date.now() - started;
  }

  /** A comment posted now reaches every follower (the flow is steady, not a lucky probe). */
  async function flowsNow(label: string, writeTo: AppProcess, to: Follower[]): Promise<void> {
    const res = await api(writeTo, 'POST', `/api/articles/${slug}/comments`, { body: label }, writerToken);
    assert.equal(res.status, 201);
    await waitUntil(
      `"${label}" at every follower`,
      () => (to.every((f) => bodies(f).includes(label)) ? true : undefined),
      5_000,
    );
  }

  async function killListenBackends(): Promise<number> {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      // Both processes have their LISTEN connection up before it is killed.
      const listeners = async () =>
        (
          await admin.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
          )
        ).rows[0].n as number;
      await waitUntil('a LISTEN connection from each process', async () =>
        (await listeners()) >= 2 ? true : undefined,
      );
      const res = await admin.query(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
      );
      return res.rows.filter((r: { ok: boolean }) => r.ok).length;
    } finally {
      await admin.end();
    }
  }

  const readiness = async (app: AppProcess) => api(app, 'GET', '/readyz');

  it('keeps local followers served, and the fan-out reconnects by itself, when its LISTEN connection is killed', async () => {
    const onA = await follow(a, 'before the kill');
    const onB = await follow(b, 'before the kill');
    await untilEventsFlow('before the kill', a, [onA, onB]);

    const killedAt = Date.now();
    assert.ok((await killListenBackends()) >= 2, 'the LISTEN connections of both processes were killed');
    // The process that writes serves its own followers whatever happens to the fan-out, at once.
    await flowsNow('local, right after the kill', a, [onA]);
    // Presence still works on that process.
    const second = await follow(a, 'right after the kill');
    await waitUntil('presence on A after the kill', () => second.events('presence').at(-1));
    // The fan-out reconnected by itself: events cross to the other process again, and readiness saw it.
    const took = await untilEventsFlow('across, after the kill', a, [onA, onB]);
    await flowsNow('across, steady after the kill', a, [onA, onB]);
    await flowsNow('from B, steady after the kill', b, [onA, onB]);
    // Each process tells its own followers that events written elsewhere meanwhile may be missing (they join again).
    for (const f of [onA, onB])
      await waitUntil('server.reconnected after the kill', () => f.events('server.reconnected').at(-1));
    for (const app of [a, b]) {
      const ready = await waitUntil('readiness after the reconnection', async () => {
        const res = await readiness(app);
        const since = Date.parse(
          (res.body.checks as { liveFanout?: { since?: string } } | undefined)?.liveFanout?.since ?? '',
        );
        return res.status === 200 && since >= killedAt ? res : undefined;
      });
      assert.equal(ready.body.status, 'ready');
    }
    console.log(`# events crossed processes again ${took} ms after the kill`);
  });

  it('serves followers again, on one process and across two, after PostgreSQL restarts', async () => {
    const onA = await follow(a, 'before the restart');
    const onB = await follow(b, 'before the restart');
    await untilEventsFlow('before the restart', a, [onA, onB]);
    await server.stop();
    const down = await readiness(a); // asserted once events flow again
    server = await startEmbeddedPostgres({ dataDir, port, persistent: true, throwaway: true, log: () => undefined });
    const local = await untilEventsFlow('local, after the restart', a, [onA]);
    const across = await untilEventsFlow('across, after the restart', a, [onA, onB]);
    await flowsNow('across, steady after the restart', a, [onA, onB]);
    await flowsNow('from B, steady after the restart', b, [onA, onB]);
    for (const f of [onA, onB])
      await waitUntil('server.reconnected after the restart', () => f.events('server.reconnected').at(-1));
    assert.equal(down.status, 503, 'readiness reported the outage');
    assert.equal(down.body.status, 'unavailable');
    const checks = down.body.checks as Record<string, { status: string }>;
    assert.equal(checks.database.status, 'down');
    assert.equal(checks.liveFanout.status, 'down');
    assert.doesNotMatch(
      JSON.stringify(down.body),
      /postgres:|password|ECONN|terminat|at \w+ \(/i,
      'nothing but statuses',
    );
    for (const app of [a, b])
      await waitUntil('readiness after the restart', async () =>
        (await readiness(app)).status === 200 ? true : undefined,
      );
    assert.deepEqual(await api(a, 'GET', '/healthz'), { status: 200, body: { status: 'ok' } });
    console.log(`# after the restart: local events in ${local} ms, across processes in ${across} ms more`);
  });

  it('stops promptly on SIGTERM while the fan-out has just lost its connection', async () => {
    assert.ok((await killListenBackends()) >= 2);
    const res = await api(
      a,
      'POST',
      `/api/articles/${slug}/comments`,
      { body: 'sent while the fan-out reconnects' },
      writerToken,
    );
    assert.equal(res.status, 201);
    const started = Date.now();
    const code = await a.stop('SIGTERM');
    const took = Date.now() - started;
    assert.equal(code, 0, a.output().slice(-2000));
    // Nothing is left open but the followers' connections, which the stop closes itself: no grace period to wait out.
    assert.ok(took < 5_000, `SIGTERM took ${took} ms`);
    console.log(`# SIGTERM stopped the process in ${took} ms`);
  });
});
