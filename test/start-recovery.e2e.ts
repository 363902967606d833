import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runAppProcessToExit, startAppProcess } from './helpers/app-process.js';
import {
  articles,
  eventually,
  postmasterPid,
  processesInCluster,
  processRuns,
  shellChildrenOf,
  signUpAndComment,
  useOwnDataDir,
} from './helpers/entry-point.js';

/**
 * The real entry point, as `npm start` runs it, after crashes: of the node process, of its watchdog too, a forum
 * already running on the same DATA_DIR, a stale postmaster.pid. The cluster is made (and seeded) by the first start
 * here; start-stop.e2e.ts has the plain starts and stops.
 */
describe('npm start after a crash', () => {
  const own = useOwnDataDir();

  it('stops its PostgreSQL when the node process alone is killed with SIGKILL, and starts again with nothing lost', async () => {
    const first = await startAppProcess({ DATA_DIR: own.dir, DATABASE_URL: '' });
    own.running.push(first);
    const commentId = await signUpAndComment(first.baseUrl, 'before_a_crash', 'Written just before the crash.');
    const postmaster = await postmasterPid(own.dir);
    assert.equal(await first.stop('SIGKILL'), null);
    // The watchdog asks PostgreSQL for a fast shutdown once its parent is gone: no orphan is left running.
    assert.ok(
      await eventually(async () => !(await processRuns(postmaster)), 60_000),
      'PostgreSQL stopped with its parent',
    );
    assert.ok(!existsSync(path.join(own.dir, 'pg', 'postmaster.pid')), 'a clean shutdown');

    const second = await startAppProcess({ DATA_DIR: own.dir, DATABASE_URL: '' });
    own.running.push(second);
    const res = await fetch(`${second.baseUrl}/api/comments/${commentId}`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { comment: { body: string } }).comment.body, 'Written just before the crash.');
    assert.equal(await second.stop('SIGTERM'), 0);
    assert.deepEqual(await processesInCluster(own.dir), [], 'no PostgreSQL process left behind');
  });

  it('starts again on the same DATA_DIR when an orphaned PostgreSQL outlived a SIGKILL, nothing lost', async () => {
    const first = await startAppProcess({ DATA_DIR: own.dir, DATABASE_URL: '' });
    own.running.push(first);
    const commentId = await signUpAndComment(first.baseUrl, 'before_the_crash', 'Written just before the crash.');
    const orphan = await postmasterPid(own.dir);
    // Killed with its watchdog (as a kill of everything but PostgreSQL would), PostgreSQL stays behind, adopted.
    const watchdogs = await shellChildrenOf(first.child.pid ?? 0);
    assert.equal(watchdogs.length, 1, 'one watchdog');
    process.kill(watchdogs[0], 'SIGKILL');
    assert.equal(await first.stop('SIGKILL'), null);
    assert.ok(await processRuns(orphan), 'PostgreSQL outlives the killed node process (the case under test)');

    const second = await startAppProcess({ DATA_DIR: own.dir, DATABASE_URL: '' });
    own.running.push(second);
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
    assert.ok(!existsSync(path.join(own.dir, 'pg', 'postmaster.pid')));
    assert.deepEqual(await processesInCluster(own.dir), [], 'no PostgreSQL process left behind');
  });

  it('refuses to start beside a running forum on the same DATA_DIR, says what to do, and leaves that one alone', async () => {
    const app = await startAppProcess({ DATA_DIR: own.dir, DATABASE_URL: '' });
    own.running.push(app);
    const pid = await postmasterPid(own.dir);
    const { code, output } = await runAppProcessToExit({ DATA_DIR: own.dir, DATABASE_URL: '' });
    assert.equal(code, 1);
    assert.ok(
      output.includes(
        `The embedded PostgreSQL of ${path.join(own.dir, 'pg')} (PID ${pid}) belongs to a running process (PID ${app.child.pid})`,
      ),
      output.slice(-2000),
    );
    assert.ok(output.includes(`kill -TERM ${app.child.pid}`), 'the exact command');
    assert.equal((await articles(app.baseUrl)).items.length, 4, 'the running forum keeps its database');
    assert.equal(await postmasterPid(own.dir), pid);
    assert.equal(await app.stop('SIGTERM'), 0);
  });

  it('starts when postmaster.pid names a PID that another program has taken since, and leaves that program alone', async () => {
    const clusterDir = path.join(own.dir, 'pg');
    assert.ok(!existsSync(path.join(clusterDir, 'postmaster.pid')), 'stopped cleanly before');
    // This test process stands for the program that took the PID over after a crash or reboot.
    await writeFile(
      path.join(clusterDir, 'postmaster.pid'),
      `${process.pid}\n${clusterDir}\n1764000000\n5432\n\n127.0.0.1\n0 0\nready\n`,
    );
    const app = await startAppProcess({ DATA_DIR: own.dir, DATABASE_URL: '' });
    own.running.push(app);
    assert.match(
      app.output(),
      new RegExp(`names PID ${process.pid}, which is not a PostgreSQL of this cluster any more`),
    );
    assert.equal((await articles(app.baseUrl)).items.length, 4);
    assert.equal(await app.stop('SIGTERM'), 0);
  });
});
