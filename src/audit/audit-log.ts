import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Tx } from '../database/unit-of-work.js';
import { type AuditAction } from './audit-log.entity.js';

export interface AuditEntry {
  actorId: string;
  action: AuditAction;
  commentId?: string | null;
  userId?: string | null;
  articleId?: string | null;
  reason?: string | null;
  details?: unknown;
}

/**
 * The moderation log as a low-level service: any domain where a moderator or admin acts records the action here (and
 * the account domain a user's own security changes, which the moderators' log leaves out), in the transaction of the action itself (so an action and its entry stand or fall together). Moderation reads it.
 * Nothing updates or deletes an entry.
 */
@Injectable()
export class AuditLog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Returns the entry's id, which names the action for what follows from it (a notification of the decision). */
  async record(tx: Tx, entry: AuditEntry): Promise<string> {
    const [row]: { id: string }[] = await tx.query(
      `INSERT INTO moderation_log (actor_id, action, comment_id, user_id, article_id, reason, details) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
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
    return row.id;
  }

  /**
   * The reason of each comment's latest removal (null: removed without one), for those of these comments that a
   * moderator ever removed. One query, on moderation_log_comment_remove_idx.
   */
  async findLatestRemovalReasons(commentIds: string[], tx?: Tx): Promise<Map<string, string | null>> {
    if (commentIds.length === 0) return new Map();
    const rows: { commentId: string; reason: string | null }[] = await (tx ?? this.dataSource).query(
      `SELECT DISTINCT ON (comment_id) comment_id AS "commentId", reason
         FROM moderation_log
        WHERE action = 'comment.remove' AND comment_id = ANY($1::bigint[])
        ORDER BY comment_id, id DESC`,
      [commentIds],
    );
    return new Map(rows.map((r) => [r.commentId, r.reason]));
  }
}
