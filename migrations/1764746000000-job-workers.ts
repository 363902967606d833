import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The job workers that are alive, by heartbeat: jobs held by a worker killed mid-job are released within a minute. */
export class JobWorkers1764746000000 implements MigrationInterface {
  name = 'JobWorkers1764746000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "job_workers" ("worker_id" character varying(64) NOT NULL, "seen_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_job_workers" PRIMARY KEY ("worker_id"))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "job_workers"`);
  }
}
