import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ArticleEntity } from './article.entity.js';

export const BLOCK_KINDS = ['heading', 'paragraph', 'quote', 'list'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

@Entity({ name: 'article_blocks' })
@Index('article_blocks_position_key', ['articleId', 'position'], { unique: true })
@Check('article_blocks_kind_check', `"kind" IN ('heading', 'paragraph', 'quote', 'list')`)
export class ArticleBlockEntity {
  /** Stable: derived from the article's import key, the block's position and its text. */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  @Column({ name: 'article_id', type: 'bigint' })
  articleId: string;

  @ManyToOne(() => ArticleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'article_id' })
  article?: ArticleEntity;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 16 })
  kind: BlockKind;

  /** Plain text (list items one per line): what quotes are verified against. */
  @Column({ type: 'text' })
  text: string;

  /** Sanitised rendering. */
  @Column({ type: 'text' })
  html: string;

  /** Visible comments quoting this block. */
  @Column({ name: 'comment_count', type: 'integer', default: 0 })
  commentCount: number;

  /** Visible comments quoting this block, by stance (kept with commentCount). */
  @Column({ name: 'stance_agree', type: 'integer', default: 0 })
  stanceAgree: number;

  @Column({ name: 'stance_disagree', type: 'integer', default: 0 })
  stanceDisagree: number;

  @Column({ name: 'stance_question', type: 'integer', default: 0 })
  stanceQuestion: number;

  @Column({ name: 'stance_evidence', type: 'integer', default: 0 })
  stanceEvidence: number;
}
