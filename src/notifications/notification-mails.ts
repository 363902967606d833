import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ReaderViews } from '../comments/reader-views.js';
import { AppConfig } from '../config/app-config.js';
import { zonesAtHour } from '../common/time-zones.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { JobQueue } from '../jobs/job-queue.js';
import { MailOutbox } from '../mail/mail-outbox.js';
import { UnsubscribeLinks } from '../users/unsubscribe-links.js';
import { type EmailNotifications } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { MAILED_AT_MOST, type MailedNotification, notificationMail } from './notification-mail.js';
import { NotificationsRepository } from './notifications.repository.js';

/** One reader's instant mail: queued when a notification reaches them, sent after the delay with whatever came since. */
export const INSTANT_MAIL_TASK = 'notifications.mail-instant';
/**
 * Every hour: queues a digest for each `daily` reader whose clocks show DIGEST_HOUR (in their own time zone, UTC
 * without one) and who has something unread and unmailed.
 */
export const DIGESTS_TASK = 'notifications.queue-digests';
/** One reader's digest. */
export const DIGEST_MAIL_TASK = 'notifications.mail-digest';

/** A digest lists at most MAILED_AT_MOST notifications, and counts up to this many more, all then marked mailed. */
const DIGEST_TAKES_AT_MOST = 500;
/** Readers queued for a digest per transaction. */
const DIGEST_ROUND = 500;

/**
 * Notification mail. Instant: when notifications reach a reader whose setting is `instant` and whose address is
 * verified, a job for that reader is queued in the same transaction, to run NOTIFICATION_MAIL_DELAY_SECONDS later; a
 * job queued meanwhile for the same reader keeps the first one's time (graphile-worker's job key), so notifications
 * that come close together share one mail. Daily: a job scheduled every hour queues one digest per `daily` reader for
 * whom it is DIGEST_HOUR, on their own clock.
 *
 * A mail job reads the reader's unread notifications that no mail carried yet, marks them mailed and queues the mail
 * itself (MailOutbox), all in one transaction: a notification is mailed at most once, and one read in the forum before
 * its mail went out is not mailed at all. The comment is shown as the reader may see it when the mail is made; one
 * removed or deleted since is left out. Readers who turned mail off (or whose address is no longer verified) are not
 * mailed, and what they had waiting stays unmailed.
 */
