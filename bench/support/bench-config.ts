import { type AppConfig, loadConfig } from '../../src/config/app-config.js';

/**
 * The app's configuration for a benchmark that starts it in process: quiet logs, no seeding, rate limits out of the
 * way (the bench is the only client), and cheap password hashing (its accounts are set up, not measured); `extra`
 * adds or overrides variables.
 */
export function benchAppConfig(extra: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...BENCH_ENVIRONMENT, ...extra });
}

/** {@link benchAppConfig}'s variables, for another checkout's own loadConfig (bench:write's --baseline-dir). */
export const BENCH_ENVIRONMENT: Readonly<Record<string, string>> = {
  LOG_LEVEL: 'error',
  SEED_ON_START: 'false',
  RATE_LIMIT_FACTOR: '100000',
  PASSWORD_HASH_MEMORY_KIB: '1024',
  PASSWORD_HASH_PASSES: '1',
};
