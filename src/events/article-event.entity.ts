import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

/**
 * An article's live events, numbered without gaps in the transaction of the change (the article row's `event_seq`
 * is the counter, its row lock the order). Also the catch-up log that `join` with `since` reads.
 */
@Entity({ name: 'article_events' })
@Index('article_events_created_idx', ['createdAt'])
export class ArticleEventEntity {
  /** The article (named by its table: this layer sits below the articles domain and imports none of it). */
  @PrimaryColumn({ name: 'article_id', type: 'bigint' })
  @ForeignKey('articles', { onDelete: 'CASCADE' })
  articleId: string;

  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  /** The event's payload as readers see it (no pending comment, no removed body). */
  @Column({ type: 'json' })
  payload: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
