import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.js';
import { type Viewer, requireModerator } from '../auth/viewer.js';
import { BannedWords } from '../banned-words/banned-words.service.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { isId, parseId } from '../common/ids.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { CommentWritesService } from '../comments/comment-writes.service.js';
import { CommentEvents } from '../comments/comment-events.js';
import { type CommentRow, CommentsRepository } from '../comments/comments.repository.js';
import { type CommentDto } from '../comments/dto/comment.dto.js';
import { toCommentDto } from '../comments/dto/comment.mapper.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { EventBus } from '../events/event-bus.js';
import { toUserDto } from '../users/dto/user.dto.js';
import { UsersRepository } from '../users/users.repository.js';
import { BanExpiry } from './ban-expiry.js';
import { type BanPosition, BansRepository } from './bans.repository.js';
import {
  type BanDto,
  type BanResultDto,
  type BansPageDto,
  type LogPageDto,
  type Queue,
  type QueueItemDto,
  type QueuePageDto,
  type QueueQueryDto,
} from './dto/moderation.dto.js';
import { type CommentAction, transition } from './comment-transitions.js';
import { ModerationLogRepository } from './moderation-log.repository.js';
import { ModerationQueueRepository } from './moderation-queue.repository.js';
import { ReportsRepository } from './reports.repository.js';

