import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Cluster, clusterSkipReason, program } from './helpers/cluster.js';
import { statusesDuring, survives } from './helpers/cluster-load.js';
import { Follower } from './helpers/sockets.js';
import { newTestDatabase } from './helpers/test-app.js';

const ADMIN_PASSWORD = 'cluster-admin-password';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One JSON request through `baseUrl` (the load balancer or a node). */
async function api(baseUrl: string, method: string, url: string, body?: unknown, token?: string): Promise<Answer> {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Through the load balancer: the first admin signs in and publishes an essay; a reader registers. */
async function prepareArticle(cluster: Cluster): Promise<{ slug: string; readerToken: string }> {
  const admin = await api(cluster.baseUrl, 'POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
  assert.equal(admin.status, 200, JSON.stringify(admin.body));
  const article = await api(
    cluster.baseUrl,
    'POST',
    '/api/articles',
    { title: `Cluster ${randomBytes(3).toString('hex')}`, author: 'A. Writer', body: 'One paragraph.' },
    admin.body.token as string,
  );
  assert.equal(article.status, 201, JSON.stringify(article.body));
  const reader = await api(cluster.baseUrl, 'POST', '/api/auth/register', {
    username: `reader_${randomBytes(3).toString('hex')}`,
    password: 'a long enough password',
  });
  assert.equal(reader.status, 201, JSON.stringify(reader.body));
  return { slug: article.body.slug as string, readerToken: reader.body.token as string };
}

/**
 * Three WebSocket followers connected one after the other through the load balancer: round robin gives each its own
 * node, which HAProxy's count of sessions sent to each node shows. The total, not the current count: a request that
 * has just been answered may still count as current for a moment, and would hide a WebSocket on that node.
 */
async function followOnEveryNode(cluster: Cluster, open: Follower[]): Promise<Follower[]> {
  const before = await cluster.nodeStates();
  const followers: Follower[] = [];
  for (let index = 0; index < 3; index++) followers.push(await Follower.connect(cluster.baseUrl));
  open.push(...followers);
  const now = await cluster.nodeStates();
  assert.deepEqual(
    now.map((node, index) => node.totalSessions - before[index].totalSessions),
    [1, 1, 1],
    `one WebSocket per node: ${JSON.stringify(now)}`,
  );
  return followers;
}

/** Posts a comment through the load balancer; every follower must receive it as `comment.created`. */
async function expectCommentEverywhere(
  cluster: Cluster,
  slug: string,
  readerToken: string,
  followers: Follower[],
): Promise<void> {
  for (const follower of followers) assert.equal((await follower.join(slug)).ok, true);
  const posted = await api(
    cluster.baseUrl,
    'POST',
    `/api/articles/${slug}/comments`,
    { body: `Heard on every node ${randomBytes(3).toString('hex')}` },
    readerToken,
  );
  assert.equal(posted.status, 201, JSON.stringify(posted.body));
  await Promise.all(
    followers.map((follower) =>
      follower.waitUntil(
        (r) => r.event === 'comment.created' && (r.payload.comment as { id: string }).id === posted.body.id,
        `comment.created for ${String(posted.body.id)}`,
        10_000,
      ),
    ),
  );
}

/**
 * The deployed topology, run for real: three app processes on one database behind HAProxy (test/helpers/cluster.ts,
 * the settings of deploy/haproxy.cfg), the live fan-out between them through PostgreSQL.
 */
describe('three app processes behind HAProxy', { skip: clusterSkipReason() }, () => {
  let database: { url: string; drop(): Promise<void> };
  let cluster: Cluster;
  let slug: string;
  let readerToken: string;
  const open: Follower[] = [];

  before(async () => {
    database = await newTestDatabase();
    cluster = await Cluster.start({ databaseUrl: database.url, env: { ADMIN_PASSWORD } });
    ({ slug, readerToken } = await prepareArticle(cluster));
  });

  after(async () => {
    open.forEach((follower) => follower.close());
    await cluster?.stop();
    await database?.drop();
  });

  it('checks its generated configuration and the Compose one with haproxy -c', async () => {
    for (const file of [cluster.configPath, 'deploy/haproxy.cfg']) {
      const { stdout } = await promisify(execFile)(program('haproxy'), ['-c', '-f', file]);
      assert.match(stdout, /Configuration file is valid/, file);
    }
  });

  it('answers REST through the load balancer: list, register, comment', async () => {
    const list = await api(cluster.baseUrl, 'GET', '/api/articles');
    assert.equal(list.status, 200);
    assert.ok((list.body.items as { slug: string }[]).some((item) => item.slug === slug));
    const comment = await api(
      cluster.baseUrl,
      'POST',
      `/api/articles/${slug}/comments`,
      { body: 'Posted through the load balancer.' },
      readerToken,
    );
    assert.equal(comment.status, 201, JSON.stringify(comment.body));
    const states = await cluster.nodeStates();
    assert.deepEqual(
      states.map((node) => node.status),
      ['UP', 'UP', 'UP'],
    );
  });

  it('sets the sticky cookie on a long-polling handshake', async () => {
    const response = await fetch(`${cluster.baseUrl}/socket.io/?EIO=4&transport=polling`);
    await response.text();
    assert.equal(response.status, 200);
    assert.match(response.headers.get('set-cookie') ?? '', /^SERVERID=node[0-2]; path=\/; HttpOnly/i);
  });

  it('delivers a comment posted through it to followers on every node, over WebSocket and long-polling', async () => {
    const websocket = await followOnEveryNode(cluster, open);
    // Long-polling only: every message is an HTTP request of its own, which the sticky cookie must send to the node
    // that holds the session (another node answers "Session ID unknown" and the connection fails).
    const polling = await Follower.connect(cluster.baseUrl, undefined, {
      transports: ['polling'],
      withCredentials: true,
    });
    // The client's default: long-polling first, then the upgrade to WebSocket, which must reach the same node.
    const upgrading = await Follower.connect(cluster.baseUrl, undefined, {
      transports: ['polling', 'websocket'],
      withCredentials: true,
    });
    open.push(polling, upgrading);
    await expectCommentEverywhere(cluster, slug, readerToken, [...websocket, polling, upgrading]);
    assert.equal(polling.socket.io.engine.transport.name, 'polling');
    assert.ok(polling.socket.connected && upgrading.socket.connected);
  });

  it('takes a node stopped with SIGTERM out of rotation, keeps answering, and takes it back once restarted', async () => {
    const statuses = await statusesDuring(cluster, '/api/articles', async () => {
      const exited = cluster.kill(1, 'SIGTERM');
      await cluster.waitUntilDown(1);
      assert.equal(await exited, 0);
    });
    assert.ok(statuses.length > 10);
    assert.deepEqual(
      statuses.filter((status) => status !== 200),
      [],
      `every request answered during the stop (${statuses.length})`,
    );

    await cluster.restart(1);
    const before = (await cluster.nodeStates())[1].totalSessions;
    for (let index = 0; index < 6; index++)
      assert.equal((await api(cluster.baseUrl, 'GET', `/api/articles/${slug}`)).status, 200);
    const states = await cluster.nodeStates();
    assert.deepEqual(
      states.map((node) => node.status),
      ['UP', 'UP', 'UP'],
    );
    assert.ok(states[1].totalSessions > before, 'the restarted node gets requests again');
  });
});

/** The same topology with the live fan-out through Redis (REDIS_URL). */
describe(
  'three app processes behind HAProxy, fanning out through Redis',
  { skip: clusterSkipReason(['haproxy', 'redis-server']) },
  () => {
    let database: { url: string; drop(): Promise<void> };
    let cluster: Cluster;
    let slug: string;
    let readerToken: string;
    const open: Follower[] = [];

    before(async () => {
      database = await newTestDatabase();
      cluster = await Cluster.start({ databaseUrl: database.url, redis: true, env: { ADMIN_PASSWORD } });
    });

    after(async () => {
      open.forEach((follower) => follower.close());
      await cluster?.stop();
      await database?.drop();
    });

    it('delivers a comment posted through the load balancer to a follower on every node', async () => {
      for (const node of cluster.nodes) {
        const ready = await api(node, 'GET', '/readyz');
        assert.equal(ready.status, 200);
        assert.equal((ready.body.checks as { liveFanout: { mode: string } }).liveFanout.mode, 'redis');
      }
      ({ slug, readerToken } = await prepareArticle(cluster));
      const followers = await followOnEveryNode(cluster, open);
      await expectCommentEverywhere(cluster, slug, readerToken, followers);
    });

    it('is ready again on every node after Redis restarts under load, and loses, duplicates and reorders nothing', async () => {
      let restartedAt = 0;
      const { catchUpMs } = await survives(cluster, slug, async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        restartedAt = Date.now();
        await cluster.restartRedis();
        // Each node noticed the loss and connected again: its fan-out check went up after the restart.
        for (const [index, node] of cluster.nodes.entries()) {
          // A node that stopped answering takes its own output into the failure: why it went is there.
          await waitUntilFanoutUpSince(node, restartedAt).catch((error: unknown) => {
            throw new Error(
              `${String(error)}\n--- node ${index}'s output (end):\n${cluster.output(index).slice(-4000)}`,
            );
          });
        }
        for (let index = 0; index < 3; index++) await cluster.waitUntilHealthy(index);
      });
      console.log(`Redis restart: readers current ${catchUpMs} ms after every node was ready again`);
    });
  },
);

/** Waits until a node's `/readyz` answers 200 with its live fan-out up since `time` or later. */
async function waitUntilFanoutUpSince(node: string, time: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ready = await api(node, 'GET', '/readyz');
    const fanout = (ready.body.checks as { liveFanout: { status: string; since: string } } | undefined)?.liveFanout;
    if (ready.status === 200 && fanout?.status === 'up' && Date.parse(fanout.since) >= time) return;
    if (Date.now() > deadline) throw new Error(`${node} did not reconnect to Redis: ${JSON.stringify(ready.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
