import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { mkdtemp, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type AppProcess, runAppProcessToExit, startAppProcess } from './helpers/app-process.js';
import { Follower } from './helpers/sockets.js';
import { SHUTDOWN_GRACE_MS } from '../src/common/http-shutdown.js';
import { processExists } from '../src/database/stale-postmaster.js';

/** The real entry point, as `npm start` runs it: embedded PostgreSQL under DATA_DIR, seeds at first start. */
async function articles(baseUrl: string): Promise<{ items: { id: string }[] }> {
  const res = await fetch(`${baseUrl}/api/articles`);
  assert.equal(res.status, 200);
  return (await res.json()) as { items: { id: string }[] };
}

/** The PID that `<dataDir>/pg/postmaster.pid` names (its first line). */
async function postmasterPid(dataDir: string): Promise<number> {
  const text = await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8');
  return Number(text.split('\n')[0]);
}

/** Whether the process runs: it exists and has not exited (an exited one may wait a while to be reaped). */
async function processRuns(pid: number): Promise<boolean> {
  if (!processExists(pid)) return false;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

/** Waits (bounded) until a condition holds; false when it did not within `ms`. */
async function eventually(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** The shell processes that a process started (the app's PostgreSQL watchdog). */
async function shellChildrenOf(parent: number): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent && cmdline.startsWith('/bin/sh'))
      found.push(Number(entry));
  }
  return found;
}

/** Every process working in the cluster directory (PostgreSQL's postmaster and backends run there). */
async function processesInCluster(dataDir: string): Promise<number[]> {
  const clusterDir = path.join(dataDir, 'pg');
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => null);
    if (cwd === clusterDir) found.push(Number(entry));
  }
  return found;
}

async function signUpAndComment(baseUrl: string, username: string, body: string): Promise<string> {
  const registered = await fetch(`${baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'a long enough password' }),
  });
  assert.equal(registered.status, 201);
  const { token } = (await registered.json()) as { token: string };
  const posted = await fetch(`${baseUrl}/api/articles/bolshevism-vs-stalinism/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ body }),
  });
  assert.equal(posted.status, 201);
  return ((await posted.json()) as { id: string }).id;
}

