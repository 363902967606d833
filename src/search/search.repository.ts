import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Viewer } from '../auth/viewer.js';
import { AppConfig } from '../config/app-config.js';
import { readableBodySql } from '../comments/comments.repository.js';
import { type SearchKind } from './dto/search.dto.js';
import { HEADLINE_OPTIONS, SOURCE_EDGE_CHARS, withoutMarkers } from './snippet.js';

/** The text search configuration of every vector and query (the forum's essays and comments are English). */
const CONFIG = 'english';

/** One match: an essay (commentId null) or a comment, its rank, its essay, and its snippet as ts_headline wrote it. */
export interface SearchMatchRow {
  kind: SearchKind;
  articleId: string;
  commentId: string | null;
  rank: number;
  articleSlug: string;
  articleTitle: string;
  headline: string;
  /** The first and last SOURCE_EDGE_CHARS characters of the text the headline was made from. */
  textStart: string;
  textEnd: string;
  /** The cap when only the newest matching comments were ranked (a very common query), else null. */
  newestOnly: number | null;
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

/** The newest comments a search reads first, as a multiple of the common-query cap, to tell a very common query. */
const COMMON_WINDOW_FACTOR = 5;

/**
 * Full-text search over essays (title and text: articles.search_vector) and comments (body: the comment_search table),
 * through the GIN indexes on their vectors (see the migration SearchAndProfiles). `websearch_to_tsquery` reads the query as people type it: plain
 * words all required, "quoted phrases", -excluded words, `or`.
 *
 * Ranking must read the vector of every comment it ranks, and the GIN index only says which comments hold the
 * words: a word in a quarter of 100,000 comments meant reading and ranking 26,000 vectors (about 25 ms of CPU, three
 * to four times that in wall time on a loaded machine) for every page. So a very common query is bounded: when at
 * least `cap` (SEARCH_COMMON_CAP) of the newest `5 × cap` comments the viewer may read in the search's scope match,
 * only the `cap` newest matching comments are ranked, and older matches are not listed. Telling costs one backward
 * read of at most `5 × cap` narrow rows; any other query ranks every match, as before. Essays are never bounded.
 *
 * A phrase needs the words' positions, which the vector index does not hold: when the query is words and phrases
 * joined by AND, the comments holding each pair of the phrases' neighbouring words come from the pairs index (see
 * the migration SearchSpeed), and only they are checked against the whole query. The `OFFSET 0` keeps PostgreSQL from
 * also scanning the vector index for the same rows: that index would have it recheck every row, recomputing the pairs.
 */
@Injectable()
export class SearchRepository {
  private readonly cap: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.cap = config.searchCommonCap;
  }

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
    const params: unknown[] = [query, limit, this.cap, this.cap * COMMON_WINDOW_FACTOR];
    const readable = readableBodySql(viewer, params);
    const essay = articleId === null ? null : `$${params.push(articleId)}::bigint`;
    const keyset = after
      ? `(m.rank, m.kind_order, m.id) < ($${params.push(after.rank)}::real, $${params.push(after.kindOrder)}::int, $${params.push(after.id)}::bigint)`
      : 'TRUE';
    const inScope = essay ? `c.article_id = ${essay}` : 'TRUE';
    return this.dataSource.query(
      `WITH q AS MATERIALIZED (
         SELECT w.query, search_pairs_query(w.query) AS pairs FROM (SELECT websearch_to_tsquery('${CONFIG}', $1) AS query) w
       ),
       newest AS MATERIALIZED (
         SELECT r.comment_id, r.article_id, ts_rank(r.search_vector, q.query) AS rank
           FROM (SELECT c.comment_id, c.article_id, c.search_vector FROM comment_search c
                  WHERE ${inScope} AND ${readable}
                  ORDER BY c.comment_id DESC LIMIT $4::int) r, q
          WHERE r.search_vector @@ q.query
          ORDER BY r.comment_id DESC LIMIT $3::int
       ),
       page AS (
         SELECT m.* FROM (
           SELECT 1 AS kind_order, a.id, a.id AS article_id, ts_rank(a.search_vector, q.query) AS rank
             FROM articles a, q
            WHERE a.search_vector @@ q.query AND ${essay ? `a.id = ${essay}` : 'TRUE'}
           UNION ALL
           SELECT 0, n.comment_id, n.article_id, n.rank FROM newest n WHERE (SELECT count(*) FROM newest) = $3::int
           UNION ALL
           SELECT 0, c.comment_id, c.article_id, ts_rank(c.search_vector, q.query)
             FROM comment_search c, q
            WHERE (SELECT count(*) FROM newest) < $3::int AND (SELECT pairs FROM q) IS NULL
              AND c.search_vector @@ q.query AND ${inScope} AND ${readable}
           UNION ALL
           SELECT 0, c.comment_id, c.article_id, ts_rank(c.search_vector, q.query)
             FROM (SELECT c.comment_id, c.article_id, c.search_vector FROM comment_search c, q
                    WHERE search_pairs(c.search_vector) @@ q.pairs AND ${inScope} AND ${readable}
                   OFFSET 0) c, q
            WHERE (SELECT count(*) FROM newest) < $3::int AND (SELECT pairs FROM q) IS NOT NULL
              AND c.search_vector @@ q.query
         ) m
         WHERE ${keyset}
         ORDER BY m.rank DESC, m.kind_order DESC, m.id DESC
         LIMIT $2
       )
       SELECT CASE p.kind_order WHEN 1 THEN 'article' ELSE 'comment' END AS kind, p.article_id AS "articleId",
              CASE p.kind_order WHEN 1 THEN NULL ELSE p.id END AS "commentId", p.rank,
              a.slug AS "articleSlug", a.title AS "articleTitle",
              ts_headline('${CONFIG}', source.text, q.query, '${HEADLINE_OPTIONS}') AS headline,
              left(source.text, ${SOURCE_EDGE_CHARS}) AS "textStart", right(source.text, ${SOURCE_EDGE_CHARS}) AS "textEnd",
              CASE WHEN (SELECT count(*) FROM newest) = $3::int THEN $3::int END AS "newestOnly"
         FROM page p CROSS JOIN q JOIN articles a ON a.id = p.article_id
        CROSS JOIN LATERAL (SELECT CASE p.kind_order
                  WHEN 1 THEN ${withoutMarkers(`a.title || E'\\n' || coalesce((SELECT string_agg(b.text, E'\\n' ORDER BY b.position) FROM article_blocks b WHERE b.article_id = a.id), '')`)}
                  ELSE (SELECT ${withoutMarkers('c.body')} FROM comments c WHERE c.id = p.id)
                END AS text) source
        ORDER BY p.rank DESC, p.kind_order DESC, p.id DESC`,
      params,
    );
  }
}