@Injectable()
export class ModerationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly comments: CommentsRepository,
    private readonly writes: CommentWritesService,
    private readonly reports: ReportsRepository,
    private readonly queues: ModerationQueueRepository,
    private readonly banned: BansRepository,
    private readonly users: UsersRepository,
    private readonly logPages: ModerationLogRepository,
    private readonly audit: AuditLog,
    private readonly bannedWords: BannedWords,
    private readonly bus: EventBus,
    private readonly commentEvents: CommentEvents,
    private readonly cursors: CursorCodec,
    private readonly banExpiry: BanExpiry,
  ) {}

  async queue(query: QueueQueryDto, viewer: Viewer): Promise<QueuePageDto> {
    requireModerator(viewer);
    const queue: Queue = query.status ?? 'pending';
    const limit = query.limit ?? 20;
    const scope = `queue:${queue}:${query.articleId ?? ''}`;
    const after = this.cursors.positionOf(scope, query.cursor, ([key, id]) =>
      (typeof key === 'string' || typeof key === 'number') && isId(id) ? { key, id } : null,
    );
    const rows = await this.queues.findQueuePage(queue, query.articleId ?? null, rowsFor(limit), after);
    const { items: page, nextCursor } = pageOf(rows, limit, (last) =>
      this.cursors.encode(scope, [queue === 'reported' ? last.openReports : last.createdAt.toISOString(), last.id]),
    );
    const ids = page.map((r) => r.id);
    const [quotes, reports] = await Promise.all([this.comments.findQuotes(ids), this.reports.findForComments(ids)]);
    const items: QueueItemDto[] = page.map((row) => ({
      ...toCommentDto(row, quotes.filter((q) => q.commentId === row.id), viewer, 0),
      articleSlug: row.articleSlug,
      reports: reports
        .filter((r) => r.commentId === row.id)
        .map((r) => ({
          id: r.id,
          reason: r.reason,
          note: r.note,
          status: r.status,
          createdAt: r.createdAt.toISOString(),
          reporter: toUserDto({ id: r.reporterId, username: r.reporterUsername, displayName: r.reporterDisplayName, role: r.reporterRole }),
        })),
    }));
    return { items, nextCursor };
  }

  /**
   * approve: a pending comment becomes visible (and is announced as new); approving a reported one keeps it visible.
   * remove: hidden from readers, its body kept for moderators (a comment readers never saw stays unseen: no
   * placeholder). restore: a removed comment is visible again (one readers never saw is published by it, as by approval).
   * Approving and removing close the comment's open reports. Each action is logged once.
   */
  async act(action: CommentAction, rawId: string, reason: string | undefined, viewer: Viewer): Promise<CommentDto> {
    const actorId = requireModerator(viewer);
    return this.uow.run(async (tx) => {
      const comment = await this.comments.findByIdForUpdate(tx, parseId(rawId, ErrorCode.CommentNotFound, 'comment'));
      if (!comment) throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
      const next = transition(action, comment.status);
      if ('refused' in next) throw new DomainError(ErrorCode.Conflict, next.refused);
      await this.writes.changeStatus(tx, comment, next.to);
      if (action !== 'restore') await this.reports.closeOpen(tx, comment.id);
      await this.audit.record(tx, { actorId, action: next.log, commentId: comment.id, articleId: comment.articleId, reason: reason || null });
      const row = (await this.comments.findById(comment.id, tx)) as CommentRow;
      const quotes = await this.comments.findQuotes([row.id], tx);
      await this.commentEvents.moderated(tx, comment, row, quotes);
      return toCommentDto(row, quotes, viewer, 0);
    });
  }

  async ban(rawUserId: string, input: BanDto, viewer: Viewer): Promise<BanResultDto> {
    const actorId = requireModerator(viewer);
    const userId = parseId(rawUserId, ErrorCode.UserNotFound, 'user');
    const until = input.until ? new Date(input.until) : null;
    if (until && until.getTime() <= Date.now()) throw new DomainError(ErrorCode.ValidationFailed, 'until must be in the future.');
    const result = await this.uow.run(async (tx) => {
      const target = await this.users.findById(userId, tx);
      if (!target) throw new DomainError(ErrorCode.UserNotFound, 'No such user.');
      if (target.id === actorId) throw new DomainError(ErrorCode.Forbidden, 'You cannot ban yourself.');
      if (target.role === 'admin' && viewer.role !== 'admin') throw new DomainError(ErrorCode.Forbidden, 'A moderator cannot ban an admin.');
      await this.users.setBan(tx, target.id, until, input.reason);
      await this.audit.record(tx, { actorId, action: 'user.ban', userId: target.id, reason: input.reason, details: { until: until?.toISOString() ?? null } });
      const banned = { userId: target.id, until: until?.toISOString() ?? null, reason: input.reason };
      this.bus.record(tx, { type: 'user.banned', payload: banned });
      return { user: toUserDto(target), until: banned.until, reason: banned.reason };
    });
    this.banExpiry.schedule(userId, until);
    return result;
  }

  async unban(rawUserId: string, viewer: Viewer): Promise<void> {
    const actorId = requireModerator(viewer);
    const userId = parseId(rawUserId, ErrorCode.UserNotFound, 'user');
    const lifted = await this.uow.run(async (tx) => {
      const target = await this.users.findById(userId, tx);
      if (!target) throw new DomainError(ErrorCode.UserNotFound, 'No such user.');
      if (target.role === 'admin' && viewer.role !== 'admin') throw new DomainError(ErrorCode.Forbidden, 'A moderator cannot change an admin’s ban.');
      if (!(await this.users.clearBan(tx, target.id))) return false;
      await this.audit.record(tx, { actorId, action: 'user.unban', userId: target.id });
      this.bus.record(tx, { type: 'user.unbanned', payload: { userId: target.id, role: target.role } });
      return true;
    });
    if (lifted) this.banExpiry.schedule(userId, null);
  }

  /** The users under a ban in force, newest ban first; expired and lifted bans are not listed. */
  async bans(limit: number, cursor: string | undefined, viewer: Viewer): Promise<BansPageDto> {
    requireModerator(viewer);
    const after = this.cursors.positionOf('bans', cursor, ([banLogId, userId]): BanPosition | null =>
      (banLogId === null || isId(banLogId)) && isId(userId) ? { banLogId, userId } : null,
    );
    const rows = await this.banned.findBannedPage(rowsFor(limit), after);
    const page = pageOf(rows, limit, (last) => this.cursors.encode('bans', [last.banLogId, last.id]));
    return {
      items: page.items.map((r) => ({
        user: toUserDto(r),
        until: r.until?.toISOString() ?? null,
        reason: r.reason,
        bannedAt: r.bannedAt?.toISOString() ?? null,
        bannedBy:
          r.byId && r.byUsername && r.byDisplayName && r.byRole
            ? toUserDto({ id: r.byId, username: r.byUsername, displayName: r.byDisplayName, role: r.byRole })
            : null,
      })),
      nextCursor: page.nextCursor,
    };
  }

  async bannedWordList(viewer: Viewer): Promise<string[]> {
    requireModerator(viewer);
    return this.bannedWords.list();
  }

  async replaceBannedWords(words: string[], viewer: Viewer): Promise<string[]> {
    const actorId = requireModerator(viewer);
    return this.uow.run(async (tx) => {
      const before = await this.bannedWords.list(tx);
      const stored = await this.bannedWords.replace(tx, words, actorId);
      const added = stored.filter((w) => !before.includes(w));
      const removed = before.filter((w) => !stored.includes(w));
      await this.audit.record(tx, { actorId, action: 'banned-words.update', details: { added, removed, count: stored.length } });
      return stored;
    });
  }

  async logPage(limit: number, cursor: string | undefined, viewer: Viewer): Promise<LogPageDto> {
    requireModerator(viewer);
    const before = this.cursors.positionOf('moderation-log', cursor, ([id]) => (isId(id) ? id : null));
    const rows = await this.logPages.findPage(rowsFor(limit), before);
    const page = pageOf(rows, limit, (last) => this.cursors.encode('moderation-log', [last.id]));
    return {
      items: page.items.map((r) => ({
        id: r.id,
        actor: toUserDto({ id: r.actorId, username: r.actorUsername, displayName: r.actorDisplayName, role: r.actorRole }),
        action: r.action,
        commentId: r.commentId,
        userId: r.userId,
        articleId: r.articleId,
        reason: r.reason,
        details: r.details,
        createdAt: r.createdAt.toISOString(),
        user:
          r.userId && r.targetUsername && r.targetDisplayName && r.targetRole
            ? toUserDto({ id: r.userId, username: r.targetUsername, displayName: r.targetDisplayName, role: r.targetRole })
            : null,
        article: r.articleId && r.articleSlug && r.articleTitle ? { id: r.articleId, slug: r.articleSlug, title: r.articleTitle } : null,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
