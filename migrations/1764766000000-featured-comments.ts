import { type MigrationInterface, type QueryRunner } from 'typeorm';

const ACTIONS_BEFORE = `'comment.approve', 'comment.remove', 'comment.restore', 'user.ban', 'user.unban', 'user.role', 'banned-words.update', 'article.settings', 'article.create', 'account.password-change', 'account.password-reset', 'account.email-change', 'article.revise'`;
const ACTIONS_AFTER = `${ACTIONS_BEFORE}, 'comment.feature', 'comment.unfeature'`;

/**
 * Featured comments: a moderator marks a top-level comment as featured (`featured_at`, null when not), and the log
 * learns `comment.feature` and `comment.unfeature`. A small partial index lists an essay's featured comments without
 * reading the rest of its thread.
 */
export class FeaturedComments1764766000000 implements MigrationInterface {
  name = 'FeaturedComments1764766000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "comments" ADD "featured_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q.query(
      `CREATE INDEX "comments_featured_idx" ON "comments" ("article_id", "featured_at") WHERE "featured_at" IS NOT NULL`,
    );
    await q.query(`ALTER TABLE "moderation_log" DROP CONSTRAINT "moderation_log_action_check"`);
    await q.query(
      `ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_action_check" CHECK ("action" IN (${ACTIONS_AFTER}))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    // Fails while the log holds feature entries (the log is append-only).
    await q.query(`ALTER TABLE "moderation_log" DROP CONSTRAINT "moderation_log_action_check"`);
    await q.query(
      `ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_action_check" CHECK ("action" IN (${ACTIONS_BEFORE}))`,
    );
    await q.query(`DROP INDEX "comments_featured_idx"`);
    await q.query(`ALTER TABLE "comments" DROP COLUMN "featured_at"`);
  }
}
