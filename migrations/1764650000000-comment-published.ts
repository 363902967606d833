import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Whether readers ever saw a comment (some version of it was visible). A comment they never saw stays invisible to
 * them whatever becomes of it (removed by a moderator: no placeholder, no counter, no event); one they saw leaves a
 * placeholder where it stood. Rows kept before this column: seen unless pending with no public earlier version; a
 * removed comment counts as seen (the state it was removed from is not recorded), which keeps its placeholder and
 * its replies in place as before.
 */
export class CommentPublished1764650000000 implements MigrationInterface {
  name = 'CommentPublished1764650000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "comments" ADD "published" boolean NOT NULL DEFAULT true`);
    await q.query(
      `UPDATE "comments" c SET "published" = false
        WHERE c."status" = 'pending'
          AND NOT EXISTS (SELECT 1 FROM "comment_revisions" r WHERE r."comment_id" = c."id" AND r."public")`,
    );
    // Replies count the comments readers see as nodes: the seen ones, whatever their status now.
    await q.query(
      `UPDATE "comments" p SET "reply_count" = r.n
         FROM (SELECT k."parent_id" AS id, count(*)::int AS n FROM "comments" k
                WHERE k."parent_id" IS NOT NULL AND k."published" GROUP BY k."parent_id") r
        WHERE p."id" = r.id AND p."reply_count" <> r.n`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "comments" DROP COLUMN "published"`);
  }
}
