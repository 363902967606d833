import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Essays are found by their address on the publisher's site (`GET /api/articles/by-url`, the embed script). */
export class CanonicalUrlIndex1764766100000 implements MigrationInterface {
  name = 'CanonicalUrlIndex1764766100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "articles_canonical_url_idx" ON "articles" ("canonical_url") WHERE "canonical_url" IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "articles_canonical_url_idx"`);
  }
}
