import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CommentEntity } from './comment.entity.js';

/** An earlier version of an edited comment, as it stood from `createdAt` until the next edit. */
@Entity({ name: 'comment_revisions' })
@Index('comment_revisions_comment_idx', ['commentId', 'id'])
export class CommentRevisionEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: string;

  @Column({ name: 'comment_id', type: 'bigint' })
  commentId: string;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id' })
  comment?: CommentEntity;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text' })
  html: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /** Readers saw this version (the comment was visible while it stood); a version written while held never was. */
  @Column({ type: 'boolean', default: false })
  public: boolean;
}
