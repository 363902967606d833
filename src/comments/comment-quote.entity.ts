import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CommentEntity } from './comment.entity.js';
import { QUOTE_ANCHORS, QUOTE_SOURCES, type QuoteAnchor, type QuoteSource } from '../common/limits.js';

export { QUOTE_ANCHORS, QUOTE_SOURCES, type QuoteAnchor, type QuoteSource };

/**
 * A passage a comment quotes, anchored to an article block or to another comment. A comment usually has one (the
 * contract's `quote`); an imported comment may quote several passages (ordinal 0, 1, ...).
 */
@Entity({ name: 'comment_quotes' })
@Index('comment_quotes_ordinal_key', ['commentId', 'ordinal'], { unique: true })
@Index('comment_quotes_block_idx', ['blockId'])
@Index('comment_quotes_quoted_comment_idx', ['quotedCommentId'])
@Check('comment_quotes_anchor_check', `"anchor" IN ('exact', 'moved', 'changed', 'orphaned')`)
@Check(
  'comment_quotes_source_check',
  `("source" = 'article' AND "block_id" IS NOT NULL AND "quoted_comment_id" IS NULL) OR ("source" = 'comment' AND "quoted_comment_id" IS NOT NULL AND "block_id" IS NULL)`,
)
@Check('comment_quotes_revision_check', `("source" = 'article') = ("revision" IS NOT NULL)`)
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

  /**
   * The block an article quote is anchored to now. No foreign key: an orphaned quote still names the block it came
   * from after a revision took that block out of the essay (the revision keeps it).
   */
  @Column({ name: 'block_id', type: 'varchar', length: 32, nullable: true })
  blockId: string | null;

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

  /**
   * An article quote's text-quote selector besides its text: up to 32 characters of the block's text just before and
   * after the quoted words when they were quoted (null for a comment quote). Re-anchoring after a revision reads them
   * to tell occurrences apart and to judge a fuzzy match.
   */
  @Column({ type: 'text', nullable: true })
  prefix: string | null;

  @Column({ type: 'text', nullable: true })
  suffix: string | null;

  /** Where the quoted words stand in the block's text now, in UTF-16 code units; null when nowhere (orphaned). */
  @Column({ name: 'start_offset', type: 'integer', nullable: true })
  startOffset: number | null;

  @Column({ name: 'end_offset', type: 'integer', nullable: true })
  endOffset: number | null;

  /** How the latest revision left an article quote: exact, moved, changed or orphaned (see quote-anchoring.ts). */
  @Column({ type: 'varchar', length: 16, default: 'exact' })
  anchor: QuoteAnchor;

  /**
   * An article quote: the essay's revision its words were taken from (null for a comment quote). Re-anchoring never
   * changes it, so a reader of a changed or orphaned quote can open the essay as the commenter read it.
   */
  @Column({ type: 'integer', nullable: true })
  revision: number | null;

  /** For a `changed` quote, the text of the passage it is anchored to now. */
  @Column({ name: 'current_text', type: 'text', nullable: true })
  currentText: string | null;
}
