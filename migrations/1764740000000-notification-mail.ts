import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Notifications remember when they went out by mail (instantly or in a digest), so that each is mailed at most once,
 * and a reader's unread, unmailed ones are found by one small index.
 */
export class NotificationMail1764740000000 implements MigrationInterface {
  name = 'NotificationMail1764740000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notifications" ADD "mailed_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q.query(
      `CREATE INDEX "notifications_unmailed_idx" ON "notifications" ("recipient_id") WHERE "mailed_at" IS NULL AND "read_at" IS NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "notifications_unmailed_idx"`);
    await q.query(`ALTER TABLE "notifications" DROP COLUMN "mailed_at"`);
  }
}
