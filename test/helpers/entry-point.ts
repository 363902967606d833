import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { type AppProcess } from './app-process.js';
import { processExists } from '../../src/database/stale-postmaster.js';

/** Helpers of the suites that run the real entry point, as `npm start` runs it: embedded PostgreSQL under DATA_DIR. */

/** The essays the server lists. */
export async function articles(baseUrl: string): Promise<{ items: { id: string }[] }> {
  const res = await fetch(`${baseUrl}/api/articles`);
  assert.equal(res.status, 200);
  return (await res.json()) as { items: { id: string }[] };
}

/** The PID that `<dataDir>/pg/postmaster.pid` names (its first line). */
export async function postmasterPid(dataDir: string): Promise<number> {
  const text = await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8');
  return Number(text.split('\n')[0]);
}

/** Whether the process runs: it exists and has not exited (an exited one may wait a while to be reaped). */
export async function processRuns(pid: number): Promise<boolean> {
  if (!processExists(pid)) return false;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

/** Waits (bounded) until a condition holds; false when it did not within `ms`. */
export async function eventually(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** The shell processes that a process started (the app's PostgreSQL watchdog). */
export async function shellChildrenOf(parent: number): Promise<number[]> {
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
export async function processesInCluster(dataDir: string): Promise<number[]> {
  const clusterDir = path.join(dataDir, 'pg');
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => null);
    if (cwd === clusterDir) found.push(Number(entry));
  }
  return found;
}

export async function signUpAndComment(baseUrl: string, username: string, body: string): Promise<string> {
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

/**
 * A DATA_DIR of the calling suite's own (made before its tests, removed after them) and the processes its tests
 * started there: after the tests, what still runs is killed, and an orphaned PostgreSQL (a test that failed half-way)
 * is asked for a fast shutdown.
 */
export function useOwnDataDir(): { dir: string; running: AppProcess[] } {
  const own = { dir: '', running: [] as AppProcess[] };
  before(async () => {
    own.dir = await mkdtemp(path.join(tmpdir(), 'forum-start-'));
  });
  after(async () => {
    for (const app of own.running) await app.stop('SIGKILL');
    const left = await postmasterPid(own.dir).catch(() => null);
    if (left !== null && processExists(left)) process.kill(left, 'SIGINT');
    await rm(own.dir, { recursive: true, force: true });
  });
  return own;
}
