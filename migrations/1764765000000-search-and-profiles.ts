import { type MigrationInterface, type QueryRunner } from 'typeorm';

const COMMENT_VECTOR = `to_tsvector('english', NEW.body)`;

/**
 * Full-text search and profiles.
 *
 * - comment_search: each comment's words (`to_tsvector('english', body)`) with its essay, author and status, a narrow
 *   table of its own (see CommentSearchEntity: ranking reads the vector of every match, and here a page holds about
 *   three times more of them than the comments table does). Triggers on comments keep it in the transaction that
 *   writes the comment (insert; a change of body, status, essay or author; deletion cascades), so a new or edited
 *   comment is found at once. Existing comments are copied in.
 * - articles.search_vector: the title (weight A) and the blocks' text in order (weight D). The blocks are rows of
 *   their own, so triggers keep it: a new or renamed essay row computes it, and a statement that adds or removes
 *   blocks recomputes it once per essay it touched (statement-level, with transition tables: a revision replacing 300
 *   blocks parses the essay once, not 300 times); an update of a block's text recomputes its essay. Counter updates
 *   of blocks (comment counts, stances) fire nothing.
 * - GIN indexes on both vectors, and comments_author_visible_idx for a profile's visible comments and their count.
 */
export class SearchAndProfiles1764765000000 implements MigrationInterface {
  name = 'SearchAndProfiles1764765000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "comment_search" ("comment_id" bigint NOT NULL, "article_id" bigint NOT NULL, "author_id" bigint NOT NULL, "status" character varying(16) NOT NULL, "search_vector" tsvector NOT NULL, CONSTRAINT "PK_comment_search" PRIMARY KEY ("comment_id"))`,
    );
    await q.query(
      `ALTER TABLE "comment_search" ADD CONSTRAINT "FK_2ed1010b969d5da219ffc839ea1" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(`CREATE FUNCTION comments_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO comment_search (comment_id, article_id, author_id, status, search_vector)
          VALUES (NEW.id, NEW.article_id, NEW.author_id, NEW.status, ${COMMENT_VECTOR});
        ELSE
          UPDATE comment_search
             SET article_id = NEW.article_id, author_id = NEW.author_id, status = NEW.status,
                 search_vector = CASE WHEN NEW.body IS DISTINCT FROM OLD.body THEN ${COMMENT_VECTOR} ELSE search_vector END
           WHERE comment_id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER comments_search_insert AFTER INSERT ON comments
         FOR EACH ROW EXECUTE FUNCTION comments_search_sync()`,
    );
    // Votes and reply counters update comments all the time: only a change of what search reads fires.
    await q.query(
      `CREATE TRIGGER comments_search_update AFTER UPDATE OF body, status, article_id, author_id ON comments
         FOR EACH ROW
         WHEN (OLD.body IS DISTINCT FROM NEW.body OR OLD.status IS DISTINCT FROM NEW.status
               OR OLD.article_id IS DISTINCT FROM NEW.article_id OR OLD.author_id IS DISTINCT FROM NEW.author_id)
         EXECUTE FUNCTION comments_search_sync()`,
    );
    await q.query(
      `INSERT INTO comment_search (comment_id, article_id, author_id, status, search_vector)
       SELECT id, article_id, author_id, status, to_tsvector('english', body) FROM comments`,
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
    await q.query(`CREATE INDEX "comment_search_vector_idx" ON "comment_search" USING gin ("search_vector")`);
    await q.query(
      `CREATE INDEX "comments_author_visible_idx" ON "comments" ("author_id", "created_at", "id") WHERE "status" = 'visible'`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "comments_author_visible_idx"`);
    await q.query(`DROP INDEX "comment_search_vector_idx"`);
    await q.query(`DROP INDEX "articles_search_idx"`);
    await q.query(`DROP TRIGGER article_blocks_search_update ON article_blocks`);
    await q.query(`DROP TRIGGER article_blocks_search_delete ON article_blocks`);
    await q.query(`DROP TRIGGER article_blocks_search_insert ON article_blocks`);
    await q.query(`DROP FUNCTION article_blocks_search_vector()`);
    await q.query(`DROP TRIGGER articles_search_vector ON articles`);
    await q.query(`DROP FUNCTION articles_search_vector()`);
    await q.query(`DROP FUNCTION article_search_vector(text, bigint)`);
    await q.query(`ALTER TABLE "articles" DROP COLUMN "search_vector"`);
    await q.query(`DROP TRIGGER comments_search_update ON comments`);
    await q.query(`DROP TRIGGER comments_search_insert ON comments`);
    await q.query(`DROP FUNCTION comments_search_sync()`);
    await q.query(`DROP TABLE "comment_search"`);
  }
}
