/** Settings the suites share, kept apart from the app's code so that a process-spawning helper loads none of it. */

/**
 * A cheap password hash for the suites: argon2id at 1 MiB and 1 pass takes ~2 ms where the production cost (64 MiB,
 * 3 passes) takes ~400 ms, which made hashing the largest cost of the suites. The suites about hashing itself (the
 * hashing queue's 503s) run with PRODUCTION_PASSWORD_HASHING.
 */
export const CHEAP_PASSWORD_HASHING = { PASSWORD_HASH_MEMORY_KIB: '1024', PASSWORD_HASH_PASSES: '1' };
export const PRODUCTION_PASSWORD_HASHING = { PASSWORD_HASH_MEMORY_KIB: '65536', PASSWORD_HASH_PASSES: '3' };

/** What an in-process test app runs with: quiet logs, no seeding at start, rate limits ×1000, a cheap hash. */
export const TEST_ENV: Record<string, string> = {
  LOG_LEVEL: 'error',
  SEED_ON_START: 'false',
  RATE_LIMIT_FACTOR: '1000',
  ...CHEAP_PASSWORD_HASHING,
};
