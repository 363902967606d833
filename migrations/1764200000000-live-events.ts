import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Live updates: the per-article event counter and event log (also the catch-up log), the table the Socket.IO
 * PostgreSQL adapter keeps large packets in, and partial indexes for the top level of a thread in each sort.
 */
export class LiveEvents1764200000000 implements MigrationInterface {
  name = 'LiveEvents1764200000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "article_events" ("article_id" bigint NOT NULL, "seq" bigint NOT NULL, "type" character varying(32) NOT NULL, "payload" json NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_32e6c8f5e966e0610698340b5ed" PRIMARY KEY ("article_id", "seq"))`,
    );
    await q.query(`CREATE INDEX "article_events_created_idx" ON "article_events" ("created_at")`);
    await q.query(`ALTER TABLE "articles" ADD "event_seq" bigint NOT NULL DEFAULT '0'`);
    await q.query(
      `CREATE INDEX "comments_top_level_controversial_idx" ON "comments" ("article_id", "controversy", "id") WHERE "parent_id" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "comments_top_level_best_idx" ON "comments" ("article_id", "best_score", "id") WHERE "parent_id" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "comments_top_level_top_idx" ON "comments" ("article_id", "score", "id") WHERE "parent_id" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "comments_top_level_new_idx" ON "comments" ("article_id", "created_at", "id") WHERE "parent_id" IS NULL`,
    );
    await q.query(
      `ALTER TABLE "article_events" ADD CONSTRAINT "FK_975c38995c6f52bda84e4d17276" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Used by @socket.io/postgres-adapter for packets too large for NOTIFY (not an entity: the adapter owns it).
    await q.query(
      `CREATE TABLE IF NOT EXISTS socket_io_attachments (id bigserial UNIQUE, created_at timestamptz DEFAULT now(), payload bytea)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS socket_io_attachments');
    for (const index of [
      'comments_top_level_new_idx',
      'comments_top_level_top_idx',
      'comments_top_level_best_idx',
      'comments_top_level_controversial_idx',
    ]) {
      await q.query(`DROP INDEX "${index}"`);
    }
    await q.query('DROP TABLE "article_events"');
    await q.query('ALTER TABLE "articles" DROP COLUMN "event_seq"');
  }
}
