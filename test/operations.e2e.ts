import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { request, type Server } from 'node:http';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { ADMIN_ENV, assertErrorBody, bearer, newUser, signInAdmin } from './helpers/accounts.js';
import { Fixtures } from './helpers/fixtures.js';
import { Follower } from './helpers/sockets.js';
import { newTestDatabase, startTestApp, type TestApp } from './helpers/test-app.js';

const METRICS_TOKEN = 'scrape-me-0123456789abcdef';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The value of one series in a Prometheus text answer (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    if (wanted.every((pair) => labelText.split(',').includes(pair))) return Number(line.split(' ').at(-1));
  }
  return 0;
}

/** Every label value of every series. */
function labelValues(text: string): string[] {
  return [...text.matchAll(/[a-zA-Z_]+="((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]);
}

describe('operations: metrics, request ids, timeouts', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ env: { ...ADMIN_ENV, METRICS_TOKEN, HTTP_KEEP_ALIVE_TIMEOUT_MS: '61000' } });
  });

  after(async () => {
    await t.close();
  });

  it('answers 404 on /metrics when no METRICS_TOKEN is configured', async () => {
    const other = await startTestApp();
    try {
      const res = await other.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
      assertErrorBody(res, 404);
      assertErrorBody(await other.http.get('/api/metrics'), 404);
    } finally {
      await other.close();
    }
  });

  it('refuses a missing or wrong metrics token with 401 and the usual error body', async () => {
    assertErrorBody(await t.http.get('/metrics'), 401, 'missing');
    assertErrorBody(await t.http.get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789'), 401, 'wrong');
    assertErrorBody(await t.http.get('/metrics').set('Authorization', METRICS_TOKEN), 401, 'not a bearer');
    const reader = await newUser(t);
    assertErrorBody(await t.http.get('/metrics').set('Authorization', bearer(reader.token)), 401, 'a session token');
  });

  it('answers the Prometheus text format with the metrics of the contract', async () => {
    const res = await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/plain/);
    for (const name of [
      'http_requests_total',
      'http_request_duration_seconds',
      'forum_live_connections',
      'forum_live_events_total',
      'forum_comments_created_total',
      'forum_mail_queue_depth',
      'forum_live_event_lag_seconds',
      'forum_live_join_failures_total',
      'forum_live_rejoins_total',
      'forum_live_gap_fills_total',
      'forum_db_pool_connections',
      'forum_db_pool_idle_connections',
      'forum_db_pool_waiting_queries',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ])
      assert.match(res.text, new RegExp(`^# TYPE ${name} `, 'm'), name);
    assert.equal(sample(res.text, 'forum_mail_queue_depth'), 0);
    assert.ok(sample(res.text, 'forum_db_pool_connections') >= 1, 'the pool holds a connection');
  });

  it('counts a posted comment, by route template, with no slug or id in any label', async () => {
    const fixtures = new Fixtures(t.app);
    const article = await fixtures.newArticle();
    const author = await newUser(t);
    const scrape = async () =>
      (await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
    const before = await scrape();
    const posted = await t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set('Authorization', bearer(author.token))
      .send({ body: 'Counted once.' });
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
    await t.http.get(`/api/comments/${posted.body.id as string}`).expect(200);
    const afterText = await scrape();
    const route = '/api/articles/:slug/comments';
    assert.equal(
      sample(afterText, 'forum_comments_created_total', { outcome: 'published' }) -
        sample(before, 'forum_comments_created_total', { outcome: 'published' }),
      1,
    );
    assert.equal(
      sample(afterText, 'http_requests_total', { method: 'POST', route, status: '201' }) -
        sample(before, 'http_requests_total', { method: 'POST', route, status: '201' }),
      1,
    );
    assert.ok(sample(afterText, 'http_requests_total', { method: 'GET', route: '/api/comments/:id', status: '200' }));
    assert.ok(sample(afterText, 'http_request_duration_seconds_count', { method: 'POST', route }) >= 1);
    for (const value of labelValues(afterText)) {
      assert.ok(!value.includes(article.slug), `a label holds the slug: ${value}`);
      assert.doesNotMatch(value, UUID, 'a label holds an id');
    }
  });

  it('counts live connections, the events emitted to them with their lag, and refused joins', async () => {
    const article = await new Fixtures(t.app).newArticle();
    const author = await newUser(t);
    const scrape = async () =>
      (await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
    const before = await scrape();
    const follower = await Follower.connect(t.baseUrl);
    try {
      assert.equal((await follower.join(article.slug)).ok, true);
      assert.equal((await follower.join('no-such-essay-here')).ok, false);
      await t.http
        .post(`/api/articles/${article.slug}/comments`)
        .set('Authorization', bearer(author.token))
        .send({ body: 'Heard live.' })
        .expect(201);
      await follower.waitFor(1, 'comment.created');
      const during = await scrape();
      const rise = (name: string, labels: Record<string, string> = {}) =>
        sample(during, name, labels) - sample(before, name, labels);
      assert.equal(rise('forum_live_connections'), 1);
      assert.equal(rise('forum_live_events_total', { type: 'comment.created' }), 1);
      assert.equal(rise('forum_live_event_lag_seconds_count'), 1);
      assert.equal(rise('forum_live_join_failures_total'), 1);
    } finally {
      follower.close();
    }
  });

  it('counts a held comment once: held when posted, not again when approved', async () => {
    const admin = await signInAdmin(t);
    const article = await new Fixtures(t.app).newArticle();
    await t.http
      .patch(`/api/articles/${article.slug}/settings`)
      .set('Authorization', bearer(admin.token))
      .send({ premoderation: true })
      .expect(200);
    const author = await newUser(t);
    const scrape = async () =>
      (await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
    const created = (text: string, outcome: string) => sample(text, 'forum_comments_created_total', { outcome });
    const start = await scrape();
    const posted = await t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set('Authorization', bearer(author.token))
      .send({ body: 'Waits for a moderator.' })
      .expect(201);
    assert.equal(posted.body.status, 'pending');
    const held = await scrape();
    assert.equal(created(held, 'held') - created(start, 'held'), 1);
    assert.equal(created(held, 'published'), created(start, 'published'));
    await t.http
      .post(`/api/moderation/comments/${posted.body.id as string}/approve`)
      .set('Authorization', bearer(admin.token))
      .send({})
      .expect(200);
    const approved = await scrape();
    assert.equal(created(approved, 'held'), created(held, 'held'));
    assert.equal(created(approved, 'published'), created(held, 'published'), 'an approval creates no comment');
    assert.ok(
      sample(approved, 'http_requests_total', {
        method: 'POST',
        route: '/api/moderation/comments/:id/approve',
        status: '200',
      }) >= 1,
    );
  });

  it('labels a request no route answers as unmatched', async () => {
    await t.http.get(`/api/no-such-thing/${crypto.randomUUID()}`).expect(404);
    const text = (await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
    assert.ok(
      sample(text, 'http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }) >= 1,
      text
        .split('\n')
        .filter((line) => line.startsWith('http_requests_total'))
        .join('\n'),
    );
  });

  it("keeps a client's plain X-Request-Id and replaces any other, on errors too", async () => {
    const kept = await t.http.get('/healthz').set('X-Request-Id', 'trace-42.abc_DEF');
    assert.equal(kept.headers['x-request-id'], 'trace-42.abc_DEF');
    for (const bad of ['x'.repeat(200), 'has spaces in it', 'semi;colon', 'ünïcode']) {
      const res = await t.http.get('/healthz').set('X-Request-Id', bad);
      assert.match(res.headers['x-request-id'], UUID, bad);
    }
    const generated = await t.http.get('/healthz');
    assert.match(generated.headers['x-request-id'], UUID);
    const notFound = await t.http.get('/api/articles/no-such-essay').set('X-Request-Id', 'missing-essay');
    assert.equal(notFound.status, 404);
    assert.equal(notFound.headers['x-request-id'], 'missing-essay');
    const badJson = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .set('X-Request-Id', 'broken-json')
      .send('{"username":');
    assert.equal(badJson.status, 400);
    assert.equal(badJson.headers['x-request-id'], 'broken-json');
  });

  it('keeps idle connections open longer than a load balancer does', () => {
    const server = t.app.getHttpServer() as Server;
    assert.equal(server.keepAliveTimeout, 61_000);
    assert.equal(server.headersTimeout, 62_000);
  });
});

describe('operations: JSON logs', () => {
  let app: AppProcess | undefined;
  let database: { url: string; drop(): Promise<void> };

  before(async () => {
    database = await newTestDatabase();
  });

  after(async () => {
    await app?.stop('SIGKILL');
    await database.drop();
  });

  it('writes one JSON object a line, with the request id and no credentials', async () => {
    // With its password set, the first admin is created without the one line printed outside the log.
    app = await startAppProcess({
      DATABASE_URL: database.url,
      SEED_ON_START: 'false',
      LOG_FORMAT: 'json',
      ADMIN_PASSWORD: 'an-admin-password-for-the-log-test',
    });
    const secret = 'Bearer not-a-session-but-a-secret-0123456789';
    const res = await fetch(`${app.baseUrl}/api/auth/me?token=query-secret-42`, {
      headers: {
        'X-Request-Id': 'find-me-in-the-log',
        Authorization: secret,
        Cookie: 'forum_session=cookie-secret-42',
      },
    });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('x-request-id'), 'find-me-in-the-log');
    // The request's log line is written when its answer ends; the answer of a later request is the barrier.
    await fetch(`${app.baseUrl}/healthz`);
    const lines = app
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `not JSON: ${line}`);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const mine = records.filter((record) => record.reqId === 'find-me-in-the-log');
    assert.ok(mine.length >= 1, `no line with the request id in:\n${app.output().slice(-3000)}`);
    assert.ok(mine.some((record) => (record.res as { statusCode?: number } | undefined)?.statusCode === 401));
    assert.ok(records.some((record) => /listens on http:\/\/localhost:\d+/.test(String(record.msg))));
    assert.doesNotMatch(app.output(), /not-a-session-but-a-secret|cookie-secret-42|query-secret-42/);
  });

  it("gives Socket.IO's own requests a request id, and logs the ones it refuses with it", async () => {
    assert.ok(app, 'the app of the test before');
    const running = app;
    const handshake = await fetch(`${app.baseUrl}/socket.io/?EIO=4&transport=polling`, {
      headers: { 'X-Request-Id': 'socket-handshake-1' },
    });
    assert.equal(handshake.status, 200);
    assert.equal(handshake.headers.get('x-request-id'), 'socket-handshake-1');
    await handshake.arrayBuffer();
    const fresh = await fetch(`${app.baseUrl}/socket.io/?EIO=4&transport=polling`);
    assert.match(fresh.headers.get('x-request-id') ?? '', UUID);
    await fresh.arrayBuffer();
    // The WebSocket upgrade's 101 carries it too.
    const upgraded = await new Promise<string | undefined>((resolve, reject) => {
      const upgrade = request(`${running.baseUrl}/socket.io/?EIO=4&transport=websocket`, {
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
          'X-Request-Id': 'socket-upgrade-1',
        },
      });
      upgrade.on('upgrade', (answer, socket) => {
        socket.destroy();
        resolve(answer.headers['x-request-id'] as string | undefined);
      });
      upgrade.on('response', (answer) => reject(new Error(`answered ${answer.statusCode}, not 101`)));
      upgrade.on('error', reject);
      upgrade.end();
    });
    assert.equal(upgraded, 'socket-upgrade-1');
    // A session this process does not know (it restarted since, say): refused, with the id on the answer and in the log.
    const stale = await fetch(`${app.baseUrl}/socket.io/?EIO=4&transport=polling&sid=not-a-session`, {
      headers: { 'X-Request-Id': 'stale-socket-session' },
    });
    assert.equal(stale.status, 400);
    assert.equal(stale.headers.get('x-request-id'), 'stale-socket-session');
    await stale.arrayBuffer();
    const logged = () =>
      running
        .output()
        .split('\n')
        .filter((line) => line.includes('stale-socket-session'))
        .map((line) => JSON.parse(line) as { reqId?: string; msg?: string });
    const deadline = Date.now() + 5_000;
    while (logged().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const [record] = logged();
    assert.equal(record?.reqId, 'stale-socket-session', running.output().slice(-2000));
    assert.match(record.msg ?? '', /Socket\.IO refused a GET request: Session ID unknown/);
  });
});
