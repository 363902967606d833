import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { ensureDatabase } from '../src/database/database-server.js';
import { type RunningPostgres, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { prepareDatabase } from '../src/database/prepare-database.js';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';

const SLUG = 'bolshevism-vs-stalinism';

describe('a database restart under load', () => {
  let dataDir: string;
  let server: RunningPostgres;
  let app: AppProcess | undefined;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'forum-db-restart-'));
  });

  after(async () => {
    await app?.stop('SIGKILL');
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 while the database is down, reconnects by itself, and loses no accepted comment', async () => {
    server = await startEmbeddedPostgres({ dataDir, port: 0, persistent: true, throwaway: true, log: () => undefined });
    const port = Number(new URL(server.serverUrl).port);
    const databaseUrl = await ensureDatabase(server.serverUrl, 'restart_check');
    await prepareDatabase(databaseUrl, () => undefined);
    app = await startAppProcess({
      DATABASE_URL: databaseUrl,
      RATE_LIMIT_FACTOR: '100000',
      ADMIN_PASSWORD: 'restart-admin',
    });
    const baseUrl = app.baseUrl;
    const reg = await fetch(`${baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'through_outage', password: 'a long enough password' }),
    });
    const { token } = (await reg.json()) as { token: string };

    const accepted = new Map<string, string>(); // body → comment id
    const pending: { key: string; body: string }[] = [];
    const statuses = new Map<number | string, number>();
    let longest = 0;
    const send = async (key: string, body: string): Promise<boolean> => {
      const started = Date.now();
      try {
        const res = await fetch(`${baseUrl}/api/articles/${SLUG}/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
          body: JSON.stringify({ body }),
          signal: AbortSignal.timeout(15_000),
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const json = (await res.json()) as { id?: string; statusCode?: number };
        if (res.status === 201 && json.id) {
          accepted.set(body, json.id);
          return true;
        }
        assert.equal(
          res.status,
          503,
          `an outage answers 503, not ${res.status}: ${app
            ?.output()
            .split('\n')
            .filter((l) => /ERROR/.test(l))
            .slice(-3)
            .join(' | ')}`,
        );
        assert.ok(res.headers.get('retry-after'), '503 says when to retry');
        return false;
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        statuses.set('no answer', (statuses.get('no answer') ?? 0) + 1);
        return false;
      } finally {
        longest = Math.max(longest, Date.now() - started);
      }
    };

    let stop = false;
    const writers = Array.from({ length: 3 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const item = { key: randomUUID(), body: `outage ${w}-${i} ${randomUUID()}` };
        if (!(await send(item.key, item.body))) {
          pending.push(item);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    });
    // Each phase lasts until what it is for was seen (with a deadline), not a fixed time.
    const until = async (condition: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await until(() => accepted.size >= 10, 20_000);
    await server.stop();
    await until(() => (statuses.get(503) ?? 0) >= 3, 20_000);
    server = await startEmbeddedPostgres({ dataDir, port, persistent: true, throwaway: true, log: () => undefined });
    const acceptedBeforeRestart = accepted.size;
    await until(() => accepted.size >= acceptedBeforeRestart + 10, 30_000);
    stop = true;
    await Promise.all(writers);
    // The clients retry what failed, with the same keys (for at most 30 s in all).
    assert.equal(app.child.exitCode, null, `the app died:\n${app.output().slice(-2000)}`);
    const deadline = Date.now() + 30_000;
    for (const item of pending) {
      while (Date.now() < deadline && !(await send(item.key, item.body)))
        await new Promise((resolve) => setTimeout(resolve, 250));
    }

    assert.ok((statuses.get(503) ?? 0) > 0, `the outage was seen: ${JSON.stringify([...statuses])}`);
    assert.ok(longest < 12_000, `the longest answer took ${longest} ms`);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const rows = await client.query<{ body: string; id: string }>(
        `SELECT body, id::text FROM comments WHERE body LIKE 'outage %'`,
      );
      const stored = new Map<string, string[]>();
      for (const row of rows.rows) stored.set(row.body, [...(stored.get(row.body) ?? []), row.id]);
      for (const [body, id] of accepted) assert.deepEqual(stored.get(body), [id], `stored once as answered: ${body}`);
      for (const item of pending)
        assert.ok(accepted.has(item.body), `a retried comment was finally accepted: ${item.body}`);
      assert.equal(rows.rows.length, accepted.size, 'no comment stored twice or unasked');
    } finally {
      await client.end();
    }
    console.log(
      `# answers: ${JSON.stringify(Object.fromEntries(statuses))}; ${pending.length} retried; longest ${longest} ms`,
    );
  });
});
