import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureDatabase } from '../src/database/database-server.js';
import { type RunningPostgres, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { prepareDatabase } from '../src/database/prepare-database.js';
import { Cluster } from './helpers/cluster.js';
import { Audience, latestSeq, publishEssay, writeComments } from './helpers/cluster-load.js';
import { newTestDatabase } from './helpers/test-app.js';

const ADMIN_PASSWORD = 'cluster-admin-password';
const READERS = 9;
const WRITERS = 3;

/**
 * The promise of live updates, kept by the deployed topology (3 app processes behind HAProxy, test/helpers/cluster.ts)
 * through faults: readers spread over the processes follow one essay through the balancer, writers post through it
 * (retrying with the same Idempotency-Key), and a fault happens meanwhile. Afterwards every reader holds every event
 * exactly once, in order, none out of order on any connection, and every comment answered 201 reached every reader
 * once. How long the readers took to be current after the fault is printed (timing is the benchmark's business).
 */
async function survives(
  cluster: Cluster,
  slug: string,
  fault: () => Promise<void>,
  options: { joinsMayBeRefused?: boolean } = {},
): Promise<{ catchUpMs: number; retries: number }> {
  const audience = await Audience.open(cluster.baseUrl, slug, READERS);
  try {
    const load = writeComments(cluster.baseUrl, slug, WRITERS, 15);
    await fault();
    const faultEnded = Date.now();
    const { accepted, retries } = await load;
    const seq = await latestSeq(cluster.baseUrl, slug);
    await audience.current(seq);
    audience.assertComplete(accepted);
    assert.equal(accepted.length, WRITERS * 15);
    // Only a database that is down may make a server refuse a join; a lost process or Redis never does.
    if (!options.joinsMayBeRefused) assert.equal(audience.joinRefusals, 0, 'joins refused');
    return { catchUpMs: Date.now() - faultEnded, retries };
  } finally {
    audience.close();
  }
}

describe('live updates across three processes behind a load balancer, through faults', () => {
  let dataDir: string;
  let server: RunningPostgres;
  let port: number;
  let cluster: Cluster;
  let slug: string;

  before(async () => {
    // A PostgreSQL server of this suite's own: one test restarts it.
    dataDir = await mkdtemp(path.join(tmpdir(), 'forum-cluster-pg-'));
    server = await startEmbeddedPostgres({ dataDir, port: 0, persistent: true, throwaway: true, log: () => undefined });
    port = Number(new URL(server.serverUrl).port);
    const databaseUrl = await ensureDatabase(server.serverUrl, 'cluster_faults');
    await prepareDatabase(databaseUrl, () => undefined);
    cluster = await Cluster.start({ databaseUrl, nodes: 3, env: { ADMIN_PASSWORD } });
    slug = await publishEssay(cluster.baseUrl, ADMIN_PASSWORD);
  });

  after(async () => {
    await cluster?.stop();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gives every reader every event once and in order while writers post through every process', async () => {
    const { catchUpMs } = await survives(cluster, slug, () => Promise.resolve());
    console.log(`readers current ${catchUpMs} ms after the last write`);
  });

  it('loses nothing when a process is killed with SIGKILL under load and comes back', async () => {
    const { catchUpMs, retries } = await survives(cluster, slug, async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await cluster.kill(1, 'SIGKILL');
      await cluster.restart(1);
    });
    console.log(`SIGKILL: readers current ${catchUpMs} ms after the node was back; ${retries} writes sent again`);
  });

  it('loses nothing through a rolling restart (SIGTERM, one process after the other)', async () => {
    const { catchUpMs, retries } = await survives(cluster, slug, () => cluster.rollingRestart());
    console.log(`rolling restart: readers current ${catchUpMs} ms after it; ${retries} writes sent again`);
  });

  it('loses nothing when PostgreSQL restarts under load', async () => {
    const { catchUpMs, retries } = await survives(
      cluster,
      slug,
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        await server.stop();
        server = await startEmbeddedPostgres({
          dataDir,
          port,
          persistent: true,
          throwaway: true,
          log: () => undefined,
        });
      },
      { joinsMayBeRefused: true },
    );
    console.log(`PostgreSQL restart: readers current ${catchUpMs} ms after it; ${retries} writes sent again`);
  });
});

describe('live updates across three processes with Redis, through a Redis restart', () => {
  let cluster: Cluster;
  let database: { drop(): Promise<void> } | undefined;
  let slug: string;

  before(async () => {
    const created = await newTestDatabase();
    database = created;
    cluster = await Cluster.start({ databaseUrl: created.url, nodes: 3, redis: true, env: { ADMIN_PASSWORD } });
    slug = await publishEssay(cluster.baseUrl, ADMIN_PASSWORD);
  });

  after(async () => {
    await cluster?.stop();
    await database?.drop();
  });

  it('loses nothing when Redis restarts under load', async () => {
    const { catchUpMs } = await survives(cluster, slug, async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await cluster.restartRedis();
    });
    console.log(`Redis restart: readers current ${catchUpMs} ms after it`);
  });
});
