import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type ReportReason } from './report.entity.js';

export interface ReportRow {
  id: string;
  commentId: string;
  reason: ReportReason;
  note: string | null;
  createdAt: Date;
}

/** Every query on reports. */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Files a report; null when this reader already reported this comment (the unique index decides). */
  async create(commentId: string, reporterId: string, reason: ReportReason, note: string | null): Promise<ReportRow | null> {
    const rows: ReportRow[] = await this.dataSource.query(
      `INSERT INTO reports (comment_id, reporter_id, reason, note) VALUES ($1, $2, $3, $4)
       ON CONFLICT (comment_id, reporter_id) DO NOTHING
       RETURNING id, comment_id AS "commentId", reason, note, created_at AS "createdAt"`,
      [commentId, reporterId, reason, note],
    );
    return rows[0] ?? null;
  }
}
