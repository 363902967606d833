import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A number that moves whenever a user's public name or role changes (see AuthorNamesVersionEntity), kept by a trigger
 * so that every path that renames a user, gives them a role or empties a deleted account moves it in its own
 * transaction. A row trigger with a WHEN clause: updates of other columns (a password, a ban, a time zone) do not
 * touch the row, and neither does an update that leaves the name and role as they were.
 */
export class AuthorNamesVersion1764776000000 implements MigrationInterface {
  name = 'AuthorNamesVersion1764776000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "author_names_version" ("id" smallint NOT NULL DEFAULT 1, "version" bigint NOT NULL DEFAULT 0,
         CONSTRAINT "author_names_version_one_row" CHECK ("id" = 1),
         CONSTRAINT "author_names_version_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(`INSERT INTO "author_names_version" ("id", "version") VALUES (1, 0)`);
    await q.query(`CREATE FUNCTION author_names_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE author_names_version SET version = version + 1 WHERE id = 1;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER users_author_names AFTER UPDATE OF username, display_name, role ON users
         FOR EACH ROW
         WHEN (OLD.username IS DISTINCT FROM NEW.username OR OLD.display_name IS DISTINCT FROM NEW.display_name
               OR OLD.role IS DISTINCT FROM NEW.role)
         EXECUTE FUNCTION author_names_version_bump()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "users_author_names" ON "users"`);
    await q.query(`DROP FUNCTION author_names_version_bump()`);
    await q.query(`DROP TABLE "author_names_version"`);
  }
}
