import { type MigrationInterface, type QueryRunner } from 'typeorm';

const ACTIONS_BEFORE = `'comment.approve', 'comment.remove', 'comment.restore', 'user.ban', 'user.unban', 'user.role', 'banned-words.update', 'article.settings', 'article.create', 'account.password-change', 'account.password-reset', 'account.email-change', 'article.revise', 'comment.feature', 'comment.unfeature'`;
const ACTIONS_AFTER = `${ACTIONS_BEFORE}, 'account.delete'`;

/**
 * Deleting one's account: the users row stays (its username stays taken, its comments' placeholders keep an author)
 * and `deleted_at` says when it was emptied; the log learns `account.delete`. A
 * reader's own reports are found by reporter for their data export.
 */
export class AccountDeletion1764767000000 implements MigrationInterface {
  name = 'AccountDeletion1764767000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "deleted_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q.query(`CREATE INDEX "reports_reporter_idx" ON "reports" ("reporter_id", "created_at")`);
    await q.query(`ALTER TABLE "moderation_log" DROP CONSTRAINT "moderation_log_action_check"`);
    await q.query(
      `ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_action_check" CHECK ("action" IN (${ACTIONS_AFTER}))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    // Fails while the log holds deletion entries (the log is append-only).
    await q.query(`ALTER TABLE "moderation_log" DROP CONSTRAINT "moderation_log_action_check"`);
    await q.query(
      `ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_action_check" CHECK ("action" IN (${ACTIONS_BEFORE}))`,
    );
    await q.query(`DROP INDEX "reports_reporter_idx"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "deleted_at"`);
  }
}
