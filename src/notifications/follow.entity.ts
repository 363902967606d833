import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ArticleEntity } from '../articles/article.entity.js';
import { CommentEntity } from '../comments/comment.entity.js';
import { UserEntity } from '../users/user.entity.js';

/**
 * A reader follows an essay (`comment_id` null: every new top-level comment) or a thread (every new comment anywhere
 * under that comment; `article_id` is the comment's essay, so one index serves both kinds and a list of follows names
 * the essay without a join through comments). One row per reader per essay or comment: following twice is once.
 */
@Entity({ name: 'follows' })
@Index('follows_article_key', ['userId', 'articleId'], { unique: true, where: '"comment_id" IS NULL' })
@Index('follows_comment_key', ['userId', 'commentId'], { unique: true, where: '"comment_id" IS NOT NULL' })
@Index('follows_article_followers_idx', ['articleId'], { where: '"comment_id" IS NULL' })
@Index('follows_comment_followers_idx', ['commentId'], { where: '"comment_id" IS NOT NULL' })
@Index('follows_user_created_idx', ['userId', 'createdAt', 'id'])
export class FollowEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'article_id', type: 'bigint' })
  articleId: string;

  @ManyToOne(() => ArticleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'article_id' })
  article?: ArticleEntity;

  @Column({ name: 'comment_id', type: 'bigint', nullable: true })
  commentId: string | null;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'comment_id' })
  comment?: CommentEntity | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
