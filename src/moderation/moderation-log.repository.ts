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

/** The moderators' page of the moderation log, newest first, with who acted on what (the audit layer writes it). */
@Injectable()
export class ModerationLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page of what moderators and admins did; a user's own account changes (`account.*`) are not theirs to read. */
  findPage(limit: number, beforeId: string | null): Promise<LogRow[]> {
    return this.dataSource.query(
      `SELECT l.id, l.actor_id AS "actorId", u.username AS "actorUsername", u.display_name AS "actorDisplayName", u.role AS "actorRole",
              l.action, l.comment_id AS "commentId", l.user_id AS "userId", l.article_id AS "articleId", l.reason, l.details,
              l.created_at AS "createdAt", t.username AS "targetUsername", t.display_name AS "targetDisplayName",
              t.role AS "targetRole", a.slug AS "articleSlug", a.title AS "articleTitle"
         FROM moderation_log l JOIN users u ON u.id = l.actor_id
         LEFT JOIN users t ON t.id = l.user_id
         LEFT JOIN articles a ON a.id = l.article_id
        WHERE ($2::bigint IS NULL OR l.id < $2::bigint) AND l.action NOT LIKE 'account.%'
        ORDER BY l.id DESC LIMIT $1`,
      [limit, beforeId],
    );
  }
}
