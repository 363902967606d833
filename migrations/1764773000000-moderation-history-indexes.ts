import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A comment's moderation history and a user's record are read from the log by comment and by user, newest first,
 * beside every queued comment: two partial indexes (the many entries about neither are left out) keep those reads
 * from scanning the whole log.
 */
export class ModerationHistoryIndexes1764773000000 implements MigrationInterface {
  name = 'ModerationHistoryIndexes1764773000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "moderation_log_comment_idx" ON "moderation_log" ("comment_id", "id") WHERE "comment_id" IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "moderation_log_user_idx" ON "moderation_log" ("user_id", "id") WHERE "user_id" IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "moderation_log_user_idx"`);
    await q.query(`DROP INDEX "moderation_log_comment_idx"`);
  }
}
