import { Injectable } from '@nestjs/common';
import { ArticlesRepository } from '../articles/articles.repository.js';
import { type Viewer, isModerator, requireModerator, requireWriter } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { isId, parseId } from '../common/ids.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { CommentAccess } from '../comments/comment-access.js';
import { CommentsRepository } from '../comments/comments.repository.js';
import { type ReportDto, type ReportInputDto } from './dto/report.dto.js';
import { ReportsRepository } from './reports.repository.js';
import { type CommentReportsPageDto } from './dto/moderation.dto.js';
import { toQueueReportDto } from './dto/report.mapper.js';
import { toCommentDto } from '../comments/dto/comment.mapper.js';
import { CommentEvents } from '../comments/comment-events.js';
import { UnitOfWork } from '../database/unit-of-work.js';

/** How moderators see a comment in their queue. */
const MODERATOR_VIEW = { userId: null, role: 'moderator' as const, ban: null };

@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly comments: CommentsRepository,
    private readonly events: CommentEvents,
    private readonly uow: UnitOfWork,
    private readonly articles: ArticlesRepository,
    private readonly cursors: CursorCodec,
  ) {}

  /** One report per reader per comment (a second one is a 409); a locked thread takes none but moderators'. */
  async report(rawId: string, input: ReportInputDto, viewer: Viewer): Promise<ReportDto> {
    const userId = requireWriter(viewer);
    const comment = await this.comments.findById(parseId(rawId, ErrorCode.CommentNotFound, 'comment'));
    if (!comment || !CommentAccess.canSee(comment, viewer))
      throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
    const article = await this.articles.findById(comment.articleId);
    if (article?.locked && !isModerator(viewer))
      throw new DomainError(ErrorCode.Forbidden, 'This discussion is locked.');
    const created = await this.uow.run(async (tx) => {
      const created = await this.reports.create(tx, comment.id, userId, input.reason, input.note || null);
      if (created && comment.status === 'visible') {
        const quotes = await this.comments.findQuotes([comment.id], tx);
        this.events.reported(tx, comment, toCommentDto(comment, quotes, MODERATOR_VIEW, 0));
      }
      return created;
    });
    if (!created) throw new DomainError(ErrorCode.Conflict, 'You already reported this comment.');
    return {
      id: created.id,
      commentId: created.commentId,
      reason: created.reason,
      note: created.note,
      createdAt: created.createdAt.toISOString(),
    };
  }

  /**
   * One comment's reports, newest first, open and closed, for moderators: what the reporters said, whatever queue the
   * comment is in (or none), and how many are still open.
   */
  async forComment(
    rawId: string,
    limit: number,
    cursor: string | undefined,
    viewer: Viewer,
  ): Promise<CommentReportsPageDto> {
    requireModerator(viewer);
    const comment = await this.comments.findById(parseId(rawId, ErrorCode.CommentNotFound, 'comment'));
    if (!comment) throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
    const scope = `comment-reports:${comment.id}`;
    const before = this.cursors.positionOf(scope, cursor, ([id]) => (isId(id) ? id : null));
    const [rows, open] = await Promise.all([
      this.reports.findPageForComment(comment.id, rowsFor(limit), before),
      this.reports.countOpen(comment.id),
    ]);
    const page = pageOf(rows, limit, (last) => this.cursors.encode(scope, [last.id]));
    return { items: page.items.map(toQueueReportDto), nextCursor: page.nextCursor, open };
  }
}
