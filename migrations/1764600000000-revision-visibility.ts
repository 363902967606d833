import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Whether readers ever saw an earlier version of a comment. A version written while the comment waited for a
 * moderator (premoderation, a banned word) was never public, and its text must not reach readers through the
 * history. Rows kept before this column: public when the comment is not pending now and no moderator ever had to
 * approve it (nothing of it was ever held); any other is treated as held, the safe side.
 */
export class RevisionVisibility1764600000000 implements MigrationInterface {
  name = 'RevisionVisibility1764600000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "comment_revisions" ADD "public" boolean NOT NULL DEFAULT false`);
    await q.query(
      `UPDATE "comment_revisions" r SET "public" = true
         FROM "comments" c
        WHERE c."id" = r."comment_id" AND c."status" <> 'pending'
          AND NOT EXISTS (SELECT 1 FROM "moderation_log" l WHERE l."comment_id" = c."id" AND l."action" = 'comment.approve')`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "comment_revisions" DROP COLUMN "public"`);
  }
}
