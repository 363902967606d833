import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CommentEntity } from '../comments/comment.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { REPORT_REASONS, type ReportReason } from '../common/limits.js';

export { REPORT_REASONS, type ReportReason };

/** A reader's report of a comment; one per reader per comment. Approving or removing the comment closes it. */
@Entity({ name: 'reports' })
@Index('reports_comment_reporter_key', ['commentId', 'reporterId'], { unique: true })
@Index('reports_open_idx', ['status', 'commentId'])
/** A reader's own reports, for their data export. */
@Index('reports_reporter_idx', ['reporterId', 'createdAt'])
@Check('reports_reason_check', `"reason" IN ('spam', 'abuse', 'off-topic', 'other')`)
@Check('reports_status_check', `"status" IN ('open', 'closed')`)
export class ReportEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: string;

  @Column({ name: 'comment_id', type: 'bigint' })
  commentId: string;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id' })
  comment?: CommentEntity;

  @Column({ name: 'reporter_id', type: 'bigint' })
  reporterId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id' })
  reporter?: UserEntity;

  @Column({ type: 'varchar', length: 16 })
  reason: ReportReason;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: 'open' | 'closed';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', precision: 3, nullable: true })
  closedAt: Date | null;
}
