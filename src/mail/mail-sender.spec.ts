import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/app-config.js';
import { type JobHandler, type JobQueue } from '../jobs/job-queue.js';
import { MailSender } from './mail-sender.js';

class FakeJobQueue {
  readonly tasks = new Map<string, JobHandler>();
  register(task: string, handler: JobHandler): void {
    this.tasks.set(task, handler);
  }
}

/** A MailSender whose log lines are kept (its own logger replaced, not Nest's global one). */
function senderWithLog(env: Record<string, string>, jobs: FakeJobQueue): { sut: MailSender; lines: string[] } {
  const sut = new MailSender(loadConfig(env), jobs as unknown as JobQueue);
  const lines: string[] = [];
  Object.assign(sut, { logger: { log: (message: string) => lines.push(message) } });
  return { sut, lines };
}

describe('MailSender', () => {
  it('without SMTP_URL registers no mail task and says once that no mail is sent', async () => {
    const jobs = new FakeJobQueue();
    const { sut, lines } = senderWithLog({}, jobs);
    await sut.onModuleInit();
    sut.onModuleDestroy();
    assert.equal(jobs.tasks.size, 0);
    assert.deepEqual(lines, ['SMTP_URL is not set: no mail is sent (no verification, reset or notification mail)']);
  });

  it('with SMTP_URL runs the mail.send jobs', async () => {
    const jobs = new FakeJobQueue();
    const { sut, lines } = senderWithLog({ SMTP_URL: 'smtp://127.0.0.1:2525' }, jobs);
    await sut.onModuleInit();
    assert.deepEqual([...jobs.tasks.keys()], ['mail.send']);
    assert.deepEqual(lines, []);
    sut.onModuleDestroy();
  });
});
