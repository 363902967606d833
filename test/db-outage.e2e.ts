import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { Follower } from './helpers/sockets.js';
import { startTestApp, type TestApp, testServerUrl } from './helpers/test-app.js';

describe('when the database drops its connections', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ seed: true });
  });

  after(() => t.close());

  it('answers 503 (never 500, never a hang) while they are gone, and recovers by itself', async () => {
    const database = new URL(t.databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: testServerUrl() });
    await admin.connect();
    const statuses: number[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        const started = Date.now();
        const res = await t.http.get('/api/articles/bolshevism-vs-stalinism/comments?depth=3');
        assert.ok(Date.now() - started < 8_000, 'an answer within seconds');
        if (res.status !== 200) {
          assert.equal(res.body.statusCode, res.status);
          assert.doesNotMatch(JSON.stringify(res.body), /terminat|SQL|at \w+ \(/i);
        }
        statuses.push(res.status);
      }
    })();
    let terminated = 0;
    try {
      for (let i = 0; i < 5; i++) {
        const res = await admin.query(
          'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [database],
        );
        terminated += res.rows.filter((r: { ok: boolean }) => r.ok).length;
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
    } finally {
      running = false;
      await load;
      await admin.end();
    }
    assert.ok(terminated > 0, 'the app had connections to drop');
    assert.ok(statuses.length > 0);
    console.log(
      `# ${terminated} connections dropped; answers: ${JSON.stringify(Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length])))}`,
    );
    assert.deepEqual(
      [...new Set(statuses)].filter((s) => s !== 200 && s !== 503),
      [],
      `answers: ${[...new Set(statuses)].join(', ')}`,
    );
    const after = await t.http.get('/api/articles');
    assert.equal(after.status, 200, 'the pool reconnected by itself');
  });

  it('answers a join the database cannot serve with a fixed refusal, not a silent wait, and joins again after', async () => {
    const follower = await Follower.connect(t.baseUrl);
    try {
      // The table the join reads is briefly away: the lookup fails with an error rather than a wait.
      await t.dataSource.query('ALTER TABLE articles RENAME TO articles_away');
      try {
        assert.deepEqual(await follower.join('bolshevism-vs-stalinism'), {
          ok: false,
          error: 'The server could not answer just now; try again.',
        });
      } finally {
        await t.dataSource.query('ALTER TABLE articles_away RENAME TO articles');
      }
      assert.equal(follower.events('exception').length, 0, 'no exception event echoing the request');
      const again = await follower.join('bolshevism-vs-stalinism');
      assert.equal(again.ok, true);
    } finally {
      follower.close();
    }
  });
});
