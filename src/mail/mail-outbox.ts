import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { type Tx } from '../database/unit-of-work.js';
import { JobQueue } from '../jobs/job-queue.js';
import { type MailMessage } from './mail-message.js';

/** The job that sends one mail (see MailSender). */
export const SEND_MAIL_TASK = 'mail.send';

/**
 * Where the domains put mail: {@link queue} adds a `mail.send` job in the caller's transaction, so the mail leaves if
 * and only if the write that caused it (a new address, a reset request) commits, and is sent after it, however long
 * an SMTP outage lasts (the queue retries with backoff, for about three days).
 */
@Injectable()
export class MailOutbox {
  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
  ) {}

  /** Whether mail is sent at all (SMTP_URL is set). */
  get enabled(): boolean {
    return this.config.smtpUrl !== null;
  }

  /** Queues a mail in the caller's transaction; without SMTP_URL nothing is queued (false). */
  async queue(tx: Tx, message: MailMessage): Promise<boolean> {
    if (!this.enabled) return false;
    await this.jobs.enqueue(tx, SEND_MAIL_TASK, message);
    return true;
  }

  /** An absolute link into the forum: PUBLIC_URL and the path (with its query). */
  link(path: string): string {
    return `${this.config.publicUrl}${path}`;
  }
}
