import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Queue } from '../common/limits.js';
import { COMMENT_COLUMNS, type CommentRow } from '../comments/comments.repository.js';

/** How many comments wait in each queue. */
export interface QueueCounts {
  pending: number;
  reported: number;
  removed: number;
}

/** A comment in a moderation queue: the comment row with its article's slug and its open report count. */
export type QueueRow = CommentRow & { articleSlug: string; openReports: number };

/** The moderators' queues: comments read through their status and their open reports. */
@Injectable()
export class ModerationQueueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A page of a moderation queue. `pending`: oldest first; `removed`: newest first; `reported`: visible comments with
   * open reports, most reported first. Each row carries its article's slug and its open report count.
   */
  async findQueuePage(
    queue: Queue,
    articleId: string | null,
    limit: number,
    after: { key: number | string; id: string } | null,
  ): Promise<QueueRow[]> {
    const params: unknown[] = [limit, articleId];
    const base = `SELECT ${COMMENT_COLUMNS}, a.slug AS "articleSlug", coalesce(r.n, 0) AS "openReports"
                    FROM comments c JOIN users u ON u.id = c.author_id JOIN articles a ON a.id = c.article_id`;
    const reports = `(SELECT comment_id, count(*)::int AS n FROM reports WHERE status = 'open' GROUP BY comment_id) r`;
    const article = '($2::bigint IS NULL OR c.article_id = $2::bigint)';
    switch (queue) {
      case 'pending': {
        const keyset = after
          ? `(c.created_at, c.id) > ($${params.push(after.key)}::timestamptz, $${params.push(after.id)}::bigint)`
          : 'TRUE';
        return this.dataSource.query(
          `${base} LEFT JOIN ${reports} ON r.comment_id = c.id
            WHERE c.status = 'pending' AND ${article} AND ${keyset} ORDER BY c.created_at, c.id LIMIT $1`,
          params,
        );
      }
      case 'removed': {
        const keyset = after
          ? `(c.created_at, c.id) < ($${params.push(after.key)}::timestamptz, $${params.push(after.id)}::bigint)`
          : 'TRUE';
        return this.dataSource.query(
          `${base} LEFT JOIN ${reports} ON r.comment_id = c.id
            WHERE c.status = 'removed' AND ${article} AND ${keyset} ORDER BY c.created_at DESC, c.id DESC LIMIT $1`,
          params,
        );
      }
      case 'reported': {
        const keyset = after
          ? `(r.n, c.id) < ($${params.push(after.key)}::int, $${params.push(after.id)}::bigint)`
          : 'TRUE';
        return this.dataSource.query(
          `${base} JOIN ${reports} ON r.comment_id = c.id
            WHERE c.status = 'visible' AND ${article} AND ${keyset} ORDER BY r.n DESC, c.id DESC LIMIT $1`,
          params,
        );
      }
    }
  }

  /**
   * The size of each queue, with the queues' own rules (`reported`: visible comments with open reports). Pending and
   * removed are counted on `comments_status_idx`; reported from the open reports (`reports_open_idx`).
   */
  async counts(): Promise<QueueCounts> {
    const [row] = await this.dataSource.query<QueueCounts[]>(
      `SELECT (SELECT count(*)::int FROM comments WHERE status = 'pending') AS pending,
              (SELECT count(DISTINCT r.comment_id)::int FROM reports r
                 JOIN comments c ON c.id = r.comment_id AND c.status = 'visible'
                WHERE r.status = 'open') AS reported,
              (SELECT count(*)::int FROM comments WHERE status = 'removed') AS removed`,
    );
    return row;
  }
}
