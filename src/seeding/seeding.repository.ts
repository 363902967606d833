import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type CommentStatus, type Stance } from '../comments/comment.entity.js';
import { type NewQuote } from '../comments/comments.repository.js';

/**
 * The bulk loads of seeding (the synthetic large thread): whole batches of comments and quotes in one statement each,
 * with ids taken ahead from the comments' sequence. The app's own writes go one comment at a time through
 * CommentsRepository; nothing but seeding loads in bulk.
 */
@Injectable()
export class SeedingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Takes `count` ids from the comments' sequence, in increasing order, for rows inserted with their ids given. */
  async reserveCommentIds(manager: EntityManager, count: number): Promise<string[]> {
    if (count <= 0) return [];
    const rows: { id: string }[] = await manager.query(
      `SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id FROM generate_series(1, $1) ORDER BY 1`,
      [count],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Inserts many comments of one article in one statement (bulk imports, synthetic threads). Ids and paths come
   * pre-assigned (see reserveCommentIds); a parent must be inserted before, or in the same call ahead of, its
   * replies. Score, best score and controversy are computed here from the vote counters; the reply counters are left
   * at zero for recountReplies. The caller owns the transaction.
   */
  async insertCommentsBulk(manager: EntityManager, articleId: string, rows: BulkComment[]): Promise<void> {
    if (rows.length === 0) return;
    for (const row of rows) {
      const parentOk = row.depth === 0 ? row.parentId === null : row.path[row.depth - 1] === row.parentId;
      if (row.path.length !== row.depth + 1 || row.path[row.depth] !== row.id || !parentOk) {
        throw new Error(
          `Comment ${row.id}: path ${row.path.join('/')} does not match depth ${row.depth} and parent ${row.parentId}`,
        );
      }
    }
    await manager.query(
      `INSERT INTO comments (id, article_id, parent_id, path, depth, author_id, body, html, status, published, stance, created_at,
                             upvotes, downvotes, score, best_score, controversy)
       SELECT r.id, $1, r.parent_id, r.path::bigint[], r.depth, r.author_id, r.body, r.html, r.status, r.status <> 'pending', r.stance, r.created_at,
              r.up, r.down, r.up - r.down, comment_best_score(r.up, r.down), comment_controversy(r.up, r.down)
         FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::int[], $6::bigint[], $7::text[], $8::text[], $9::text[],
                     $10::text[], $11::timestamptz[], $12::int[], $13::int[])
              AS r(id, parent_id, path, depth, author_id, body, html, status, stance, created_at, up, down)`,
      [
        articleId,
        rows.map((r) => r.id),
        rows.map((r) => r.parentId),
        rows.map((r) => `{${r.path.join(',')}}`),
        rows.map((r) => r.depth),
        rows.map((r) => r.authorId),
        rows.map((r) => r.body),
        rows.map((r) => r.html),
        rows.map((r) => r.status),
        rows.map((r) => r.stance),
        rows.map((r) => r.createdAt.toISOString()),
        rows.map((r) => r.upvotes),
        rows.map((r) => r.downvotes),
      ],
    );
  }

  /** Inserts many quotes in one statement; their comments must exist. The caller owns the transaction. */
  async insertQuotesBulk(manager: EntityManager, quotes: BulkQuote[]): Promise<void> {
    if (quotes.length === 0) return;
    await manager.query(
      `INSERT INTO comment_quotes (comment_id, ordinal, source, block_id, quoted_comment_id, text, verified,
                                   start_offset, end_offset, prefix, suffix, revision)
       SELECT r.*, CASE WHEN r.source = 'article' THEN a.revision END
         FROM unnest($1::bigint[], $2::smallint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::boolean[],
                     $8::int[], $9::int[], $10::text[], $11::text[])
              AS r(comment_id, ordinal, source, block_id, quoted_comment_id, text, verified, start_offset, end_offset,
                   prefix, suffix)
         JOIN comments c ON c.id = r.comment_id JOIN articles a ON a.id = c.article_id`,
      [
        quotes.map((q) => q.commentId),
        quotes.map((q) => q.ordinal),
        quotes.map((q) => q.source),
        quotes.map((q) => q.blockId),
        quotes.map((q) => q.quotedCommentId),
        quotes.map((q) => q.text),
        quotes.map((q) => q.verified),
        quotes.map((q) => q.position?.startOffset ?? null),
        quotes.map((q) => q.position?.endOffset ?? null),
        quotes.map((q) => q.position?.prefix ?? null),
        quotes.map((q) => q.position?.suffix ?? null),
      ],
    );
  }

  /**
   * Refreshes the planner's statistics of comments and quotes after a bulk load. Inside the loading transaction it
   * counts that transaction's own rows, so the statements that follow (recountReplies) are planned for the real
   * sizes rather than for an article the statistics believe empty; the statistics commit with the rows.
   */
  async refreshStatistics(manager: EntityManager): Promise<void> {
    await manager.query('ANALYZE comments, comment_quotes');
  }

  /**
   * Vacuums comments and quotes outside any transaction, after a bulk load has committed: clears the row versions
   * the counter updates left behind and sets the visibility map, as autovacuum would a minute later.
   */
  async vacuumAfterBulkLoad(): Promise<void> {
    await this.dataSource.query('VACUUM (ANALYZE) comments, comment_quotes');
  }
}

/** A comment for insertCommentsBulk: id and materialised path already assigned. */
export interface BulkComment {
  id: string;
  parentId: string | null;
  /** The parent's path plus this comment's id. */
  path: string[];
  /** The parent's depth + 1; 0 at the top level. */
  depth: number;
  authorId: string;
  body: string;
  html: string;
  status: CommentStatus;
  stance: Stance | null;
  createdAt: Date;
  upvotes: number;
  downvotes: number;
}

export interface BulkQuote extends NewQuote {
  commentId: string;
  ordinal: number;
}
