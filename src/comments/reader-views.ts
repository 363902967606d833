import { Injectable } from '@nestjs/common';
import { ArticlesRepository } from '../articles/articles.repository.js';
import { ANONYMOUS, type Viewer } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { parseId } from '../common/ids.js';
import { type Tx } from '../database/unit-of-work.js';
import { CommentAccess } from './comment-access.js';
import { CommentsRepository } from './comments.repository.js';
import { type CommentDto } from './dto/comment.dto.js';
import { toCommentDto } from './dto/comment.mapper.js';
import { RemovalReasons } from './removal-reasons.js';

/** What readers are shown of comments now, for those who saw them earlier (a live follower catching up). */
@Injectable()
export class ReaderViews {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly removalReasons: RemovalReasons,
    private readonly articles: ArticlesRepository,
  ) {}

  /**
   * A comment as an anonymous reader sees it (a placeholder for one removed or deleted under replies), with the essay
   * it is on; a 404, as the API answers anyone signed out, for a comment they may not see or none at all.
   */
  async forAnyone(
    rawId: string,
  ): Promise<{ comment: CommentDto; article: { slug: string; title: string; canonicalUrl: string | null } }> {
    const id = parseId(rawId, ErrorCode.CommentNotFound, 'comment');
    const row = await this.comments.findById(id);
    const article = row && CommentAccess.canSee(row, ANONYMOUS) ? await this.articles.findById(row.articleId) : null;
    if (!row || !article) throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
    return {
      comment: toCommentDto(row, await this.comments.findQuotes([row.id]), ANONYMOUS, 0),
      article: { slug: article.slug, title: article.title, canonicalUrl: article.canonicalUrl },
    };
  }

  /**
   * Among these comments, those readers can no longer read (removed, deleted, or sent back to review by an edit),
   * each as the placeholder the thread shows a reader now: nothing of the comment's own (author, body, votes, edit
   * time). Comments readers can still read are not in the map.
   */
  async placeholdersOfHidden(ids: string[]): Promise<Map<string, CommentDto>> {
    const hidden = new Map<string, CommentDto>();
    if (ids.length === 0) return hidden;
    for (const row of await this.comments.findByIdsInOrder(ids)) {
      if (!CommentAccess.canSeeBody(row, ANONYMOUS)) hidden.set(row.id, toCommentDto(row, [], ANONYMOUS, 0));
    }
    return hidden;
  }

  /**
   * These comments as signed-in readers see them now, for lists kept outside a thread (an inbox, a list of follows):
   * the rows are read once, then `viewAs(commentId, userId)` maps one of them for one reader (undefined: no such
   * comment any more). Each is seen with a reader's rights whatever the user's role, so a moderator's powers never
   * carry a removed or held body into such a list: its author still sees their own pending comment, everyone else a
   * placeholder where readers see one. Its author is also told why a moderator removed it.
   */
  async forReaders(
    ids: string[],
    tx?: Tx,
  ): Promise<(commentId: string, userId: string, following: boolean) => CommentDto | undefined> {
    const unique = [...new Set(ids)];
    // One after the other: inside a transaction both use its one connection.
    const rows = await this.comments.findByIdsInOrder(unique, tx);
    const quotes = await this.comments.findQuotes(unique, tx);
    const reasons = await this.removalReasons.forAuthors(rows, tx);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return (commentId, userId, following) => {
      const row = byId.get(commentId);
      if (!row) return undefined;
      const reader: Viewer = { userId, role: 'reader', ban: null };
      return toCommentDto(
        row,
        quotes.filter((q) => q.commentId === commentId),
        reader,
        0,
        following,
        reasons.get(commentId) ?? null,
      );
    };
  }

  /** An essay's latest comments that anyone may read, newest first, as an anonymous reader sees them. */
  async latestPublic(articleId: string, limit: number): Promise<CommentDto[]> {
    const rows = await this.comments.findLatestVisible(articleId, limit);
    const quotes = await this.comments.findQuotes(rows.map((r) => r.id));
    return rows.map((row) =>
      toCommentDto(
        row,
        quotes.filter((q) => q.commentId === row.id),
        ANONYMOUS,
        0,
      ),
    );
  }
}
