import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Notifications remember when they went out by mail (instantly or in a digest), so that each is mailed at most once.
 * No index of its own: a reader's unmailed ones are among their unread ones (notifications_unread_idx), and every
 * index costs each of a fan-out's thousand inserts.
 */
export class NotificationMail1764740000000 implements MigrationInterface {
  name = 'NotificationMail1764740000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notifications" ADD "mailed_at" TIMESTAMP(3) WITH TIME ZONE`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notifications" DROP COLUMN "mailed_at"`);
  }
}
