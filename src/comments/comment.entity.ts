import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ArticleEntity } from '../articles/article.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { STANCES, type Stance } from '../common/limits.js';

export { STANCES, type Stance };

export const COMMENT_STATUSES = ['visible', 'pending', 'removed', 'deleted'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];
/**
 * The deepest a comment may sit (a top-level comment is at depth 0): a reply below it is refused (422). It keeps the
 * path's entry in comments_path_idx far below btree's row limit (an 818-deep path overflowed it: a 500) and every
 * ancestor query small; the seeds need 70 levels.
 */
export const MAX_COMMENT_DEPTH = 200;

/**
 * A comment in a thread at most MAX_COMMENT_DEPTH deep. `path` is the materialised path (ids from the top-level comment down to
 * this one), so ancestors are one index look-up and a subtree is a range of `(article_id, path)`. Every sort has an
 * index `(article_id, parent_id, key, id)` that serves both the top level (`parent_id IS NULL`) and each level of
 * replies; counters and the two derived scores are kept in the transaction of the change that moves them.
 */
@Entity({ name: 'comments' })
@Index('comments_new_idx', ['articleId', 'parentId', 'createdAt', 'id'])
@Index('comments_top_idx', ['articleId', 'parentId', 'score', 'id'])
@Index('comments_best_idx', ['articleId', 'parentId', 'bestScore', 'id'])
@Index('comments_controversial_idx', ['articleId', 'parentId', 'controversy', 'id'])
// The top level of a thread, per sort: without these a page would read and sort every top-level comment.
@Index('comments_top_level_new_idx', ['articleId', 'createdAt', 'id'], { where: '"parent_id" IS NULL' })
@Index('comments_top_level_top_idx', ['articleId', 'score', 'id'], { where: '"parent_id" IS NULL' })
@Index('comments_top_level_best_idx', ['articleId', 'bestScore', 'id'], { where: '"parent_id" IS NULL' })
@Index('comments_top_level_controversial_idx', ['articleId', 'controversy', 'id'], { where: '"parent_id" IS NULL' })
@Index('comments_path_idx', ['articleId', 'path'])
// The moderation queues (pending oldest first, removed newest first).
@Index('comments_status_idx', ['status', 'createdAt', 'id'])
@Index('comments_parent_idx', ['parentId'])
@Index('comments_author_idx', ['authorId', 'createdAt'])
/** An essay's featured comments, few among many: listed without reading the rest of the thread. */
@Index('comments_featured_idx', ['articleId', 'featuredAt'], { where: '"featured_at" IS NOT NULL' })
// A profile: the author's visible comments, newest first, and their number (an index-only count).
@Index('comments_author_visible_idx', ['authorId', 'createdAt', 'id'], { where: `"status" = 'visible'` })
@Check('comments_status_check', `"status" IN ('visible', 'pending', 'removed', 'deleted')`)
@Check('comments_stance_check', `"stance" IS NULL OR "stance" IN ('agree', 'disagree', 'question', 'evidence')`)
@Check('comments_counters_check', `"upvotes" >= 0 AND "downvotes" >= 0 AND "reply_count" >= 0`)
export class CommentEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: string;

  @Column({ name: 'article_id', type: 'bigint' })
  articleId: string;

  @ManyToOne(() => ArticleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'article_id' })
  article?: ArticleEntity;

  @Column({ name: 'parent_id', type: 'bigint', nullable: true })
  parentId: string | null;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'parent_id' })
  parent?: CommentEntity | null;

  /** Ids from the top-level comment down to this one, inclusive. */
  @Column({ type: 'bigint', array: true })
  path: string[];

  /** 0 for a top-level comment. */
  @Column({ type: 'integer' })
  depth: number;

  @Column({ name: 'author_id', type: 'bigint' })
  authorId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id' })
  author?: UserEntity;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text' })
  html: string;

  @Column({ type: 'varchar', length: 16, default: 'visible' })
  status: CommentStatus;

  @Column({ type: 'varchar', length: 16, nullable: true })
  stance: Stance | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'edited_at', type: 'timestamptz', precision: 3, nullable: true })
  editedAt: Date | null;

  /** When a moderator featured this top-level comment; null when it is not featured. */
  @Column({ name: 'featured_at', type: 'timestamptz', precision: 3, nullable: true })
  featuredAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  upvotes: number;

  @Column({ type: 'integer', default: 0 })
  downvotes: number;

  /** upvotes - downvotes */
  @Column({ type: 'integer', default: 0 })
  score: number;

  /** Lower bound of the Wilson score interval (95%) of the upvote ratio: the `best` sort. */
  @Column({ name: 'best_score', type: 'double precision', default: 0 })
  bestScore: number;

  /** Balanced and numerous votes rank high: the `controversial` sort. */
  @Column({ type: 'double precision', default: 0 })
  controversy: number;

  /**
   * Readers saw some version of it (it was visible at least once). One they never saw stays invisible to them whatever
   * its status; one they saw leaves a placeholder when it is removed, deleted or sent back to review.
   */
  @Column({ type: 'boolean', default: true })
  published: boolean;

  /** Direct replies that readers see as nodes (the published ones, whatever their status now). */
  @Column({ name: 'reply_count', type: 'integer', default: 0 })
  replyCount: number;

  /** Identifies an imported comment so that a second import changes nothing. */
  @Column({ name: 'import_key', type: 'varchar', length: 64, nullable: true, unique: true })
  importKey: string | null;
}
