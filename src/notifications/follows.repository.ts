import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Tx } from '../database/unit-of-work.js';
import { type ViewerArticleFollows } from '../articles/viewer-article-follows.js';
import { type ViewerFollows } from '../comments/viewer-follows.js';

/** A follow in a list of one's follows, with the essay it belongs to. */
export interface FollowRow {
  id: string;
  articleId: string;
  articleSlug: string;
  articleTitle: string;
  commentId: string | null;
  createdAt: Date;
}

export interface FollowPosition {
  createdAt: string;
  id: string;
}

export type FollowOutcome = 'followed' | 'already' | 'full';

/** Every query on follows; it gives articles and comments the viewer's own follows (their `following`). */
@Injectable()
export class FollowsRepository implements ViewerFollows, ViewerArticleFollows {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Follows an essay (commentId null) or a thread, unless the user follows `max` already: `followed`, `already` (it
   * was followed: nothing changes, the partial unique indexes) or `full`. The count is read in the statement; two
   * follows at the same moment may pass it by one.
   */
  async follow(userId: string, articleId: string, commentId: string | null, max: number): Promise<FollowOutcome> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO follows (user_id, article_id, comment_id)
       SELECT $1, $2, $3 WHERE (SELECT count(*) FROM follows WHERE user_id = $1) < $4
       ON CONFLICT DO NOTHING RETURNING id`,
      [userId, articleId, commentId, max],
    );
    if (inserted.length > 0) return 'followed';
    const already = commentId
      ? (await this.findFollowedComments(userId, [commentId])).has(commentId)
      : await this.followsArticle(userId, articleId);
    return already ? 'already' : 'full';
  }

  async unfollowArticle(userId: string, articleId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM follows WHERE user_id = $1 AND article_id = $2 AND comment_id IS NULL`, [
      userId,
      articleId,
    ]);
  }

  async unfollowComment(userId: string, commentId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM follows WHERE user_id = $1 AND comment_id = $2`, [userId, commentId]);
  }

  async followsArticle(userId: string, articleId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM follows WHERE user_id = $1 AND article_id = $2 AND comment_id IS NULL`,
      [userId, articleId],
    );
    return rows.length > 0;
  }

  async findFollowedComments(
    userId: string,
    commentIds: string[],
    tx: Tx = this.dataSource.manager,
  ): Promise<Set<string>> {
    if (commentIds.length === 0) return new Set();
    const rows: { commentId: string }[] = await tx.query(
      `SELECT comment_id AS "commentId" FROM follows WHERE user_id = $1 AND comment_id = ANY($2::bigint[])`,
      [userId, commentIds],
    );
    return new Set(rows.map((r) => r.commentId));
  }

  /** Of these users, those who follow this comment itself. */
  async findFollowersAmong(commentId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows: { userId: string }[] = await this.dataSource.query(
      `SELECT user_id AS "userId" FROM follows WHERE comment_id = $1 AND user_id = ANY($2::bigint[])`,
      [commentId, userIds],
    );
    return new Set(rows.map((r) => r.userId));
  }

  /** One user's follows, newest first (ties by id), `limit` of them after `after`. */
  findPage(
    userId: string,
    limit: number,
    after: FollowPosition | null,
    tx: Tx = this.dataSource.manager,
  ): Promise<FollowRow[]> {
    return tx.query(
      `SELECT f.id, f.article_id AS "articleId", a.slug AS "articleSlug", a.title AS "articleTitle",
              f.comment_id AS "commentId", f.created_at AS "createdAt"
         FROM follows f JOIN articles a ON a.id = f.article_id
        WHERE f.user_id = $1 AND ($2::timestamptz IS NULL OR (f.created_at, f.id) < ($2::timestamptz, $3::bigint))
        ORDER BY f.created_at DESC, f.id DESC
        LIMIT $4`,
      [userId, after?.createdAt ?? null, after?.id ?? null, limit],
    );
  }

  /** Account deletion: the user follows nothing any more. */
  async deleteForUser(tx: Tx, userId: string): Promise<void> {
    await tx.query('DELETE FROM follows WHERE user_id = $1', [userId]);
  }
}
