import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runAppProcessToExit, startAppProcess } from './helpers/app-process.js';
import { articles, useOwnDataDir } from './helpers/entry-point.js';
import { Follower } from './helpers/sockets.js';

/**
 * The real entry point, as `npm start` runs it: embedded PostgreSQL under DATA_DIR, seeds at first start; starts and
 * stops. Its recoveries from crashes are in start-recovery.e2e.ts.
 */
describe('npm start', () => {
  const own = useOwnDataDir();

  it('starts on an embedded PostgreSQL, serves the seeded essays, stops cleanly and keeps its data', async () => {
    const first = await startAppProcess({ DATA_DIR: own.dir, DATABASE_URL: '' });
    own.running.push(first);
    const list = await articles(first.baseUrl);
    assert.equal(list.items.length, 4);
    assert.equal(await first.stop('SIGTERM'), 0);
    assert.ok(!existsSync(path.join(own.dir, 'pg', 'postmaster.pid')), 'PostgreSQL was stopped');
    assert.ok(existsSync(path.join(own.dir, 'pg', 'PG_VERSION')), 'the cluster is kept');

    const second = await startAppProcess({ DATA_DIR: own.dir, DATABASE_URL: '' });
    own.running.push(second);
    const again = await articles(second.baseUrl);
    assert.deepEqual(
      again.items.map((a) => a.id),
      list.items.map((a) => a.id),
    );
    assert.doesNotMatch(second.output(), /Imported/, 'nothing imported twice');
    assert.equal(await second.stop('SIGINT'), 0);
    assert.ok(!existsSync(path.join(own.dir, 'pg', 'postmaster.pid')));
  });

  it('finishes the requests in flight when stopped with SIGTERM, then stops PostgreSQL without waiting out its grace period', async () => {
    const graceMs = 60_000;
    const app = await startAppProcess({ DATA_DIR: own.dir, DATABASE_URL: '', SHUTDOWN_GRACE_MS: String(graceMs) });
    own.running.push(app);
    const exited = new Promise<number | null>((resolve) => app.child.once('exit', resolve));
    // Requests that reached the server are answered; ones that arrive once it stopped listening are refused.
    const answers = Array.from({ length: 20 }, () =>
      fetch(`${app.baseUrl}/api/articles/bolshevism-vs-stalinism/comments?depth=5&limit=100`).then(
        (r) => r.status,
        () => 'refused',
      ),
    );
    const stopping = new Promise<number>((resolve) =>
      setTimeout(() => {
        app.child.kill('SIGTERM');
        resolve(Date.now());
      }, 5),
    );
    const seen = await Promise.all(answers);
    assert.ok(seen.includes(200), `answers: ${seen.join(',')}`);
    assert.deepEqual(
      seen.filter((s) => s !== 200 && s !== 'refused'),
      [],
      'no request failed half-way',
    );
    assert.equal(await exited, 0);
    // The keep-alive connections of the answered requests stay open on the client's side; they did not hold the stop.
    const stoppedAfter = Date.now() - (await stopping);
    assert.ok(stoppedAfter < graceMs, `stopped after ${stoppedAfter} ms: it waited for idle connections`);
    assert.match(app.output(), /SIGTERM received: closing/);
    assert.doesNotMatch(app.output(), /WARN|ERROR/, 'nothing lost its database under it');
    assert.ok(!existsSync(path.join(own.dir, 'pg', 'postmaster.pid')));
  });

  it('tells live readers it is closing before their connection drops, in a way socket.io-client reconnects from', async () => {
    const app = await startAppProcess({ DATA_DIR: own.dir, DATABASE_URL: '' });
    own.running.push(app);
    const follower = await Follower.connect(app.baseUrl);
    const joined = await follower.join('bolshevism-vs-stalinism');
    assert.equal(joined.ok, true);
    const dropped = new Promise<string>((resolve) => follower.socket.once('disconnect', (reason) => resolve(reason)));
    const closingBeforeDrop = new Promise<boolean>((resolve) => {
      follower.socket.once('disconnect', () => resolve(follower.events('server.closing').length === 1));
    });
    assert.equal(await app.stop('SIGTERM'), 0);
    // 'transport close' is a reason socket.io-client reconnects after; 'io server disconnect' would leave it offline.
    assert.equal(await dropped, 'transport close');
    assert.equal(await closingBeforeDrop, true, `events seen: ${follower.received.map((r) => r.event).join(',')}`);
    const [closing] = follower.events('server.closing');
    assert.equal(closing.payload.reconnect, true);
    assert.match(closing.payload.at as string, /Z$/);
    follower.close();
  });

  it('stops within its grace period even when a client holds a request open', async () => {
    const graceMs = 1500;
    const app = await startAppProcess({ DATA_DIR: own.dir, DATABASE_URL: '', SHUTDOWN_GRACE_MS: String(graceMs) });
    own.running.push(app);
    const { port } = new URL(app.baseUrl);
    // Headers promise a body that never comes: the request stays open until the server gives up on it.
    const client = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', resolve));
    client.on('error', () => undefined);
    client.write(
      'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    const code = await app.stop('SIGTERM');
    assert.equal(code, 0);
    // Node's own request timeout is 300 s; the app waits SHUTDOWN_GRACE_MS for the request, then closes it.
    const stoppedAfter = Date.now() - started;
    assert.ok(stoppedAfter >= graceMs, `stopped after ${stoppedAfter} ms, before the grace period ended`);
    assert.ok(stoppedAfter < graceMs + 20_000, `stopped after ${stoppedAfter} ms`);
    client.destroy();
  });

  it('refuses to start on a bad variable and names it', async () => {
    const { code, output } = await runAppProcessToExit({ PORT: 'eighty', DATA_DIR: own.dir });
    assert.equal(code, 1);
    assert.match(output, /PORT/);
  });
});
