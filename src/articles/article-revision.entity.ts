import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity.js';
import { type BlockKind } from './article-block.entity.js';
import { ArticleEntity } from './article.entity.js';

/** A block as a revision holds it: enough to show the essay as it read then. */
export interface RevisionBlock {
  id: string;
  kind: BlockKind;
  text: string;
  html: string;
}

/**
 * One revision of an essay's body, append-only: a trigger of the migration refuses to change or delete a row (but for
 * the cascades of its article or its author going). Revision 1 is the publication.
 */
@Entity({ name: 'article_revisions' })
export class ArticleRevisionEntity {
  @PrimaryColumn({ name: 'article_id', type: 'bigint' })
  articleId: string;

  @ManyToOne(() => ArticleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'article_id' })
  article?: ArticleEntity;

  @PrimaryColumn({ type: 'integer' })
  revision: number;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  /** Who wrote it: null for an imported essay (and for an author whose account went). */
  @Column({ name: 'by_user_id', type: 'bigint', nullable: true })
  byUserId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'by_user_id' })
  by?: UserEntity | null;

  @Column({ type: 'text' })
  title: string;

  /** The Markdown as sent; null when the essay was not written in Markdown (derived from the blocks on demand). */
  @Column({ type: 'text', nullable: true })
  body: string | null;

  @Column({ type: 'jsonb' })
  blocks: RevisionBlock[];
}
