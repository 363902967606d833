import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Viewer } from '../auth/viewer.js';
import { COMMENT_COLUMNS, type CommentRow, readableBodySql } from '../comments/comments.repository.js';
import { type UserRole } from '../users/user.entity.js';

export interface ProfileRow {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  joinedAt: Date;
  commentCount: number;
}

/** A comment on a profile: the row with its essay's slug and title. */
export type ProfileCommentRow = CommentRow & { articleSlug: string; articleTitle: string };

/** Where a profile's page of comments ends: the last comment's time and id. */
export interface ProfilePosition {
  createdAt: string;
  id: string;
}

/** A user's public profile and their comments, newest first. */
@Injectable()
export class ProfilesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The user by username (case-insensitively; a deleted account is nobody) with the number of their visible comments: an index-only count on
   * comments_author_visible_idx, always exact (no counter to keep in step with every status change), about a
   * millisecond for an author of 10,000 comments.
   */
  async findByUsername(username: string): Promise<ProfileRow | null> {
    const rows: ProfileRow[] = await this.dataSource.query(
      `SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.created_at AS "joinedAt",
              (SELECT count(*)::int FROM comments c WHERE c.author_id = u.id AND c.status = 'visible') AS "commentCount"
         FROM users u WHERE u.username_key = $1 AND u.deleted_at IS NULL`,
      [username.toLowerCase()],
    );
    return rows[0] ?? null;
  }

  /** A page of the author's comments whose body the viewer may read, newest first (ties: the higher id first). */
  findCommentsPage(
    authorId: string,
    viewer: Viewer,
    limit: number,
    after: ProfilePosition | null,
  ): Promise<ProfileCommentRow[]> {
    const params: unknown[] = [authorId, limit];
    const readable = readableBodySql(viewer, params);
    const keyset = after
      ? `(c.created_at, c.id) < ($${params.push(after.createdAt)}::timestamptz, $${params.push(after.id)}::bigint)`
      : 'TRUE';
    return this.dataSource.query(
      `SELECT ${COMMENT_COLUMNS}, a.slug AS "articleSlug", a.title AS "articleTitle"
         FROM comments c JOIN users u ON u.id = c.author_id JOIN articles a ON a.id = c.article_id
        WHERE c.author_id = $1 AND ${readable} AND ${keyset}
        ORDER BY c.created_at DESC, c.id DESC
        LIMIT $2`,
      params,
    );
  }
}
