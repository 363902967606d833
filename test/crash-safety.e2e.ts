import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { newTestDatabase } from './helpers/test-app.js';

interface Attempt {
  key: string;
  body: string;
  /** The status of the answer that came back, or null while no answer came. */
  status: number | null;
  id?: string;
}

const SLUG = 'bolshevism-vs-stalinism';

async function post(baseUrl: string, token: string, attempt: Attempt): Promise<void> {
  try {
    const res = await fetch(`${baseUrl}/api/articles/${SLUG}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': attempt.key },
      body: JSON.stringify({ body: attempt.body }),
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await res.json()) as { id?: string };
    attempt.status = res.status;
    attempt.id = json.id;
  } catch {
    attempt.status = null; // no answer: the client will retry with the same key
  }
}

describe('crash safety', () => {
  let database: Awaited<ReturnType<typeof newTestDatabase>>;
  let app: AppProcess | undefined;

  before(async () => {
    database = await newTestDatabase();
  });

  after(async () => {
    await app?.stop('SIGKILL');
    await database.drop();
  });

  it('keeps every comment answered 201 exactly once, and no retried one twice, across a SIGKILL', async () => {
    const env = { DATABASE_URL: database.url, RATE_LIMIT_FACTOR: '100000', ADMIN_PASSWORD: 'crash-test-admin' };
    app = await startAppProcess(env);
    const registered = await fetch(`${app.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'steady_writer', password: 'a long enough password' }),
    });
    const { token } = (await registered.json()) as { token: string };
    const attempts: Attempt[] = [];
    let baseUrl = app.baseUrl;
    let stop = false;
    // Four writers post without pause, each request with its own key.
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const attempt: Attempt = { key: randomUUID(), body: `steady ${w}-${i} ${randomUUID()}`, status: null };
        attempts.push(attempt);
        await post(baseUrl, token, attempt);
        if (attempt.status === null) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    // Killed once a good number were answered (not after a fixed time: a loaded machine answers fewer per second).
    const deadline = Date.now() + 30_000;
    while (attempts.filter((a) => a.status === 201).length < 40 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(await app.stop('SIGKILL'), null, 'killed, no exit code');
    stop = true;
    await Promise.all(writers);
    app = await startAppProcess(env);
    baseUrl = app.baseUrl;
    // Clients retry every request that got no answer, with the same key and body.
    const unanswered = attempts.filter((a) => a.status === null);
    for (const attempt of unanswered) await post(baseUrl, token, attempt);

    const answered = attempts.filter((a) => a.status === 201);
    assert.ok(answered.length > 10, `only ${answered.length} comments were posted before the kill`);
    assert.deepEqual(
      [...new Set(attempts.map((a) => a.status))].filter((s) => s !== 201),
      [],
      'every request ends answered 201',
    );
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const rows = await client.query<{ body: string; n: number; ids: string[] }>(
        `SELECT body, count(*)::int AS n, array_agg(id::text) AS ids FROM comments WHERE body LIKE 'steady %' GROUP BY body`,
      );
      const byBody = new Map(rows.rows.map((r) => [r.body, r]));
      for (const attempt of attempts) {
        const row = byBody.get(attempt.body);
        assert.ok(row, `a comment answered 201 is missing: ${attempt.body}`);
        assert.equal(row.n, 1, `stored ${row.n} times: ${attempt.body}`);
        assert.deepEqual(row.ids, [attempt.id], 'the retry answered the first comment');
      }
      assert.equal(rows.rows.length, attempts.length, 'nothing stored that no client asked for');
    } finally {
      await client.end();
    }
    console.log(`# ${attempts.length} posts, ${unanswered.length} unanswered at the kill and retried`);
  });
});
