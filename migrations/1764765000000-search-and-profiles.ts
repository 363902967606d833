import { type MigrationInterface, type QueryRunner } from 'typeorm';

const COMMENT_VECTOR = `to_tsvector('english', "body")`;

/**
 * Full-text search and profiles.
 *
 * - comments.search_vector: the body's words, a stored generated column, so PostgreSQL keeps it in the transaction
 *   that writes the body (a new or edited comment is found at once) and ranking reads it instead of parsing every
 *   matching body again. TypeORM learns the expression from typeorm_metadata (the migration runner creates that table
 *   for entities with generated columns; only the entity-drift check reads it).
 * - articles.search_vector: the title (weight A) and the blocks' text in order (weight D). The blocks are rows of
 *   their own, out of a generated column's reach, so triggers keep it: a new or renamed essay row computes it, and a
 *   statement that adds, removes or rewrites blocks recomputes it once per essay it touched (statement-level, with
 *   transition tables: a revision replacing 300 blocks parses the essay once, not 300 times); an update of a block's
 *   text recomputes its essay. Counter updates of blocks (comment counts, stances) fire nothing.
 * - GIN indexes on both, and comments_author_visible_idx for a profile's visible comments and their count.
 */
export class SearchAndProfiles1764765000000 implements MigrationInterface {
  name = 'SearchAndProfiles1764765000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "comments" ADD "search_vector" tsvector GENERATED ALWAYS AS (${COMMENT_VECTOR}) STORED NOT NULL`,
    );
    await q.query(
      `INSERT INTO "typeorm_metadata" ("database", "schema", "table", "type", "name", "value")
       VALUES (current_database(), current_schema(), 'comments', 'GENERATED_COLUMN', 'search_vector', $1)`,
      [COMMENT_VECTOR],
    );
    await q.query(`ALTER TABLE "articles" ADD "search_vector" tsvector`);
    await q.query(`CREATE FUNCTION article_search_vector(article_title text, article bigint) RETURNS tsvector
      LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('english', article_title), 'A')
            || setweight(to_tsvector('english', coalesce(
                 (SELECT string_agg(text, E'\\n' ORDER BY position) FROM article_blocks WHERE article_id = article), '')), 'D')
      $$`);
    await q.query(`CREATE FUNCTION articles_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_vector := article_search_vector(NEW.title, NEW.id);
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER articles_search_vector BEFORE INSERT OR UPDATE OF title ON articles
         FOR EACH ROW EXECUTE FUNCTION articles_search_vector()`,
    );
    await q.query(`CREATE FUNCTION article_blocks_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE articles SET search_vector = article_search_vector(title, id)
           WHERE id IN (SELECT DISTINCT article_id FROM new_blocks);
        ELSIF TG_OP = 'DELETE' THEN
          UPDATE articles SET search_vector = article_search_vector(title, id)
           WHERE id IN (SELECT DISTINCT article_id FROM old_blocks);
        ELSE
          UPDATE articles SET search_vector = article_search_vector(title, id) WHERE id IN (OLD.article_id, NEW.article_id);
        END IF;
        RETURN NULL;
      END $$`);
    // PostgreSQL allows transition tables only on single-event triggers without a column list: one trigger per event,
    // and a row-level one for updates, which fires only when a block's words change (never for its counters).
    await q.query(
      `CREATE TRIGGER article_blocks_search_insert AFTER INSERT ON article_blocks
         REFERENCING NEW TABLE AS new_blocks FOR EACH STATEMENT EXECUTE FUNCTION article_blocks_search_vector()`,
    );
    await q.query(
      `CREATE TRIGGER article_blocks_search_delete AFTER DELETE ON article_blocks
         REFERENCING OLD TABLE AS old_blocks FOR EACH STATEMENT EXECUTE FUNCTION article_blocks_search_vector()`,
    );
    await q.query(
      `CREATE TRIGGER article_blocks_search_update AFTER UPDATE OF text, position, article_id ON article_blocks
         FOR EACH ROW
         WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.position IS DISTINCT FROM NEW.position
               OR OLD.article_id IS DISTINCT FROM NEW.article_id)
         EXECUTE FUNCTION article_blocks_search_vector()`,
    );
    await q.query(`UPDATE articles SET search_vector = article_search_vector(title, id)`);
    await q.query(`CREATE INDEX "articles_search_idx" ON "articles" USING gin ("search_vector")`);
    await q.query(`CREATE INDEX "comments_search_idx" ON "comments" USING gin ("search_vector")`);
    await q.query(
      `CREATE INDEX "comments_author_visible_idx" ON "comments" ("author_id", "created_at", "id") WHERE "status" = 'visible'`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "comments_author_visible_idx"`);
    await q.query(`DROP INDEX "comments_search_idx"`);
    await q.query(`DROP INDEX "articles_search_idx"`);
    await q.query(`DROP TRIGGER article_blocks_search_update ON article_blocks`);
    await q.query(`DROP TRIGGER article_blocks_search_delete ON article_blocks`);
    await q.query(`DROP TRIGGER article_blocks_search_insert ON article_blocks`);
    await q.query(`DROP FUNCTION article_blocks_search_vector()`);
    await q.query(`DROP TRIGGER articles_search_vector ON articles`);
    await q.query(`DROP FUNCTION articles_search_vector()`);
    await q.query(`DROP FUNCTION article_search_vector(text, bigint)`);
    await q.query(`ALTER TABLE "articles" DROP COLUMN "search_vector"`);
    await q.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = 'GENERATED_COLUMN' AND "table" = 'comments' AND "name" = 'search_vector'`,
    );
    await q.query(`ALTER TABLE "comments" DROP COLUMN "search_vector"`);
  }
}
