import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Viewer } from '../auth/viewer.js';
import { readableBodySql } from '../comments/comments.repository.js';
import { HEADLINE_OPTIONS, withoutMarkers } from './snippet.js';

/** The text search configuration of every vector and query (the forum's essays and comments are English). */
const CONFIG = 'english';

export type SearchKind = 'article' | 'comment';

/** One match: an essay (commentId null) or a comment, its rank, its essay, and its snippet as ts_headline wrote it. */
export interface SearchMatchRow {
  kind: SearchKind;
  articleId: string;
  commentId: string | null;
  rank: number;
  articleSlug: string;
  articleTitle: string;
  headline: string;
}

/**
 * Where a page of matches ends: rank, then essays before comments, then the higher id first. Ranks are `real`
 * (float4), whose text form reads back as the same value, so a cursor resumes exactly where the page ended, ties
 * included.
 */
export interface SearchPosition {
  rank: number;
  kindOrder: number;
  id: string;
}

/**
 * Full-text search over essays (title and text: articles.search_vector) and comments (body: the comment_search table),
 * through the GIN indexes on their vectors (see the migration SearchAndProfiles). `websearch_to_tsquery` reads the query as people type it: plain
 * words all required, "quoted phrases", -excluded words, `or`.
 */
@Injectable()
export class SearchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A page of matches best first, comments only those whose body the viewer may read; `articleId` keeps one essay.
   * Snippets are made for the page's rows only, after the limit.
   */
  findMatches(
    query: string,
    articleId: string | null,
    viewer: Viewer,
    limit: number,
    after: SearchPosition | null,
  ): Promise<SearchMatchRow[]> {
    const params: unknown[] = [query, articleId, limit];
    const readable = readableBodySql(viewer, params);
    const keyset = after
      ? `(m.rank, m.kind_order, m.id) < ($${params.push(after.rank)}::real, $${params.push(after.kindOrder)}::int, $${params.push(after.id)}::bigint)`
      : 'TRUE';
    return this.dataSource.query(
      `WITH q AS (SELECT websearch_to_tsquery('${CONFIG}', $1) AS query),
       page AS (
         SELECT m.* FROM (
           SELECT 1 AS kind_order, a.id, a.id AS article_id, ts_rank(a.search_vector, q.query) AS rank
             FROM articles a, q
            WHERE a.search_vector @@ q.query AND ($2::bigint IS NULL OR a.id = $2::bigint)
           UNION ALL
           SELECT 0, c.comment_id, c.article_id, ts_rank(c.search_vector, q.query)
             FROM comment_search c, q
            WHERE c.search_vector @@ q.query AND ($2::bigint IS NULL OR c.article_id = $2::bigint) AND ${readable}
         ) m
         WHERE ${keyset}
         ORDER BY m.rank DESC, m.kind_order DESC, m.id DESC
         LIMIT $3
       )
       SELECT CASE p.kind_order WHEN 1 THEN 'article' ELSE 'comment' END AS kind, p.article_id AS "articleId",
              CASE p.kind_order WHEN 1 THEN NULL ELSE p.id END AS "commentId", p.rank,
              a.slug AS "articleSlug", a.title AS "articleTitle",
              ts_headline('${CONFIG}',
                CASE p.kind_order
                  WHEN 1 THEN ${withoutMarkers(`a.title || E'\\n' || coalesce((SELECT string_agg(b.text, E'\\n' ORDER BY b.position) FROM article_blocks b WHERE b.article_id = a.id), '')`)}
                  ELSE (SELECT ${withoutMarkers('c.body')} FROM comments c WHERE c.id = p.id)
                END,
                q.query, '${HEADLINE_OPTIONS}') AS headline
         FROM page p CROSS JOIN q JOIN articles a ON a.id = p.article_id
        ORDER BY p.rank DESC, p.kind_order DESC, p.id DESC`,
      params,
    );
  }
}