describe('npm start', () => {
  let dataDir: string;
  const running: AppProcess[] = [];

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'forum-start-'));
  });

  after(async () => {
    for (const app of running) await app.stop('SIGKILL');
    // A test that failed half-way may leave an orphaned PostgreSQL: ask it for a fast shutdown.
    const left = await postmasterPid(dataDir).catch(() => null);
    if (left !== null && processExists(left)) process.kill(left, 'SIGINT');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts on an embedded PostgreSQL, serves the seeded essays, stops cleanly and keeps its data', async () => {
    const first = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: '' });
    running.push(first);
    const list = await articles(first.baseUrl);
    assert.equal(list.items.length, 4);
    assert.equal(await first.stop('SIGTERM'), 0);
    assert.ok(!existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), 'PostgreSQL was stopped');
    assert.ok(existsSync(path.join(dataDir, 'pg', 'PG_VERSION')), 'the cluster is kept');

    const second = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: '' });
    running.push(second);
    const again = await articles(second.baseUrl);
    assert.deepEqual(
      again.items.map((a) => a.id),
      list.items.map((a) => a.id),
    );
    assert.doesNotMatch(second.output(), /Imported/, 'nothing imported twice');
    assert.equal(await second.stop('SIGINT'), 0);
    assert.ok(!existsSync(path.join(dataDir, 'pg', 'postmaster.pid')));
  });

  it('finishes the requests in flight when stopped with SIGTERM, then stops PostgreSQL', async () => {
    const app = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: '' });
    running.push(app);
    const exited = new Promise<number | null>((resolve) => app.child.once('exit', resolve));
    // Requests that reached the server are answered; ones that arrive once it stopped listening are refused.
    const answers = Array.from({ length: 20 }, () =>
      fetch(`${app.baseUrl}/api/articles/bolshevism-vs-stalinism/comments?depth=5&limit=100`).then(
        (r) => r.status,
        () => 'refused',
      ),
    );
    setTimeout(() => app.child.kill('SIGTERM'), 5);
    const seen = await Promise.all(answers);
    assert.ok(seen.includes(200), `answers: ${seen.join(',')}`);
    assert.deepEqual(
      seen.filter((s) => s !== 200 && s !== 'refused'),
      [],
      'no request failed half-way',
    );
    assert.equal(await exited, 0);
    assert.match(app.output(), /SIGTERM received: closing/);
    assert.doesNotMatch(app.output(), /WARN|ERROR/, 'nothing lost its database under it');
    assert.ok(!existsSync(path.join(dataDir, 'pg', 'postmaster.pid')));
  });

  it('tells live readers it is closing before their connection drops, in a way socket.io-client reconnects from', async () => {
    const app = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: '' });
    running.push(app);
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
    const app = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: '' });
    running.push(app);
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
    // Node's own request timeout is 300 s; the app closes what is left after SHUTDOWN_GRACE_MS.
    assert.ok(Date.now() - started < SHUTDOWN_GRACE_MS + 20_000, `stopped after ${Date.now() - started} ms`);
    client.destroy();
  });

  it('refuses to start on a bad variable and names it', async () => {
    const { code, output } = await runAppProcessToExit({ PORT: 'eighty', DATA_DIR: dataDir });
    assert.equal(code, 1);
    assert.match(output, /PORT/);
  });

  it('stops its PostgreSQL when the node process alone is killed with SIGKILL, and starts again with nothing lost', async () => {
    const first = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: '' });
    running.push(first);
    const commentId = await signUpAndComment(first.baseUrl, 'before_a_crash', 'Written just before the crash.');
    const postmaster = await postmasterPid(dataDir);
    assert.equal(await first.stop('SIGKILL'), null);
    // The watchdog asks PostgreSQL for a fast shutdown once its parent is gone: no orphan is left running.
    assert.ok(
      await eventually(async () => !(await processRuns(postmaster)), 60_000),
      'PostgreSQL stopped with its parent',
    );
    assert.ok(!existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), 'a clean shutdown');

    const second = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: '' });
    running.push(second);
    const res = await fetch(`${second.baseUrl}/api/comments/${commentId}`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { comment: { body: string } }).comment.body, 'Written just before the crash.');
    assert.equal(await second.stop('SIGTERM'), 0);
    assert.deepEqual(await processesInCluster(dataDir), [], 'no PostgreSQL process left behind');
  });

  it('starts again on the same DATA_DIR when an orphaned PostgreSQL outlived a SIGKILL, nothing lost', async () => {
    const first = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: '' });
    running.push(first);
    const commentId = await signUpAndComment(first.baseUrl, 'before_the_crash', 'Written just before the crash.');
    const orphan = await postmasterPid(dataDir);
    // Killed with its watchdog (as a kill of everything but PostgreSQL would), PostgreSQL stays behind, adopted.
    const watchdogs = await shellChildrenOf(first.child.pid ?? 0);
    assert.equal(watchdogs.length, 1, 'one watchdog');
    process.kill(watchdogs[0], 'SIGKILL');
    assert.equal(await first.stop('SIGKILL'), null);
    assert.ok(await processRuns(orphan), 'PostgreSQL outlives the killed node process (the case under test)');

    const second = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: '' });
    running.push(second);
    assert.match(
      second.output(),
      new RegExp(`PostgreSQL of .* \\(PID ${orphan}\\) outlived the process that started it`),
    );
    const res = await fetch(`${second.baseUrl}/api/comments/${commentId}`);
    assert.equal(res.status, 200);
    const { comment } = (await res.json()) as { comment: { body: string; author: { username: string } } };
    assert.equal(comment.body, 'Written just before the crash.');
    assert.equal(comment.author.username, 'before_the_crash');
    assert.ok(!(await processRuns(orphan)), 'the orphan was stopped, not left beside the new server');

    assert.equal(await second.stop('SIGTERM'), 0);
    assert.ok(!existsSync(path.join(dataDir, 'pg', 'postmaster.pid')));
    assert.deepEqual(await processesInCluster(dataDir), [], 'no PostgreSQL process left behind');
  });

  it('refuses to start beside a running forum on the same DATA_DIR, says what to do, and leaves that one alone', async () => {
    const app = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: '' });
    running.push(app);
    const pid = await postmasterPid(dataDir);
    const { code, output } = await runAppProcessToExit({ DATA_DIR: dataDir, DATABASE_URL: '' });
    assert.equal(code, 1);
    assert.ok(
      output.includes(
        `The embedded PostgreSQL of ${path.join(dataDir, 'pg')} (PID ${pid}) belongs to a running process (PID ${app.child.pid})`,
      ),
      output.slice(-2000),
    );
    assert.ok(output.includes(`kill -TERM ${app.child.pid}`), 'the exact command');
    assert.equal((await articles(app.baseUrl)).items.length, 4, 'the running forum keeps its database');
    assert.equal(await postmasterPid(dataDir), pid);
    assert.equal(await app.stop('SIGTERM'), 0);
  });

  it('starts when postmaster.pid names a PID that another program has taken since, and leaves that program alone', async () => {
    const clusterDir = path.join(dataDir, 'pg');
    assert.ok(!existsSync(path.join(clusterDir, 'postmaster.pid')), 'stopped cleanly before');
    // This test process stands for the program that took the PID over after a crash or reboot.
    await writeFile(
      path.join(clusterDir, 'postmaster.pid'),
      `${process.pid}\n${clusterDir}\n1764000000\n5432\n\n127.0.0.1\n0 0\nready\n`,
    );
    const app = await startAppProcess({ DATA_DIR: dataDir, DATABASE_URL: '' });
    running.push(app);
    assert.match(
      app.output(),
      new RegExp(`names PID ${process.pid}, which is not a PostgreSQL of this cluster any more`),
    );
    assert.equal((await articles(app.baseUrl)).items.length, 4);
    assert.equal(await app.stop('SIGTERM'), 0);
  });
});
