import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.js';
import { type Viewer, requireModerator } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { isId, parseId } from '../common/ids.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { CommentWritesService } from '../comments/comment-writes.service.js';
import { CommentEvents } from '../comments/comment-events.js';
import { type CommentRow, CommentsRepository } from '../comments/comments.repository.js';
import { type CommentDto } from '../comments/dto/comment.dto.js';
import { toCommentDto } from '../comments/dto/comment.mapper.js';
import { RemovalReasons } from '../comments/removal-reasons.js';
import { ViewerFollows } from '../comments/viewer-follows.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { EventBus } from '../events/event-bus.js';
import { type CommentAction, transition } from './comment-transitions.js';
import { type Queue, type QueueItemDto, type QueuePageDto, type QueueQueryDto } from './dto/moderation.dto.js';
import { toQueueReportDto } from './dto/report.mapper.js';
import { type ModerationDecision } from './moderation.events.js';
import { ModerationQueueRepository } from './moderation-queue.repository.js';
import { ReportsRepository } from './reports.repository.js';

const DECISIONS: Record<CommentAction, ModerationDecision> = {
  approve: 'approved',
  remove: 'removed',
  restore: 'restored',
};

/** The moderators' queues, and their decisions on comments (approve, remove, restore). */
@Injectable()
export class ModerationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly comments: CommentsRepository,
    private readonly writes: CommentWritesService,
    private readonly reports: ReportsRepository,
    private readonly queues: ModerationQueueRepository,
    private readonly audit: AuditLog,
    private readonly commentEvents: CommentEvents,
    private readonly cursors: CursorCodec,
    private readonly bus: EventBus,
    private readonly follows: ViewerFollows,
    private readonly removalReasons: RemovalReasons,
  ) {}

  async queue(query: QueueQueryDto, viewer: Viewer): Promise<QueuePageDto> {
    const moderatorId = requireModerator(viewer);
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
    const [quotes, reports, followed, reasons] = await Promise.all([
      this.comments.findQuotes(ids),
      this.reports.findForComments(ids),
      this.follows.findFollowedComments(moderatorId, ids),
      this.removalReasons.forViewer(page, viewer),
    ]);
    const items: QueueItemDto[] = page.map((row) => ({
      ...toCommentDto(
        row,
        quotes.filter((q) => q.commentId === row.id),
        viewer,
        0,
        followed.has(row.id),
        reasons.get(row.id) ?? null,
      ),
      articleSlug: row.articleSlug,
      reports: reports.filter((r) => r.commentId === row.id).map(toQueueReportDto),
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
    const decided = await this.decide(action, rawId, reason, actorId, viewer);
    // Read after the commit, as every answer reads the viewer's follows: the moderator may follow the comment.
    return { ...decided, following: (await this.follows.findFollowedComments(actorId, [decided.id])).has(decided.id) };
  }

  /**
   * Features a visible top-level comment (`featured`), or takes the mark off: logged, and told to the article's
   * followers as `comment.featured`. Asking for the state it is already in changes nothing and logs nothing. A reply
   * cannot be featured (the featured list is of top-level comments), nor a comment readers cannot read.
   */
  async feature(rawId: string, featured: boolean, viewer: Viewer): Promise<CommentDto> {
    const actorId = requireModerator(viewer);
    const row = await this.uow.run(async (tx) => {
      const comment = await this.comments.findByIdForUpdate(tx, parseId(rawId, ErrorCode.CommentNotFound, 'comment'));
      if (!comment) throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
      if (featured === (comment.featuredAt !== null)) return comment;
      if (featured && comment.parentId !== null)
        throw new DomainError(ErrorCode.Conflict, 'Only a top-level comment can be featured.');
      if (featured && comment.status !== 'visible')
        throw new DomainError(ErrorCode.Conflict, 'Only a comment readers can see can be featured.');
      await this.comments.setFeatured(tx, comment.id, featured ? new Date() : null);
      await this.audit.record(tx, {
        actorId,
        action: featured ? 'comment.feature' : 'comment.unfeature',
        commentId: comment.id,
        articleId: comment.articleId,
        reason: null,
      });
      await this.bus.recordForArticle(tx, comment.articleId, {
        type: 'comment.featured',
        payload: { commentId: comment.id, featured },
      });
      return (await this.comments.findById(comment.id, tx)) as CommentRow;
    });
    const [quotes, followed, reasons] = await Promise.all([
      this.comments.findQuotes([row.id]),
      this.follows.findFollowedComments(actorId, [row.id]),
      this.removalReasons.forViewer([row], viewer),
    ]);
    return toCommentDto(row, quotes, viewer, 0, followed.has(row.id), reasons.get(row.id) ?? null);
  }

  private decide(
    action: CommentAction,
    rawId: string,
    reason: string | undefined,
    actorId: string,
    viewer: Viewer,
  ): Promise<CommentDto> {
    return this.uow.run(async (tx) => {
      const comment = await this.comments.findByIdForUpdate(tx, parseId(rawId, ErrorCode.CommentNotFound, 'comment'));
      if (!comment) throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
      const next = transition(action, comment.status);
      if ('refused' in next) throw new DomainError(ErrorCode.Conflict, next.refused);
      await this.writes.changeStatus(tx, comment, next.to);
      if (action !== 'restore') await this.reports.closeOpen(tx, comment.id);
      const logId = await this.audit.record(tx, {
        actorId,
        action: next.log,
        commentId: comment.id,
        articleId: comment.articleId,
        reason: reason || null,
      });
      const row = (await this.comments.findById(comment.id, tx)) as CommentRow;
      const quotes = await this.comments.findQuotes([row.id], tx);
      await this.commentEvents.moderated(tx, comment, row, quotes);
      if (comment.status !== row.status) {
        this.bus.record(tx, {
          type: 'comment.moderated',
          payload: {
            articleId: row.articleId,
            commentId: row.id,
            authorId: row.authorId,
            moderatorId: actorId,
            logId,
            decision: DECISIONS[action],
            reason: reason || null,
            decidedAt: new Date().toISOString(),
          },
        });
      }
      // This removal is the latest one: its reason is the one to show.
      return toCommentDto(row, quotes, viewer, 0, false, reason || null);
    });
  }
}
