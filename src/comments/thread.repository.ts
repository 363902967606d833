import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Viewer, isModerator } from '../auth/viewer.js';
import { COMMENT_COLUMNS, type CommentRow } from './comments.repository.js';
import { type Stance } from '../common/limits.js';
import { SORT_SPECS, type ThreadSort } from './thread-sort.js';

/** Where a page ends in a sort: the sort key of its last comment and the id that breaks ties. */
export interface SortPosition {
  key: number | string;
  id: string;
}

/**
 * The thread's reads: pages of comments in a sort, as a viewer may see them. A thread page is read level by level: one
 * query for the page's first level, then one query per level of replies that takes the first N children of every
 * parent at once (a LATERAL join on the sort's index), so reading a page costs `depth + 2` queries whatever the
 * thread's size.
 */
@Injectable()
export class ThreadRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Top-level comments of an article (those taking `stance`, when given; the featured ones, when `featuredOnly`), one
   * page in the given sort.
   */
  findTopLevelPage(
    articleId: string,
    viewer: Viewer,
    sort: ThreadSort,
    limit: number,
    after: SortPosition | null,
    stance: Stance | null = null,
    featuredOnly = false,
  ) {
    return this.findLevelPage({ articleId, parentId: null, viewer, sort, limit, after, stance, featuredOnly });
  }

  /** Direct replies of one comment, one page in the given sort. */
  findRepliesPage(
    articleId: string,
    parentId: string,
    viewer: Viewer,
    sort: ThreadSort,
    limit: number,
    after: SortPosition | null,
  ) {
    return this.findLevelPage({ articleId, parentId, viewer, sort, limit, after, stance: null, featuredOnly: false });
  }

  /**
   * Comments (at any depth) anchored to a block (those taking `stance`, when given; the featured ones, when
   * `featuredOnly`), one page in the given sort.
   */
  async findQuotingBlockPage(
    articleId: string,
    blockId: string,
    viewer: Viewer,
    sort: ThreadSort,
    limit: number,
    after: SortPosition | null,
    stance: Stance | null = null,
    featuredOnly = false,
  ): Promise<CommentRow[]> {
    const spec = SORT_SPECS[sort];
    const params: unknown[] = [articleId, blockId, limit];
    const visibility = `${this.visibility(viewer, params)} AND ${this.stanceFilter(viewer, stance, params)} AND ${featuredFilter(featuredOnly)}`;
    const keyset = after ? this.keyset(sort, after, params) : 'TRUE';
    return this.dataSource.query(
      `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
        WHERE c.article_id = $1
          AND EXISTS (SELECT 1 FROM comment_quotes q
                       WHERE q.comment_id = c.id AND q.block_id = $2 AND q.anchor <> 'orphaned')
          AND ${visibility} AND ${keyset}
        ORDER BY c.${spec.column} ${spec.direction}, c.id ${spec.direction}
        LIMIT $3`,
      params,
    );
  }

  /** The first `perParent` replies of each parent, in the sort. */
  async findFirstRepliesOf(
    articleId: string,
    parentIds: string[],
    viewer: Viewer,
    sort: ThreadSort,
    perParent: number,
  ): Promise<CommentRow[]> {
    if (parentIds.length === 0 || perParent === 0) return [];
    const spec = SORT_SPECS[sort];
    const params: unknown[] = [articleId, parentIds, perParent];
    const visibility = this.visibility(viewer, params);
    return this.dataSource.query(
      `SELECT r.* FROM unnest($2::bigint[]) WITH ORDINALITY AS p(id, n)
        CROSS JOIN LATERAL (
          SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
           WHERE c.article_id = $1 AND c.parent_id = p.id AND ${visibility}
           ORDER BY c.${spec.column} ${spec.direction}, c.id ${spec.direction}
           LIMIT $3
        ) r
        ORDER BY p.n`,
      params,
    );
  }

  /**
   * A comment with its article's slug, title and event number, read in one statement (so one snapshot): every event
   * up to that number is reflected in the row.
   */
  async findWithArticle(
    id: string,
  ): Promise<(CommentRow & { articleSlug: string; articleTitle: string; articleSeq: string }) | null> {
    const rows: (CommentRow & { articleSlug: string; articleTitle: string; articleSeq: string })[] =
      await this.dataSource.query(
        `SELECT ${COMMENT_COLUMNS}, a.slug AS "articleSlug", a.title AS "articleTitle", a.event_seq AS "articleSeq"
         FROM comments c JOIN users u ON u.id = c.author_id JOIN articles a ON a.id = c.article_id
        WHERE c.id = $1`,
        [id],
      );
    return rows[0] ?? null;
  }

  /** Comments of the article this viewer may see: visible ones, their own pending ones, everything for moderators. */
  async countVisibleTo(articleId: string, viewer: Viewer, visibleCount: number): Promise<number> {
    if (isModerator(viewer)) {
      const rows: { n: number }[] = await this.dataSource.query(
        `SELECT count(*)::int AS n FROM comments WHERE article_id = $1 AND status IN ('visible', 'pending', 'removed')`,
        [articleId],
      );
      return rows[0].n;
    }
    if (!viewer.userId) return visibleCount;
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM comments WHERE author_id = $1 AND article_id = $2 AND status = 'pending'`,
      [viewer.userId, articleId],
    );
    return visibleCount + rows[0].n;
  }

  private async findLevelPage(q: {
    articleId: string;
    parentId: string | null;
    viewer: Viewer;
    sort: ThreadSort;
    limit: number;
    after: SortPosition | null;
    stance: Stance | null;
    featuredOnly: boolean;
  }): Promise<CommentRow[]> {
    const spec = SORT_SPECS[q.sort];
    const params: unknown[] = [q.articleId, q.limit];
    const parent = q.parentId === null ? 'c.parent_id IS NULL' : `c.parent_id = $${params.push(q.parentId)}`;
    const visibility = `${this.visibility(q.viewer, params)} AND ${this.stanceFilter(q.viewer, q.stance, params)} AND ${featuredFilter(q.featuredOnly)}`;
    const keyset = q.after ? this.keyset(q.sort, q.after, params) : 'TRUE';
    return this.dataSource.query(
      `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
        WHERE c.article_id = $1 AND ${parent} AND ${visibility} AND ${keyset}
        ORDER BY c.${spec.column} ${spec.direction}, c.id ${spec.direction}
        LIMIT $2`,
      params,
    );
  }

  /**
   * A comment readers never saw (never approved, whatever its status now) is seen only by its author and moderators;
   * every other one is shown (as a placeholder when its body is not for this viewer). CommentAccess.canSee in SQL.
   */
  private visibility(viewer: Viewer, params: unknown[]): string {
    if (isModerator(viewer)) return 'TRUE';
    if (!viewer.userId) return 'c.published';
    return `(c.published OR c.author_id = $${params.push(viewer.userId)})`;
  }

  /**
   * The comments taking a stance, among those whose stance the viewer may read: a placeholder shows none, so a removed
   * or deleted comment (or one sent back to review, to others than its author) is not listed under its stance.
   */
  private stanceFilter(viewer: Viewer, stance: Stance | null, params: unknown[]): string {
    if (stance === null) return 'TRUE';
    const taking = `c.stance = $${params.push(stance)}::varchar`;
    if (isModerator(viewer)) return taking;
    if (!viewer.userId) return `${taking} AND c.status = 'visible'`;
    return `${taking} AND (c.status = 'visible' OR (c.status = 'pending' AND c.author_id = $${params.push(viewer.userId)}))`;
  }

  private keyset(sort: ThreadSort, after: SortPosition, params: unknown[]): string {
    const spec = SORT_SPECS[sort];
    const cast =
      spec.keyType === 'timestamp' ? 'timestamptz' : spec.column === 'score' ? 'integer' : 'double precision';
    const key = `$${params.push(after.key)}::${cast}`;
    const id = `$${params.push(after.id)}::bigint`;
    return `(c.${spec.column}, c.id) ${spec.direction === 'DESC' ? '<' : '>'} (${key}, ${id})`;
  }
}

/**
 * The featured comments, among those readers can read: a featured comment that was removed or deleted since keeps its
 * mark (it comes back featured if restored) but is not listed, for anyone, while it is hidden.
 */
function featuredFilter(featuredOnly: boolean): string {
  return featuredOnly ? `c.featured_at IS NOT NULL AND c.status = 'visible'` : 'TRUE';
}
