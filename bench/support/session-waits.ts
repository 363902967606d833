import pg from 'pg';

/** What the database's sessions were doing, on average over the samples: how many of them were in each state. */
export interface SessionWaits {
  samples: number;
  /** Waiting for a lock another transaction holds (with writers on one essay: its row, numbering the next event). */
  lock: number;
  /** In a transaction, waiting for the app's next statement (the app is working, or waiting for a core). */
  app: number;
  /** Committing: writing or flushing the WAL. */
  wal: number;
  /** Running a statement (on a core or waiting for one), or waiting for anything else. */
  running: number;
}

/** How often pg_stat_activity is read: cheap enough not to load the server, often enough for a 20 s window. */
const INTERVAL_MS = 20;

/**
 * Samples pg_stat_activity for the sessions of one database, from a connection to another one (the server's
 * maintenance database), so that its own backend is neither sampled nor counted in the database's CPU time.
 */
export class SessionWaitSampler {
  private readonly counts = { samples: 0, lock: 0, app: 0, wal: 0, running: 0 };
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: pg.Client,
    private readonly databaseName: string,
  ) {}

  /** Connects to `serverUrl` and starts sampling the sessions of `databaseName`. */
  static async start(serverUrl: string, databaseName: string): Promise<SessionWaitSampler> {
    const client = new pg.Client({ connectionString: serverUrl, application_name: 'bench-session-waits' });
    await client.connect();
    const sampler = new SessionWaitSampler(client, databaseName);
    sampler.running = true;
    sampler.loop = sampler.sample();
    return sampler;
  }

  /** Stops sampling and closes the connection; answers the means. */
  async stop(): Promise<SessionWaits> {
    this.running = false;
    await this.loop;
    await this.client.end();
    const { samples, ...counts } = this.counts;
    const mean = (n: number) => (samples === 0 ? 0 : Math.round((n / samples) * 100) / 100);
    return {
      samples,
      lock: mean(counts.lock),
      app: mean(counts.app),
      wal: mean(counts.wal),
      running: mean(counts.running),
    };
  }

  private async sample(): Promise<void> {
    while (this.running) {
      const { rows } = await this.client.query<{ state: string; type: string | null; event: string | null }>(
        `SELECT state, wait_event_type AS type, wait_event AS event FROM pg_stat_activity
          WHERE datname = $1 AND backend_type = 'client backend' AND state <> 'idle'`,
        [this.databaseName],
      );
      this.counts.samples += 1;
      for (const row of rows) {
        if (row.type === 'Lock') this.counts.lock += 1;
        else if (row.state.startsWith('idle in transaction')) this.counts.app += 1;
        else if (row.event === 'WalSync' || row.event === 'WALWrite' || row.event === 'WalWrite') this.counts.wal += 1;
        else this.counts.running += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    }
  }
}