@Injectable()
export class NotificationMails implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly queue: JobQueue,
    private readonly outbox: MailOutbox,
    private readonly users: UsersRepository,
    private readonly notifications: NotificationsRepository,
    private readonly readerViews: ReaderViews,
    private readonly unsubscribeLinks: UnsubscribeLinks,
  ) {}

  onModuleInit(): void {
    this.queue.register(INSTANT_MAIL_TASK, (payload) => this.mailWaiting(userIdOf(payload), 'instant'));
    this.queue.register(DIGEST_MAIL_TASK, (payload) => this.mailWaiting(userIdOf(payload), 'daily'));
    this.queue.register(DIGESTS_TASK, (payload) => this.queueDigests(scheduledTime(payload)));
    // Hourly, on the hour: every reader's DIGEST_HOUR starts at one of them (or within one, for a half-hour offset).
    this.queue.schedule(DIGESTS_TASK, '0 * * * *');
  }

  /** In the transaction that notified them: an instant mail for each of these readers who wants one. */
  async notified(tx: Tx, recipientIds: string[]): Promise<void> {
    if (!this.outbox.enabled || recipientIds.length === 0) return;
    const readers = await this.users.findMailable([...new Set(recipientIds)], 'instant', tx);
    const runAt = new Date(Date.now() + this.config.notificationMailDelaySeconds * 1000);
    for (const reader of readers) {
      await this.queue.enqueue(
        tx,
        INSTANT_MAIL_TASK,
        { userId: reader.id },
        { runAt, jobKey: `notification-mail:${reader.id}`, jobKeyMode: 'preserve_run_at' },
      );
    }
  }

  /**
   * Queues a digest for every `daily` reader with unread notifications that no mail carried yet, whose clocks show
   * DIGEST_HOUR at `at` (the hourly run's scheduled time). The time zones in use are few: which of them are due is
   * worked out here (by the runtime's time zone database, the one that checked them), then their readers are read.
   */
  async queueDigests(at: Date): Promise<void> {
    if (!this.outbox.enabled) return;
    const { zones, withoutZone } = await this.zonesDueForDigest(at);
    if (zones.length === 0 && !withoutZone) return;
    let after: string | null = null;
    for (;;) {
      const ids = await this.notifications.findDigestRecipients(zones, withoutZone, after, DIGEST_ROUND);
      if (ids.length === 0) return;
      await this.uow.run(async (tx) => {
        for (const id of ids)
          await this.queue.enqueue(tx, DIGEST_MAIL_TASK, { userId: id }, { jobKey: `digest:${id}` });
      });
      after = ids[ids.length - 1];
    }
  }

  /** The time zones of `daily` readers whose clocks show DIGEST_HOUR at `at`, and whether UTC's do (no zone set). */
  async zonesDueForDigest(at: Date): Promise<{ zones: string[]; withoutZone: boolean }> {
    const due = zonesAtHour(await this.users.findDigestTimeZones(), at, this.config.digestHour);
    return { zones: due.filter((zone): zone is string => zone !== null), withoutZone: due.includes(null) };
  }

  /** One mail with the reader's waiting notifications (instant: a batch; daily: the digest). */
  private async mailWaiting(userId: string, setting: EmailNotifications): Promise<void> {
    if (!this.outbox.enabled) return;
    const digest = setting === 'daily';
    const again = await this.uow.run(async (tx) => {
      const [reader] = await this.users.findMailable([userId], setting, tx);
      if (!reader) return false;
      const rows = await this.notifications.findUnmailed(tx, userId, digest ? DIGEST_TAKES_AT_MOST : MAILED_AT_MOST);
      if (rows.length === 0) return false;
      const viewAs = await this.readerViews.forReaders(
        rows.flatMap((row) => (row.commentId ? [row.commentId] : [])),
        tx,
      );
      const items: MailedNotification[] = [];
      for (const row of rows) {
        const comment = row.commentId ? viewAs(row.commentId, userId, false) : undefined;
        // A comment removed or deleted since (a placeholder now) is not mailed: nothing of it may reach the reader.
        if (!comment?.body || row.articleTitle === null || row.commentId === null) continue;
        items.push({
          kind: row.kind,
          actorName: row.actorDisplayName,
          articleTitle: row.articleTitle,
          commentUrl: this.outbox.link(`/comments/${row.commentId}`),
          body: comment.body,
          reason: row.reason,
        });
      }
      await this.notifications.markMailed(
        tx,
        rows.map((row) => row.id),
      );
      const listed = items.slice(0, MAILED_AT_MOST);
      if (listed.length > 0) {
        const mail = notificationMail(
          reader,
          listed,
          {
            inbox: this.outbox.link('/notifications'),
            account: this.outbox.link('/account'),
            unsubscribe: await this.unsubscribeLinks.url(reader),
          },
          { digest, more: items.length - listed.length },
        );
        await this.outbox.queue(tx, { ...mail, headers: await this.unsubscribeLinks.headers(reader) });
      }
      // An instant batch takes MAILED_AT_MOST at a time: more waiting make another mail, at once.
      return !digest && rows.length === MAILED_AT_MOST;
    });
    if (again)
      await this.uow.run((tx) =>
        this.queue.enqueue(tx, INSTANT_MAIL_TASK, { userId }, { jobKey: `notification-mail:${userId}` }),
      );
  }
}

/**
 * When a scheduled run was due: graphile-worker gives each run of a schedule its time (`_cron.ts`), also to a run it
 * queues late after a stop, which then still picks the readers of its own hour. Queued by hand, a run is for now.
 */
function scheduledTime(payload: unknown): Date {
  const ts = (payload as { _cron?: { ts?: unknown } } | null)?._cron?.ts;
  const at = typeof ts === 'string' ? new Date(ts) : new Date();
  return Number.isNaN(at.getTime()) ? new Date() : at;
}

function userIdOf(payload: unknown): string {
  const userId = (payload as { userId?: unknown } | null)?.userId;
  if (typeof userId !== 'string' || !/^\d{1,19}$/.test(userId)) throw new Error('A mail job without a user id.');
  return userId;
}
