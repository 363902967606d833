import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { changedCount } from '../database/query-results.js';
import { type Tx } from '../database/unit-of-work.js';
import { type UserRole } from '../users/user.entity.js';
import { type ReportReason } from './report.entity.js';

export interface QueueReportRow {
  id: string;
  commentId: string;
  reason: ReportReason;
  note: string | null;
  status: 'open' | 'closed';
  createdAt: Date;
  reporterId: string;
  reporterUsername: string;
  reporterDisplayName: string;
  reporterRole: UserRole;
}

export interface ReportRow {
  id: string;
  commentId: string;
  reason: ReportReason;
  note: string | null;
  createdAt: Date;
}

const QUEUE_REPORT_COLUMNS = `r.id, r.comment_id AS "commentId", r.reason, r.note, r.status, r.created_at AS "createdAt",
  u.id AS "reporterId", u.username AS "reporterUsername", u.display_name AS "reporterDisplayName", u.role AS "reporterRole"`;

/** Every query on reports. */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Closes the comment's open reports (approve, remove). */
  async closeOpen(tx: Tx, commentId: string): Promise<number> {
    return changedCount(
      await tx.query(
        `UPDATE reports SET status = 'closed', closed_at = now() WHERE comment_id = $1 AND status = 'open'`,
        [commentId],
      ),
    );
  }

  /** The reports of these comments, oldest first, with their reporters. */
  findForComments(commentIds: string[]): Promise<QueueReportRow[]> {
    if (commentIds.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT ${QUEUE_REPORT_COLUMNS}
         FROM reports r JOIN users u ON u.id = r.reporter_id
        WHERE r.comment_id = ANY($1::bigint[]) ORDER BY r.id`,
      [commentIds],
    );
  }

  /** A page of one comment's reports, newest first, with their reporters. */
  findPageForComment(commentId: string, limit: number, beforeId: string | null): Promise<QueueReportRow[]> {
    return this.dataSource.query(
      `SELECT ${QUEUE_REPORT_COLUMNS}
         FROM reports r JOIN users u ON u.id = r.reporter_id
        WHERE r.comment_id = $1 AND ($3::bigint IS NULL OR r.id < $3::bigint) ORDER BY r.id DESC LIMIT $2`,
      [commentId, limit, beforeId],
    );
  }

  /** How many of the comment's reports are still open. */
  async countOpen(commentId: string): Promise<number> {
    const rows: { open: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS open FROM reports WHERE comment_id = $1 AND status = 'open'`,
      [commentId],
    );
    return rows[0].open;
  }

  /** Files a report; null when this reader already reported this comment (the unique index decides). */
  async create(
    tx: Tx,
    commentId: string,
    reporterId: string,
    reason: ReportReason,
    note: string | null,
  ): Promise<ReportRow | null> {
    const rows: ReportRow[] = await tx.query(
      `INSERT INTO reports (comment_id, reporter_id, reason, note) VALUES ($1, $2, $3, $4)
       ON CONFLICT (comment_id, reporter_id) DO NOTHING
       RETURNING id, comment_id AS "commentId", reason, note, created_at AS "createdAt"`,
      [commentId, reporterId, reason, note],
    );
    return rows[0] ?? null;
  }

  /** The reports the user filed, oldest first, at most `limit` (their data export). */
  findByReporter(tx: Tx, reporterId: string, limit: number): Promise<(ReportRow & { status: 'open' | 'closed' })[]> {
    return tx.query(
      `SELECT id, comment_id AS "commentId", reason, note, status, created_at AS "createdAt"
         FROM reports WHERE reporter_id = $1 ORDER BY created_at, id LIMIT $2`,
      [reporterId, limit],
    );
  }
}
