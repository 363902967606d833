import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config.js';
import { JobQueue } from '../jobs/job-queue.js';
import { type MailMessage } from './mail-message.js';
import { SEND_MAIL_TASK } from './mail-outbox.js';

/**
 * Runs the `mail.send` jobs: each hands one message to the SMTP server of SMTP_URL (nodemailer). A failure (the
 * server is down, refuses, times out) throws, so the queue keeps the job and retries it with backoff; once the server
 * accepted the message the job completes. The one window left is between the server's acceptance and the job's
 * completion being committed: a crash or a lost database connection exactly then sends that mail again at the retry
 * (at least once, never lost; SMTP offers nothing better without the server's help).
 *
 * Without SMTP_URL no mail task is registered and the start says once that no mail is sent.
 */
@Injectable()
export class MailSender implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private transport?: Transporter;

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.smtpUrl === null) {
      this.logger.log('SMTP_URL is not set: no mail is sent (no verification, reset or notification mail)');
      return;
    }
    // One connection per message (no pool): mail is rare, and a connection kept open would outlive an SMTP restart.
    // Timeouts bound how long one attempt can hold the worker. Loaded here, not at the top: a start without SMTP_URL
    // (every test app but the mail suites' and many a development start) does not pay for loading it.
    const nodemailer = (await import('nodemailer')).default;
    this.transport = nodemailer.createTransport({
      url: this.config.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    this.jobs.register(SEND_MAIL_TASK, (payload) => this.send(payload as MailMessage));
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }

  private async send(message: MailMessage): Promise<void> {
    await this.transport?.sendMail({
      from: this.config.mailFrom,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: message.headers,
    });
  }
}
