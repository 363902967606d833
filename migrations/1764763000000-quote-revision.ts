import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Every article quote remembers the essay's revision its words were taken from, so that a quote the author's edits
 * changed or orphaned can link to the essay as it read when the comment was written.
 *
 * Existing quotes: the latest revision of the essay made at or before the comment was written (revisions and comments
 * both carry the time their transaction began), else 1. Before any revision was made that is 1 for every quote,
 * which is exact: there was only one text to quote. After revisions, time is the only witness left: a quote cannot
 * have been checked against a revision made after its comment began (a quoting comment holds the essay's text still
 * until it commits), so for comments written in the forum the rule errs only for one begun in the very instant of a
 * revision. An imported comment carries its original date, not the time of its import: the seeds import an essay
 * with its comments before any revision, so 1 is right for them too.
 */
export class QuoteRevision1764763000000 implements MigrationInterface {
  name = 'QuoteRevision1764763000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "comment_quotes" ADD "revision" integer`);
    await q.query(
      `UPDATE comment_quotes q
          SET revision = coalesce((SELECT max(r.revision) FROM article_revisions r
                                    WHERE r.article_id = c.article_id AND r.created_at <= c.created_at), 1)
         FROM comments c
        WHERE c.id = q.comment_id AND q.source = 'article'`,
    );
    await q.query(
      `ALTER TABLE "comment_quotes" ADD CONSTRAINT "comment_quotes_revision_check" CHECK (("source" = 'article') = ("revision" IS NOT NULL))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "comment_quotes" DROP CONSTRAINT "comment_quotes_revision_check"`);
    await q.query(`ALTER TABLE "comment_quotes" DROP COLUMN "revision"`);
  }
}
