import { type MigrationInterface, type QueryRunner } from 'typeorm';

const COMMENT_KINDS = `('reply', 'mention', 'quote', 'followed')`;

/**
 * A notification reads its essay, and for the comment kinds its actor, through its comment instead of storing them per
 * row. A top-level comment in an essay with a thousand followers inserts a thousand rows, and PostgreSQL checks each
 * row's foreign keys one by one: the two dropped here (essay, and actor for the comment kinds, now null) were about a
 * quarter of the fan-out's database time. The actor stays stored for a moderator's decision.
 */
export class NotificationFieldsFromComment1764745000000 implements MigrationInterface {
  name = 'NotificationFieldsFromComment1764745000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "notifications" SET "actor_id" = NULL WHERE "kind" IN ${COMMENT_KINDS}`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "FK_dbdbc172849d843aefcfe94db7c"`);
    await q.query(`ALTER TABLE "notifications" DROP COLUMN "article_id"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notifications" ADD "article_id" bigint`);
    await q.query(
      `UPDATE "notifications" n SET "article_id" = c."article_id",
              "actor_id" = CASE WHEN n."kind" IN ${COMMENT_KINDS} THEN c."author_id" ELSE n."actor_id" END
         FROM "comments" c WHERE c."id" = n."comment_id"`,
    );
    await q.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "FK_dbdbc172849d843aefcfe94db7c" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }
}
