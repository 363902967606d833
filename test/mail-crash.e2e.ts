import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { eventually } from './helpers/entry-point.js';
import { TestSmtp } from './helpers/smtp.js';
import { newTestDatabase } from './helpers/test-app.js';

/**
 * The real entry point killed with SIGKILL while a mail waits in the queue and the SMTP server is down: started again
 * with the server up, it sends that mail, once.
 */
describe('mail across a crash', () => {
  const running: AppProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  after(async () => {
    for (const app of running) await app.stop('SIGKILL');
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function signUpWithEmail(baseUrl: string, username: string, email: string): Promise<void> {
    const registered = await fetch(`${baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: 'a long enough password' }),
    });
    assert.equal(registered.status, 201);
    const { token } = (await registered.json()) as { token: string };
    const changed = await fetch(`${baseUrl}/api/auth/me`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ email }),
    });
    assert.equal(changed.status, 200);
  }

  it('sends a mail queued before a SIGKILL once, after the restart', async () => {
    const database = await newTestDatabase();
    cleanups.push(() => database.drop());
    const smtp = await TestSmtp.start();
    cleanups.push(() => smtp.stop());
    await smtp.stop();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    cleanups.push(() => client.end());
    const env = {
      DATABASE_URL: database.url,
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://forum.example.org',
      SEED_ON_START: 'false',
      RATE_LIMIT_FACTOR: '1000',
      LOG_LEVEL: 'warn',
    };

    const first = await startAppProcess(env);
    running.push(first);
    await signUpWithEmail(first.baseUrl, 'before_the_crash', 'before.the.crash@example.org');
    // The SMTP server is down: the first attempt fails, and the mail waits in the queue for its retry.
    const failed = await eventually(async () => {
      const { rows } = await client.query<{ attempts: number }>(
        `SELECT attempts FROM graphile_worker.jobs
          WHERE task_identifier = 'mail.send' AND locked_at IS NULL AND last_error IS NOT NULL`,
      );
      return rows.length === 1 && rows[0].attempts === 1;
    }, 10_000);
    assert.ok(failed, 'the first attempt failed and was recorded');
    assert.equal(await first.stop('SIGKILL'), null);

    await smtp.start();
    const second = await startAppProcess(env);
    running.push(second);
    await smtp.waitFor('before.the.crash@example.org');
    // The barrier: a mail queued now arrives after the one that waited; it went out once.
    await signUpWithEmail(second.baseUrl, 'after_the_crash', 'after.the.crash@example.org');
    await smtp.waitFor('after.the.crash@example.org');
    assert.equal(smtp.to('before.the.crash@example.org').length, 1);
    assert.equal(await second.stop('SIGTERM'), 0, 'a clean stop with the worker running');
  });
});
