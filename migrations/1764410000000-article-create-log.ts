import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The moderation log records essays published through POST /api/articles (action `article.create`). */
export class ArticleCreateLog1764410000000 implements MigrationInterface {
  name = 'ArticleCreateLog1764410000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "moderation_log" DROP CONSTRAINT "moderation_log_action_check"`);
    await q.query(
      `ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_action_check" CHECK ("action" IN ('comment.approve', 'comment.remove', 'comment.restore', 'user.ban', 'user.unban', 'user.role', 'banned-words.update', 'article.settings', 'article.create'))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    // The log is append-only: with `article.create` entries present the old check refuses them and this fails.
    await q.query(`ALTER TABLE "moderation_log" DROP CONSTRAINT "moderation_log_action_check"`);
    await q.query(
      `ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_action_check" CHECK ("action" IN ('comment.approve', 'comment.remove', 'comment.restore', 'user.ban', 'user.unban', 'user.role', 'banned-words.update', 'article.settings'))`,
    );
  }
}
