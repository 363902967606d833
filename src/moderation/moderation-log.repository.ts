import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Tx } from '../database/unit-of-work.js';
import { type UserRole } from '../users/user.entity.js';
import { type ModerationAction } from './moderation-log.entity.js';

export interface LogEntry {
  actorId: string;
  action: ModerationAction;
  commentId?: string | null;
  userId?: string | null;
  articleId?: string | null;
  reason?: string | null;
  details?: unknown;
}

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

/** Every query on the moderation log: append, and read newest first. Nothing updates or deletes it. */
@Injectable()
export class ModerationLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async append(tx: Tx, entry: LogEntry): Promise<void> {
    await tx.query(
      `INSERT INTO moderation_log (actor_id, action, comment_id, user_id, article_id, reason, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        entry.actorId,
        entry.action,
        entry.commentId ?? null,
        entry.userId ?? null,
        entry.articleId ?? null,
        entry.reason ?? null,
        entry.details === undefined ? null : JSON.stringify(entry.details),
      ],
    );
  }

  findPage(limit: number, beforeId: string | null): Promise<LogRow[]> {
    return this.dataSource.query(
      `SELECT l.id, l.actor_id AS "actorId", u.username AS "actorUsername", u.display_name AS "actorDisplayName", u.role AS "actorRole",
              l.action, l.comment_id AS "commentId", l.user_id AS "userId", l.article_id AS "articleId", l.reason, l.details,
              l.created_at AS "createdAt", t.username AS "targetUsername", t.display_name AS "targetDisplayName",
              t.role AS "targetRole", a.slug AS "articleSlug", a.title AS "articleTitle"
         FROM moderation_log l JOIN users u ON u.id = l.actor_id
         LEFT JOIN users t ON t.id = l.user_id
         LEFT JOIN articles a ON a.id = l.article_id
        WHERE ($2::bigint IS NULL OR l.id < $2::bigint)
        ORDER BY l.id DESC LIMIT $1`,
      [limit, beforeId],
    );
  }
}
