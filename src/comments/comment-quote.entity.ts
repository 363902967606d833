import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ArticleBlockEntity } from '../articles/article-block.entity.js';
import { CommentEntity } from './comment.entity.js';
import { QUOTE_SOURCES, type QuoteSource } from '../common/limits.js';

export { QUOTE_SOURCES, type QuoteSource };

/**
 * A passage a comment quotes, anchored to an article block or to another comment. A comment usually has one (the
 * contract's `quote`); an imported comment may quote several passages (ordinal 0, 1, ...).
 */
@Entity({ name: 'comment_quotes' })
@Index('comment_quotes_ordinal_key', ['commentId', 'ordinal'], { unique: true })
@Index('comment_quotes_block_idx', ['blockId'])
@Index('comment_quotes_quoted_comment_idx', ['quotedCommentId'])
@Check(
  'comment_quotes_source_check',
  `("source" = 'article' AND "block_id" IS NOT NULL AND "quoted_comment_id" IS NULL) OR ("source" = 'comment' AND "quoted_comment_id" IS NOT NULL AND "block_id" IS NULL)`,
)
export class CommentQuoteEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: string;

  @Column({ name: 'comment_id', type: 'bigint' })
  commentId: string;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id' })
  comment?: CommentEntity;

  @Column({ type: 'smallint' })
  ordinal: number;

  @Column({ type: 'varchar', length: 16 })
  source: QuoteSource;

  @Column({ name: 'block_id', type: 'varchar', length: 32, nullable: true })
  blockId: string | null;

  @ManyToOne(() => ArticleBlockEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'block_id' })
  block?: ArticleBlockEntity | null;

  @Column({ name: 'quoted_comment_id', type: 'bigint', nullable: true })
  quotedCommentId: string | null;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'quoted_comment_id' })
  quotedComment?: CommentEntity | null;

  @Column({ type: 'text' })
  text: string;

  /** The text stands word for word (white space folded) in its source as it is now. */
  @Column({ type: 'boolean' })
  verified: boolean;
}
