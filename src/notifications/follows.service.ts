import { Injectable } from '@nestjs/common';
import { ArticlesService } from '../articles/articles.service.js';
import { requireSignedIn, type Viewer } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { isId, parseId } from '../common/ids.js';
import { FOLLOWS_MAX } from '../common/limits.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { DEFAULT_LIMIT } from '../common/pagination/page-query.dto.js';
import { CommentAccess } from '../comments/comment-access.js';
import { type CommentRow, CommentsRepository } from '../comments/comments.repository.js';
import { ReaderViews } from '../comments/reader-views.js';
import { type FollowDto, type FollowPageDto } from './dto/notification.dto.js';
import { type Tx } from '../database/unit-of-work.js';
import { type FollowOutcome, type FollowPosition, type FollowRow, FollowsRepository } from './follows.repository.js';

/**
 * Following an essay (its new top-level comments) or a thread (every new comment under one comment). Following is a
 * reader's own bookmark, not a write others see: a banned reader may follow and unfollow too. Both are idempotent.
 */
@Injectable()
export class FollowsService {
  constructor(
    private readonly follows: FollowsRepository,
    private readonly articles: ArticlesService,
    private readonly comments: CommentsRepository,
    private readonly readerViews: ReaderViews,
    private readonly cursors: CursorCodec,
  ) {}

  async followArticle(slug: string, viewer: Viewer): Promise<void> {
    const userId = requireSignedIn(viewer);
    const article = await this.articles.requireBySlug(slug);
    refuseWhenFull(await this.follows.follow(userId, article.id, null, FOLLOWS_MAX));
  }

  async unfollowArticle(slug: string, viewer: Viewer): Promise<void> {
    const userId = requireSignedIn(viewer);
    const article = await this.articles.requireBySlug(slug);
    await this.follows.unfollowArticle(userId, article.id);
  }

  async followComment(rawId: string, viewer: Viewer): Promise<void> {
    const userId = requireSignedIn(viewer);
    const comment = await this.requireVisible(rawId, viewer);
    refuseWhenFull(await this.follows.follow(userId, comment.articleId, comment.id, FOLLOWS_MAX));
  }

  /** A comment the viewer can no longer see may still be unfollowed (a follow never outlives the viewer's wish). */
  async unfollowComment(rawId: string, viewer: Viewer): Promise<void> {
    const userId = requireSignedIn(viewer);
    const id = parseId(rawId, ErrorCode.CommentNotFound, 'comment');
    const followed = await this.follows.findFollowedComments(userId, [id]);
    if (!followed.has(id)) await this.requireVisible(rawId, viewer);
    await this.follows.unfollowComment(userId, id);
  }

  /** One's follows, newest first; a followed comment as the viewer may see it now. */
  async list(query: { limit?: number; cursor?: string }, viewer: Viewer): Promise<FollowPageDto> {
    const userId = requireSignedIn(viewer);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const scope = `follows:${userId}`;
    const after = this.cursors.positionOf(scope, query.cursor, readPosition);
    const rows = await this.follows.findPage(userId, rowsFor(limit), after);
    const page = pageOf(rows, limit, (last) => this.cursors.encode(scope, [last.createdAt.toISOString(), last.id]));
    return { items: await this.toDtos(userId, page.items), nextCursor: page.nextCursor };
  }

  /** The user's follows as their list shows them, at most `limit`, read in the caller's transaction (their export). */
  async exportFor(tx: Tx, userId: string, limit: number): Promise<FollowDto[]> {
    return this.toDtos(userId, await this.follows.findPage(userId, limit, null, tx), tx);
  }

  /** Account deletion: the user follows nothing any more. */
  async deleteAllOf(tx: Tx, userId: string): Promise<void> {
    await this.follows.deleteForUser(tx, userId);
  }

  private async toDtos(userId: string, rows: FollowRow[], tx?: Tx): Promise<FollowDto[]> {
    const viewAs = await this.readerViews.forReaders(
      rows.flatMap((r) => (r.commentId ? [r.commentId] : [])),
      tx,
    );
    return rows.map((row) => ({
      kind: row.commentId ? 'comment' : 'article',
      article: { id: row.articleId, slug: row.articleSlug, title: row.articleTitle },
      comment: row.commentId ? (viewAs(row.commentId, userId, true) ?? null) : null,
      createdAt: row.createdAt.toISOString(),
    }));
  }

  /** The comment an id names if this viewer may see it; a 404 otherwise, as everywhere. */
  private async requireVisible(rawId: string, viewer: Viewer): Promise<CommentRow> {
    const comment = await this.comments.findById(parseId(rawId, ErrorCode.CommentNotFound, 'comment'));
    if (!comment || !CommentAccess.canSee(comment, viewer))
      throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
    return comment;
  }
}

function readPosition([createdAt, id]: unknown[]): FollowPosition | null {
  return typeof createdAt === 'string' && isId(id) ? { createdAt, id } : null;
}

/** A follow past FOLLOWS_MAX is a 409 that says what to do; following again what one follows is fine. */
function refuseWhenFull(outcome: FollowOutcome): void {
  if (outcome === 'full')
    throw new DomainError(
      ErrorCode.Conflict,
      `You follow ${FOLLOWS_MAX.toLocaleString('en-US')} essays and threads already: unfollow some first.`,
    );
}
