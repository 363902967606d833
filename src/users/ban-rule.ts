/**
 * The one rule for "a ban in force": the user is banned, and the ban has no end date or ends after `now`. An ended
 * ban the sweep has not cleared yet is not in force. `banInForceSql` is the same rule for queries on `users`.
 */
export function isBanInForce(user: { banned: boolean; bannedUntil: Date | null }, now: Date): boolean {
  return user.banned && (user.bannedUntil === null || user.bannedUntil.getTime() > now.getTime());
}

/** The rule as a boolean SQL expression over a `users` row (`alias` names it in a join), compared with `now()`. */
export function banInForceSql(alias?: string): string {
  const column = (name: string): string => (alias ? `${alias}.${name}` : name);
  return `(${column('banned')} AND (${column('banned_until')} IS NULL OR ${column('banned_until')} > now()))`;
}
