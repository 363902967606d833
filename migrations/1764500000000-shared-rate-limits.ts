import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Rate-limit counters in the database, shared by every process. UNLOGGED: they skip the WAL, and after a crash
 * PostgreSQL empties the table, which only forgives a minute's counts.
 */
export class SharedRateLimits1764500000000 implements MigrationInterface {
  name = 'SharedRateLimits1764500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNLOGGED TABLE "rate_limit_hits" ("key" character varying(128) NOT NULL, "hits" integer NOT NULL, "window_ends" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "blocked_until" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_d392e81d922afbaed7efb3f1184" PRIMARY KEY ("key"))`,
    );
    await q.query(`CREATE INDEX "rate_limit_hits_window_idx" ON "rate_limit_hits" ("window_ends")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "rate_limit_hits"');
  }
}
