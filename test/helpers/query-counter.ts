import { type DataSource } from 'typeorm';

/** Counts the SQL statements the app sends while `fn` runs (every query goes through a QueryRunner). */
export async function countQueries(dataSource: DataSource, fn: () => Promise<unknown>): Promise<number> {
  const runner = dataSource.createQueryRunner();
  const proto = Object.getPrototypeOf(runner) as { query: (...args: unknown[]) => Promise<unknown> };
  await runner.release();
  const original = proto.query;
  let count = 0;
  proto.query = function (this: unknown, ...args: unknown[]) {
    count += 1;
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return count;
}
