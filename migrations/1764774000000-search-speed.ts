import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Search without reading every comment that holds the query's words (see SearchRepository).
 *
 * - comment_search_article_idx: a search within one essay reads that essay's newest comments first, to tell whether
 *   its query is very common (a search of every essay reads the primary key backwards instead).
 * - comment_search_pairs_idx: the GIN index only knows which comments hold each word, so a phrase of two common words
 *   ("class war") had PostgreSQL read the positions of every comment holding both (10,600 of 100,000) to keep the 150
 *   where they stand side by side. `search_pairs(vector)` is each two words at neighbouring positions, as one lexeme
 *   'class war', and the index on it finds the comments holding a phrase's pairs directly.
 *   `search_pairs_query(query)` is the pairs a query requires, or NULL when the query is not only words and phrases
 *   of neighbouring words joined by AND (an `or`, an exclusion, a gap for a stop word): a comment matching the query
 *   then holds every pair, so the pairs only narrow what the full query is checked against.
 */
export class SearchSpeed1764774000000 implements MigrationInterface {
  name = 'SearchSpeed1764774000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "comment_search_article_idx" ON "comment_search" ("article_id", "comment_id")`);
    await q.query(`CREATE FUNCTION search_pairs(vector tsvector) RETURNS tsvector
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), ''::tsvector)
          FROM (SELECT u.lexeme, p FROM unnest(vector) u, unnest(u.positions) p) a
          JOIN (SELECT u.lexeme, p FROM unnest(vector) u, unnest(u.positions) p) b ON b.p = a.p + 1
      $$`);
    // Reads the query's text form: lexemes are quoted ('it''s'), so a character of an operator inside one only
    // makes the function give up (NULL), never find fewer comments; so does a pair its own text form cannot carry.
    await q.query(`CREATE FUNCTION search_pairs_query(query tsquery) RETURNS tsquery
      LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
        DECLARE
          chain text;
          lexemes text[];
          pairs text[] := '{}';
        BEGIN
          IF query::text ~ '[|!()]|<[0-9]+>|'':' THEN
            RETURN NULL;
          END IF;
          FOR chain IN SELECT regexp_split_to_table(query::text, ' & ') LOOP
            SELECT array_agg(m[1]) INTO lexemes FROM regexp_matches(chain, '''((?:[^'']|'''')*)''', 'g') m;
            FOR i IN 1 .. coalesce(cardinality(lexemes), 0) - 1 LOOP
              pairs := pairs || format('''%s %s''', lexemes[i], lexemes[i + 1]);
            END LOOP;
          END LOOP;
          IF cardinality(pairs) = 0 THEN
            RETURN NULL;
          END IF;
          RETURN array_to_string(pairs, ' & ')::tsquery;
        EXCEPTION WHEN syntax_error THEN
          RETURN NULL;
        END
      $$`);
    await q.query(
      `CREATE INDEX "comment_search_pairs_idx" ON "comment_search" USING gin (search_pairs("search_vector"))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "comment_search_pairs_idx"`);
    await q.query(`DROP FUNCTION search_pairs_query(tsquery)`);
    await q.query(`DROP FUNCTION search_pairs(tsvector)`);
    await q.query(`DROP INDEX "comment_search_article_idx"`);
  }
}
