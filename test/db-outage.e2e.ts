import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
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
        const res = await admin.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
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
    console.log(`# ${terminated} connections dropped; answers: ${JSON.stringify(Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length])))}`);
    assert.deepEqual([...new Set(statuses)].filter((s) => s !== 200 && s !== 503), [], `answers: ${[...new Set(statuses)].join(', ')}`);
    const after = await t.http.get('/api/articles');
    assert.equal(after.status, 200, 'the pool reconnected by itself');
  });
});
