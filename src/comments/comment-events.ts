import { Injectable } from '@nestjs/common';
import { ANONYMOUS } from '../auth/viewer.js';
import { type Statement, type Tx } from '../database/unit-of-work.js';
import { type ArticleRowChange } from '../events/article-event-log.repository.js';
import { EventBus } from '../events/event-bus.js';
import { type CommentRow, CommentsRepository, type QuoteRow } from './comments.repository.js';
import { type CommentDto } from './dto/comment.dto.js';
import { toCommentDto } from './dto/comment.mapper.js';

/**
 * What readers, authors and moderators learn when a comment changes, decided in one place for the comments and
 * moderation domains, and recorded in the change's own transaction. A comment readers never saw is never in an
 * article event; one they saw and can no longer read leaves (`comment.removed` / `comment.deleted`); one they can
 * read for the first time arrives as `comment.created` with a `comment.published` fact beside it.
 */
@Injectable()
export class CommentEvents {
  constructor(
    private readonly bus: EventBus,
    private readonly comments: CommentsRepository,
  ) {}

  /**
   * A new comment: visible to readers at once, or held for a moderator. A visible one's event is numbered in the
   * round trip that commits (EventBus.recordForArticleAtCommit), its `articleCounters` (the article row's counters it
   * moves) changed in that statement and `blockCounters` (its quoted block's) just after it.
   */
  posted(
    tx: Tx,
    row: CommentRow,
    quotes: QuoteRow[],
    authorView: CommentDto,
    parentAuthorId: string | null,
    articleCounters: ArticleRowChange,
    blockCounters: Statement | null,
  ): void {
    if (row.status === 'pending') {
      this.bus.record(tx, {
        type: 'comment.held',
        payload: { articleId: row.articleId, comment: authorView, authorId: row.authorId, isNew: true },
      });
      return;
    }
    const comment = readerView(row, quotes);
    this.bus.recordForArticleAtCommit(
      tx,
      row.articleId,
      { type: 'comment.created', payload: { comment, previousStatus: null } },
      {
        type: 'comment.published',
        payload: {
          articleId: row.articleId,
          comment,
          authorId: row.authorId,
          parentAuthorId,
          isNew: true,
          at: comment.createdAt,
        },
      },
      articleCounters,
      blockCounters ? [blockCounters] : [],
    );
  }

  /** An edit: readers see the new text, or (sent back to review) lose the comment until a moderator approves it. */
  async edited(
    tx: Tx,
    row: CommentRow,
    quotes: QuoteRow[],
    authorView: CommentDto,
    heldForReview: boolean,
  ): Promise<void> {
    if (heldForReview) {
      await this.bus.recordForArticle(tx, row.articleId, { type: 'comment.removed', payload: { commentId: row.id } });
      this.bus.record(tx, {
        type: 'comment.held',
        payload: { articleId: row.articleId, comment: authorView, authorId: row.authorId, isNew: false },
      });
      return;
    }
    if (row.status === 'visible') {
      await this.bus.recordForArticle(tx, row.articleId, {
        type: 'comment.updated',
        payload: { comment: readerView(row, quotes) },
      });
      this.bus.record(tx, {
        type: 'comment.edited',
        payload: { articleId: row.articleId, commentId: row.id, authorId: row.authorId },
      });
    }
  }

  /**
   * Its author deleted it: readers never saw a pending comment, so there is nothing to take back from them; only the
   * moderators' queue loses it.
   */
  async deleted(tx: Tx, before: CommentRow): Promise<void> {
    if (before.status === 'pending') {
      this.bus.record(tx, {
        type: 'comment.withdrawn',
        payload: { articleId: before.articleId, commentId: before.id },
      });
      return;
    }
    await this.bus.recordForArticle(tx, before.articleId, {
      type: 'comment.deleted',
      payload: { commentId: before.id },
    });
  }

  /** Its author erased a comment readers never saw: only the moderators' queue it waited in loses it. */
  withdrawn(tx: Tx, row: CommentRow): void {
    this.bus.record(tx, { type: 'comment.withdrawn', payload: { articleId: row.articleId, commentId: row.id } });
  }

  /**
   * A moderator moved a comment from `before`'s status to `row`'s. A visible comment removed leaves; one readers see
   * as a placeholder (removed, or sent back to review by an edit) comes back with `comment.restored`; one they never
   * saw arrives as new, whether approved or restored after a removal. Removing a comment they never saw, or one
   * already hidden from them, tells them nothing.
   */
  async moderated(tx: Tx, before: CommentRow, row: CommentRow, quotes: QuoteRow[]): Promise<void> {
    if (before.status === row.status) return;
    if (row.status === 'removed') {
      if (before.status === 'visible')
        await this.bus.recordForArticle(tx, row.articleId, { type: 'comment.removed', payload: { commentId: row.id } });
      return;
    }
    // Only a held or a removed comment becomes visible (approving a visible one changes nothing).
    if (before.status !== 'pending' && before.status !== 'removed') return;
    if (before.published) {
      await this.bus.recordForArticle(tx, row.articleId, {
        type: 'comment.restored',
        payload: { comment: readerView(row, quotes), previousStatus: before.status },
      });
      return;
    }
    const parent = row.parentId ? await this.comments.findById(row.parentId, tx) : null;
    await this.published(tx, row, before.status, quotes, parent?.authorId ?? null);
  }

  /** A reader reported a visible comment: the moderators' queue hears of it. */
  reported(tx: Tx, row: CommentRow, moderatorView: CommentDto): void {
    this.bus.record(tx, { type: 'comment.reported', payload: { articleId: row.articleId, comment: moderatorView } });
  }

  /** A comment readers never saw, approved (or restored) by a moderator: it arrives as new to them. */
  private async published(
    tx: Tx,
    row: CommentRow,
    previousStatus: 'pending' | 'removed',
    quotes: QuoteRow[],
    parentAuthorId: string | null,
  ): Promise<void> {
    const comment = readerView(row, quotes);
    await this.bus.recordForArticle(
      tx,
      row.articleId,
      { type: 'comment.created', payload: { comment, previousStatus } },
      {
        type: 'comment.published',
        payload: {
          articleId: row.articleId,
          comment,
          authorId: row.authorId,
          parentAuthorId,
          isNew: false,
          at: new Date().toISOString(),
        },
      },
    );
  }
}

function readerView(row: CommentRow, quotes: QuoteRow[]): CommentDto {
  return toCommentDto(row, quotes, ANONYMOUS, 0);
}
