import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { MailOutbox } from './mail-outbox.js';
import { MailSender } from './mail-sender.js';

/** Mail: queued in the domains' transactions (MailOutbox), sent by the job queue's worker over SMTP (MailSender). */
@Module({ imports: [JobsModule], providers: [MailOutbox, MailSender], exports: [MailOutbox] })
export class MailModule {}
