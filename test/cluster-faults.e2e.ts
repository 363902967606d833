import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureDatabase } from '../src/database/database-server.js';
import { type RunningPostgres, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { prepareDatabase } from '../src/database/prepare-database.js';
import { Cluster, clusterSkipReason } from './helpers/cluster.js';
import { publishEssay, statusesDuring, survives } from './helpers/cluster-load.js';

const ADMIN_PASSWORD = 'cluster-admin-password';

/**
 * The promise of live updates kept by the deployed topology (3 app processes behind HAProxy) through faults: readers
 * on every process, writers through the balancer, and a fault meanwhile (test/helpers/cluster-load.ts `survives`).
 * The Redis restart is in cluster.e2e.ts, on its Redis-mode cluster.
 */
describe(
  'live updates across three processes behind a load balancer, through faults',
  { skip: clusterSkipReason() },
  () => {
    let dataDir: string;
    let server: RunningPostgres;
    let port: number;
    let cluster: Cluster;
    let slug: string;

    before(async () => {
      // A PostgreSQL server of this suite's own: one test restarts it.
      dataDir = await mkdtemp(path.join(tmpdir(), 'forum-cluster-pg-'));
      server = await startEmbeddedPostgres({
        dataDir,
        port: 0,
        persistent: true,
        throwaway: true,
        log: () => undefined,
      });
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
      let statuses: number[] = [];
      const { catchUpMs, retries } = await survives(cluster, slug, async () => {
        statuses = await statusesDuring(cluster, `/api/articles/${slug}`, () => cluster.rollingRestart());
      });
      console.log(
        `rolling restart: readers current ${catchUpMs} ms after it; ${retries} writes sent again; ${statuses.length} reads`,
      );
      // The balancer took each stopping process out before it stopped: not one read failed meanwhile.
      assert.deepEqual(
        statuses.filter((status) => status !== 200),
        [],
        `every request answered during the rolling restart (${statuses.length})`,
      );
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
  },
);
