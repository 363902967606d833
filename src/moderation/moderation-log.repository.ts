import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type UserRole } from '../users/user.entity.js';
import { type ModerationAction } from '../audit/audit-log.entity.js';

export interface LogRow {
  id: string;
  actorId: string;
  actorUsername: string;
  actorDisplayName: string;
  actorRole: UserRole;
  action: ModerationAction;
  commentId: string | null;
  userId: string | null;
  articleId: string | null;
  reason: string | null;
  details: unknown;
  createdAt: Date;
  /** The user acted on (null when the entry is about none). */
  targetUsername: string | null;
  targetDisplayName: string | null;
  targetRole: UserRole | null;
  /** The article acted on, or the one of the comment acted on. */
  articleSlug: string | null;
  articleTitle: string | null;
}

/** An entry with who acted, the user acted on and the article (of the comment) acted on; `WHERE` follows. */
const LOG_SELECT = `SELECT l.id, l.actor_id AS "actorId", u.username AS "actorUsername", u.display_name AS "actorDisplayName",
         u.role AS "actorRole", l.action, l.comment_id AS "commentId", l.user_id AS "userId", l.article_id AS "articleId",
         l.reason, l.details, l.created_at AS "createdAt", t.username AS "targetUsername",
         t.display_name AS "targetDisplayName", t.role AS "targetRole", a.slug AS "articleSlug", a.title AS "articleTitle"
    FROM moderation_log l JOIN users u ON u.id = l.actor_id
    LEFT JOIN users t ON t.id = l.user_id
    LEFT JOIN articles a ON a.id = l.article_id`;

/** The moderators' page of the moderation log, newest first, with who acted on what (the audit layer writes it). */
@Injectable()
export class ModerationLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page of what moderators and admins did; a user's own account changes (`account.*`) are not theirs to read. */
  findPage(limit: number, beforeId: string | null): Promise<LogRow[]> {
    return this.dataSource.query(
      `${LOG_SELECT} WHERE ($2::bigint IS NULL OR l.id < $2::bigint) AND l.action NOT LIKE 'account.%'
        ORDER BY l.id DESC LIMIT $1`,
      [limit, beforeId],
    );
  }

  /** What moderators did to one comment (approvals, removals, restorations, featuring), newest first. */
  findForComment(commentId: string, limit: number, beforeId: string | null): Promise<LogRow[]> {
    return this.dataSource.query(
      `${LOG_SELECT} WHERE l.comment_id = $1 AND ($3::bigint IS NULL OR l.id < $3::bigint)
        ORDER BY l.id DESC LIMIT $2`,
      [commentId, limit, beforeId],
    );
  }

  /**
   * A user's record, newest first: the bans, unbans and role changes made to them, and the removals and restorations
   * of their comments. Each half is cut to the page before the two are merged, so a long record reads one page.
   */
  findForAuthor(userId: string, limit: number, beforeId: string | null): Promise<LogRow[]> {
    return this.dataSource.query(
      `${LOG_SELECT} WHERE l.id IN (
          (SELECT m.id FROM moderation_log m
            WHERE m.user_id = $1 AND m.action IN ('user.ban', 'user.unban', 'user.role')
              AND ($3::bigint IS NULL OR m.id < $3::bigint)
            ORDER BY m.id DESC LIMIT $2)
          UNION ALL
          (SELECT m.id FROM moderation_log m JOIN comments c ON c.id = m.comment_id
            WHERE c.author_id = $1 AND m.action IN ('comment.remove', 'comment.restore')
              AND ($3::bigint IS NULL OR m.id < $3::bigint)
            ORDER BY m.id DESC LIMIT $2))
        ORDER BY l.id DESC LIMIT $2`,
      [userId, limit, beforeId],
    );
  }

  /** How many times the user's comments were removed, and how many bans they were given, over all time. */
  async countAuthorRecord(userId: string): Promise<{ removals: number; bans: number }> {
    const rows: { removals: number; bans: number }[] = await this.dataSource.query(
      `SELECT (SELECT count(*) FROM moderation_log m JOIN comments c ON c.id = m.comment_id
                WHERE c.author_id = $1 AND m.action = 'comment.remove')::int AS removals,
              (SELECT count(*) FROM moderation_log m WHERE m.user_id = $1 AND m.action = 'user.ban')::int AS bans`,
      [userId],
    );
    return rows[0];
  }
}
