import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'articles' })
@Index('articles_listed_idx', ['listedAt', 'id'])
/** An essay found by its address on the publisher's site (`GET /api/articles/by-url`, the embed script). */
@Index('articles_canonical_url_idx', ['canonicalUrl'], { where: '"canonical_url" IS NOT NULL' })
// Full-text search.
@Index('articles_search_idx', ['searchVector'], { type: 'gin' })
@Check('articles_slow_mode_check', `"slow_mode_seconds" >= 0`)
export class ArticleEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: string;

  @Column({ type: 'varchar', length: 160, unique: true })
  slug: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'varchar', length: 200 })
  author: string;

  @Column({ name: 'published_at', type: 'timestamptz', precision: 3, nullable: true })
  publishedAt: Date | null;

  /** publishedAt, or the import time when the source gives no date: the list's order. */
  @Column({ name: 'listed_at', type: 'timestamptz', precision: 3 })
  listedAt: Date;

  @Column({ type: 'text' })
  excerpt: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ type: 'text', nullable: true })
  source: string | null;

  @Column({ type: 'boolean', default: false })
  locked: boolean;

  @Column({ type: 'boolean', default: false })
  premoderation: boolean;

  @Column({ name: 'slow_mode_seconds', type: 'integer', default: 0 })
  slowModeSeconds: number;

  /** Visible comments of the article, kept in the transaction of every change. */
  @Column({ name: 'comment_count', type: 'integer', default: 0 })
  commentCount: number;

  @Column({ name: 'last_comment_at', type: 'timestamptz', precision: 3, nullable: true })
  lastCommentAt: Date | null;

  /** The number of the article's latest live event (see ArticleEventEntity). */
  @Column({ name: 'event_seq', type: 'bigint', default: 0 })
  eventSeq: string;

  /** Identifies an imported article so that a second import changes nothing. */
  @Column({ name: 'import_key', type: 'varchar', length: 64, nullable: true, unique: true })
  importKey: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /** Visible top-level comments taking each stance towards the essay, kept with commentCount. */
  @Column({ name: 'stance_agree', type: 'integer', default: 0 })
  stanceAgree: number;

  @Column({ name: 'stance_disagree', type: 'integer', default: 0 })
  stanceDisagree: number;

  @Column({ name: 'stance_question', type: 'integer', default: 0 })
  stanceQuestion: number;

  @Column({ name: 'stance_evidence', type: 'integer', default: 0 })
  stanceEvidence: number;

  /** The body's revision: 1 at publication, +1 at each change of the body (article_revisions keeps each). */
  @Column({ type: 'integer', default: 1 })
  revision: number;

  /** Publication, then every change of any field. */
  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;

  /** The essay's address on the publisher's site. */
  @Column({ name: 'canonical_url', type: 'varchar', length: 2000, nullable: true })
  canonicalUrl: string | null;

  /**
   * The essay's words for full-text search: its title (weight A) and the text of its blocks in order (weight D), kept
   * by triggers of the migration (the blocks are rows of their own, out of a generated column's reach): a new title or
   * a revision's blocks are searchable in the same transaction. Never selected: only search reads it, in SQL.
   */
  @Column({ name: 'search_vector', type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector?: string | null;
}
