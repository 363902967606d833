import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A search within one essay reads that essay's newest comments first, to tell whether its query is very common (see
 * SearchRepository): comment_search's rows by essay, newest (highest id) last. A search of every essay reads the
 * primary key backwards instead.
 */
export class SearchNewestByEssay1764774000000 implements MigrationInterface {
  name = 'SearchNewestByEssay1764774000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "comment_search_article_idx" ON "comment_search" ("article_id", "comment_id")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "comment_search_article_idx"`);
  }
}
