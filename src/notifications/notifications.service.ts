import { Injectable } from '@nestjs/common';
import { requireSignedIn, type Viewer } from '../auth/viewer.js';
import { isId } from '../common/ids.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { DEFAULT_LIMIT } from '../common/pagination/page-query.dto.js';
import { ReaderViews } from '../comments/reader-views.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { EventBus } from '../events/event-bus.js';
import { type CommentModerated } from '../moderation/moderation.events.js';
import { toUserDto } from '../users/dto/user.dto.js';
import {
  type MarkReadDto,
  type NotificationDto,
  type NotificationPageDto,
  type NotificationsQueryDto,
  type UnreadCountDto,
} from './dto/notification.dto.js';
import { FollowsRepository } from './follows.repository.js';
import { type NotificationDelivery } from './notification.events.js';
import { NotificationMails } from './notification-mails.js';
import {
  type CommentAudience,
  type NotificationPosition,
  type NotificationRow,
  NotificationsRepository,
} from './notifications.repository.js';

/**
 * The inbox: who is notified of what (the fan-out), and the recipient's reads. The fan-out methods are idempotent and
 * keyed by what happened (a comment, a decision), and read everything they need now: a listener calls them after the
 * commit that made the change, and a queued job could call them again after a crash without notifying anyone twice.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly notifications: NotificationsRepository,
    private readonly follows: FollowsRepository,
    private readonly readerViews: ReaderViews,
    private readonly cursors: CursorCodec,
    private readonly bus: EventBus,
    private readonly mails: NotificationMails,
  ) {}

  /**
   * A comment readers can see: notifies its parent's author, the users it mentions, the authors it quotes and (with
   * `everyone`, for a comment readers see for the first time) the followers of its essay or thread; each recipient at
   * most once per comment, its author never, nobody while the comment is not visible. After an edit (`named`) that
   * leaves only the names it adds. `at`: when readers could first see it, the time its notifications carry (and are
   * listed by), whenever the fan-out runs; none (an edit's new names, or a job queued without it): now. Returns how
   * many were notified now.
   */
  async notifyAboutComment(
    commentId: string,
    audience: CommentAudience = 'everyone',
    at: string | null = null,
  ): Promise<number> {
    return this.uow.run(async (tx) => {
      const inserted = await this.notifications.insertForComment(tx, commentId, audience, at);
      await this.announce(tx, inserted);
      return inserted.length;
    });
  }

  /**
   * A moderator's decision on a comment tells its author, with the moderator and their reason (not one's own); once
   * per decision, however often it runs. Returns how many were notified now (0 or 1).
   */
  async notifyAboutDecision(decision: CommentModerated): Promise<number> {
    if (decision.moderatorId === decision.authorId) return 0;
    return this.uow.run(async (tx) => {
      const inserted = await this.notifications.insertDecision(tx, {
        recipientId: decision.authorId,
        kind: decision.decision,
        actorId: decision.moderatorId,
        commentId: decision.commentId,
        moderationLogId: decision.logId,
        reason: decision.reason,
        // Decisions notified by jobs that ran in another order still list in the order they were made.
        createdAt: decision.decidedAt ?? null,
      });
      await this.announce(tx, inserted);
      return inserted.length;
    });
  }

  /** One's notifications, newest first, with the unread count. */
  async list(query: NotificationsQueryDto, viewer: Viewer): Promise<NotificationPageDto> {
    const userId = requireSignedIn(viewer);
    const unreadOnly = query.unread === 'true';
    const limit = query.limit ?? DEFAULT_LIMIT;
    const scope = `notifications:${userId}:${unreadOnly ? 'unread' : 'all'}`;
    const after = this.cursors.positionOf(scope, query.cursor, readPosition);
    const rows = await this.notifications.findPage(userId, unreadOnly, rowsFor(limit), after);
    const page = pageOf(rows, limit, (last) => this.cursors.encode(scope, [last.createdAt.toISOString(), last.id]));
    const commentIds = page.items.flatMap((r) => (r.commentId ? [r.commentId] : []));
    const [viewAs, followed, unread] = await Promise.all([
      this.readerViews.forReaders(commentIds),
      this.follows.findFollowedComments(userId, commentIds),
      this.notifications.countUnread([userId]),
    ]);
    return {
      items: page.items.map((row) => toNotificationDto(row, viewAs, followed.has(row.commentId ?? ''))),
      nextCursor: page.nextCursor,
      unreadCount: unread.get(userId) ?? 0,
    };
  }

  /** The user's notifications as their inbox shows them, at most `limit`, read in the caller's transaction (their export). */
  async exportFor(tx: Tx, userId: string, limit: number): Promise<NotificationDto[]> {
    const rows = await this.notifications.findPage(userId, false, limit, null, tx);
    const commentIds = rows.flatMap((r) => (r.commentId ? [r.commentId] : []));
    const viewAs = await this.readerViews.forReaders(commentIds, tx);
    const followed = await this.follows.findFollowedComments(userId, commentIds, tx);
    return rows.map((row) => toNotificationDto(row, viewAs, followed.has(row.commentId ?? '')));
  }

  /** Account deletion: the user's inbox goes. */
  async deleteAllOf(tx: Tx, userId: string): Promise<void> {
    await this.notifications.deleteForRecipient(tx, userId);
  }

  /** Marks some (or, without ids, all) of one's notifications read; ids of others' notifications change nothing. */
  async markRead(input: MarkReadDto, viewer: Viewer): Promise<UnreadCountDto> {
    const userId = requireSignedIn(viewer);
    await this.notifications.markRead(userId, input.ids ?? null);
    const unread = await this.notifications.countUnread([userId]);
    return { unreadCount: unread.get(userId) ?? 0 };
  }

  /**
   * After the commit, the live side hears of the new notifications (ids only), and the recipients who want mail get a
   * mail job, in the inserting transaction. Nothing here grows with more than a statement per fan-out: building what
   * each recipient is shown waits for {@link deliveries}, asked only for those connected.
   */
  private async announce(tx: Tx, inserted: { id: string; recipientId: string }[]): Promise<void> {
    if (inserted.length === 0) return;
    await this.mails.notified(
      tx,
      inserted.map((n) => n.recipientId),
    );
    this.bus.record(tx, {
      type: 'notifications.created',
      payload: { notificationIds: inserted.map((n) => n.id), recipientIds: inserted.map((n) => n.recipientId) },
    });
  }

  /**
   * New notifications as their recipients are shown them, with each one's unread count: for the live event, for the
   * recipients connected (a few queries whatever their number; none when the list is empty).
   */
  async deliveries(notificationIds: string[]): Promise<NotificationDelivery[]> {
    if (notificationIds.length === 0) return [];
    const rows = await this.notifications.findByIds(notificationIds);
    const recipients = rows.map((r) => r.recipientId);
    const commentIds = [...new Set(rows.flatMap((r) => (r.commentId ? [r.commentId] : [])))];
    const viewAs = await this.readerViews.forReaders(commentIds);
    const unread = await this.notifications.countUnread(recipients);
    // A fan-out is about one comment: who among its recipients follows that comment itself.
    const followers =
      commentIds.length === 1 ? await this.follows.findFollowersAmong(commentIds[0], recipients) : new Set<string>();
    return rows.map((row) => ({
      recipientId: row.recipientId,
      notification: toNotificationDto(row, viewAs, followers.has(row.recipientId)),
      unreadCount: unread.get(row.recipientId) ?? 0,
    }));
  }
}

function toNotificationDto(
  row: NotificationRow,
  viewAs: (commentId: string, userId: string, following: boolean) => NotificationDto['comment'] | undefined,
  following: boolean,
): NotificationDto {
  return {
    id: row.id,
    kind: row.kind,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
    actor:
      row.actorId && row.actorUsername && row.actorDisplayName && row.actorRole
        ? toUserDto({
            id: row.actorId,
            username: row.actorUsername,
            displayName: row.actorDisplayName,
            role: row.actorRole,
          })
        : null,
    article:
      row.articleId && row.articleSlug && row.articleTitle !== null
        ? { id: row.articleId, slug: row.articleSlug, title: row.articleTitle }
        : null,
    comment: row.commentId ? (viewAs(row.commentId, row.recipientId, following) ?? null) : null,
    reason: row.reason,
  };
}

function readPosition([createdAt, id]: unknown[]): NotificationPosition | null {
  return typeof createdAt === 'string' && isId(id) ? { createdAt, id } : null;
}
