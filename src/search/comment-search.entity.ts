import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { CommentEntity } from '../comments/comment.entity.js';
import { type CommentStatus } from '../comments/comment.entity.js';

/**
 * What full-text search reads of each comment: its words, and the few columns that decide who may find it, in a
 * narrow table of its own. Ranking a common word must read the vector of every comment that holds it; here ten or so
 * share a page, where the comments table (body and html beside them) holds three or four, so a query matching a
 * quarter of a 100,000-comment thread visits a third of the pages. Kept by triggers of the migration on comments, in
 * the transaction that writes the comment: a new or edited comment, or one whose status changes, is searchable (or
 * not) at once. Written by nothing else. The migration SearchSpeed adds a GIN index on `search_pairs(search_vector)`
 * (neighbouring words, for phrases), an expression TypeORM cannot declare here.
 */
@Entity({ name: 'comment_search' })
@Index('comment_search_vector_idx', ['searchVector'], { type: 'gin' })
@Index('comment_search_article_idx', ['articleId', 'commentId'])
export class CommentSearchEntity {
  @PrimaryColumn({ name: 'comment_id', type: 'bigint' })
  commentId: string;

  @OneToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id' })
  comment?: CommentEntity;

  @Column({ name: 'article_id', type: 'bigint' })
  articleId: string;

  @Column({ name: 'author_id', type: 'bigint' })
  authorId: string;

  @Column({ type: 'varchar', length: 16 })
  status: CommentStatus;

  /** to_tsvector('english', body). */
  @Column({ name: 'search_vector', type: 'tsvector' })
  searchVector: string;
}
