import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

/** The real entry point, as `npm start` runs it: embedded PostgreSQL under DATA_DIR, seeds at first start. */
const MAIN = path.resolve('dist/src/main.js');

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
}

function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listens on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${output}`));
    });
  });
}

async function articles(port: number): Promise<{ items: { id: string }[] }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/articles`);
  assert.equal(res.status, 200);
  return (await res.json()) as { items: { id: string }[] };
}

function stop(started: Started, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.on('exit', (code) => resolve(code));
    started.child.kill(signal);
  });
}

describe('npm start', () => {
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'forum-start-'));
  });

  after(() => rm(dataDir, { recursive: true, force: true }));

  const running: Started[] = [];
  after(() => running.forEach((s) => s.child.kill('SIGKILL')));

  it('starts on an embedded PostgreSQL, serves the seeded essays, stops cleanly and keeps its data', async () => {
    const first = await start({ DATA_DIR: dataDir, LOG_LEVEL: 'log' });
    running.push(first);
    const list = await articles(first.port);
    assert.equal(list.items.length, 4);
    assert.equal(await stop(first, 'SIGTERM'), 0);
    assert.ok(!existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), 'PostgreSQL was stopped');
    assert.ok(existsSync(path.join(dataDir, 'pg', 'PG_VERSION')), 'the cluster is kept');

    const second = await start({ DATA_DIR: dataDir, LOG_LEVEL: 'log' });
    running.push(second);
    const again = await articles(second.port);
    assert.deepEqual(again.items.map((a) => a.id), list.items.map((a) => a.id));
    assert.doesNotMatch(second.output(), /Imported/, 'nothing imported twice');
    assert.equal(await stop(second, 'SIGINT'), 0);
    assert.ok(!existsSync(path.join(dataDir, 'pg', 'postmaster.pid')));
  });

  it('refuses to start on a bad variable and names it', async () => {
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, PORT: 'eighty', DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 1);
    assert.match(output, /PORT/);
  });
});
