import { type DataSource } from 'typeorm';

/** Any number; all processes agree on it. */
const MIGRATION_LOCK = 7_204_113;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so that several processes starting at once on one database
 * run each migration exactly once. Returns the names of the migrations it ran.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}

/** The SQL that would bring the schema in line with the entities: empty when migrations and entities agree. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  return (await schemaChanges(dataSource)).up;
}

/** The SQL that would bring the schema in line with the entities, and the SQL that would undo it, in that order. */
export async function schemaChanges(dataSource: DataSource): Promise<{ up: string[]; down: string[] }> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return { up: sql.upQueries.map((q) => q.query), down: sql.downQueries.map((q) => q.query).reverse() };
}

/** A migration file in this repository's style, for `cli.js generate`. */
export function migrationSource(className: string, changes: { up: string[]; down: string[] }): string {
  const statements = (queries: string[]) => queries.map((q) => `    await q.query(${JSON.stringify(q)});`).join('\n');
  return `import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Generated from the entities by \`npm run migration:generate\`: say here what it changes and why. */
export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(q: QueryRunner): Promise<void> {
${statements(changes.up)}
  }

  public async down(q: QueryRunner): Promise<void> {
${statements(changes.down)}
  }
}
`;
}
