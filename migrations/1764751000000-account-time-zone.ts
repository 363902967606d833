import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A reader may set their IANA time zone: the daily digest comes at DIGEST_HOUR on their own clock (null: UTC). The
 * name is checked by the server's time zone database when set, not by PostgreSQL's, which may know other names.
 */
export class AccountTimeZone1764751000000 implements MigrationInterface {
  name = 'AccountTimeZone1764751000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "time_zone" character varying(64)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" DROP COLUMN "time_zone"`);
  }
}
