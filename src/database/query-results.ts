/**
 * TypeORM's PostgreSQL runner answers an UPDATE or DELETE with `[rows, affectedCount]` (an INSERT or SELECT with the
 * rows alone). These read the two parts.
 */
export function changedRows<T>(result: unknown): T[] {
  return (result as [T[], number])[0];
}

export function changedCount(result: unknown): number {
  return (result as [unknown[], number])[1];
}
