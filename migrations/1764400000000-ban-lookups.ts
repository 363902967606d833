import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The moderators' list of bans: the banned users, and each one's latest ban in the log. */
export class BanLookups1764400000000 implements MigrationInterface {
  name = 'BanLookups1764400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "users_banned_idx" ON "users" ("id") WHERE "banned"`);
    await q.query(
      `CREATE INDEX "moderation_log_user_ban_idx" ON "moderation_log" ("user_id", "id") WHERE "action" = 'user.ban'`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "moderation_log_user_ban_idx"');
    await q.query('DROP INDEX "users_banned_idx"');
  }
}
