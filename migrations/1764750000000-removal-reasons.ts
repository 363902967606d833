import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A removed comment's author and moderators see the reason of its latest removal on every Comment answer: the
 * latest `comment.remove` entry of each removed comment on a page, found by this index.
 */
export class RemovalReasons1764750000000 implements MigrationInterface {
  name = 'RemovalReasons1764750000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "moderation_log_comment_remove_idx" ON "moderation_log" ("comment_id", "id") WHERE "action" = 'comment.remove'`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "moderation_log_comment_remove_idx"');
  }
}
