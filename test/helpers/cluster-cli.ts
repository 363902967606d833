import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDatabase } from '../../src/database/database-server.js';
import { type RunningPostgres, startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { Cluster } from './cluster.js';
import { PRODUCTION_PASSWORD_HASHING } from './test-env.js';

const USAGE = `npm run cluster -- [processes] [--redis]

Runs the deployed topology on this machine: [processes] app processes (3 by default) behind HAProxy on
http://127.0.0.1:$PORT (3000 by default), with Redis for the live fan-out when --redis is given. With DATABASE_URL
set, they use that database; without it, a throwaway embedded PostgreSQL that is deleted at the stop. The processes
migrate the database and import the seed essays (each once, under a lock in the database). Ctrl-C stops everything.`;

/**
 * `npm run cluster`: the topology of the cluster suite (test/helpers/cluster.ts) run by hand, at production settings
 * (real password hashing cost, rate limits ×1), to try the load balancer, a rolling restart or a node's stop in a
 * browser. Requires haproxy (and redis-server for --redis) on the machine.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const count = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 3);
  if (count < 1 || count > 16) throw new Error('Between 1 and 16 processes.');
  const port = Number(process.env.PORT ?? 3000);

  let scratch: string | null = null;
  let postgres: RunningPostgres | null = null;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    scratch = await mkdtemp(path.join(tmpdir(), 'forum-cluster-pg-'));
    postgres = await startEmbeddedPostgres({ dataDir: scratch, port: 0, persistent: false, log: () => undefined });
    databaseUrl = await ensureDatabase(postgres.serverUrl, 'forum');
  }
  let cluster: Cluster;
  try {
    cluster = await Cluster.start({
      databaseUrl,
      nodes: count,
      redis: args.includes('--redis'),
      port,
      env: { ...PRODUCTION_PASSWORD_HASHING, RATE_LIMIT_FACTOR: '1', SEED_ON_START: 'true' },
    });
  } catch (error) {
    await postgres?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
    throw error;
  }
  // What the processes printed at start (a generated admin password is printed there, once).
  for (let index = 0; index < count; index++)
    for (const line of cluster.output(index).trimEnd().split('\n')) console.log(`[node${index}] ${line}`);
  console.log(`\nThe forum runs on ${cluster.baseUrl} behind HAProxy, ${count} processes:`);
  cluster.nodes.forEach((url, index) => console.log(`  node${index} ${url}`));
  if (cluster.redisUrl) console.log(`  Redis ${cluster.redisUrl}`);
  console.log(`HAProxy's configuration: ${cluster.configPath}\nCtrl-C stops everything.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the processes, HAProxy${cluster.redisUrl ? ', Redis' : ''} and PostgreSQL`);
    void cluster
      .stop()
      .then(() => postgres?.stop())
      .then(() => (scratch ? rm(scratch, { recursive: true, force: true }) : undefined))
      .then(() => process.exit(0));
  };
  // The embedded-postgres package hooks these signals to stop PostgreSQL at once; the processes must stop first.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => stop(signal));
  }
}

main().catch((error: unknown) => {
  console.error('The cluster could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
