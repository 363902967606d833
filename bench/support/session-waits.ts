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
  /** The lock waits by what was waited for, most first: the mean number of sessions in each. */
  locks: LockWait[];
}

/**
 * One kind of lock wait: the lock (its type, and its table or advisory key), the statement that waits, and the last
 * statement of the session holding it (for a row, the one that locked it, or the COMMIT that will release it).
 */
export interface LockWait {
  lock: string;
  waiting: string;
  holder: string;
  sessions: number;
}

/** How often pg_stat_activity is read: cheap enough not to load the server, often enough for a 20 s window. */
const INTERVAL_MS = 20;
/** Statements are told apart by their beginning, whitespace folded (the app's statements carry $n, not values). */
const STATEMENT_CHARS = 90;

interface Sample {
  state: string;
  type: string | null;
  event: string | null;
  locktype: string | null;
  relation: number | null;
  objid: number | null;
  waiting: string | null;
  holder: string | null;
}

/**
 * Samples pg_stat_activity for the sessions of one database, from a connection to another one (the server's
 * maintenance database), so that its own backend is neither sampled nor counted in the database's CPU time. A session
 * waiting on a lock is joined with the lock it has not been granted (pg_locks) and with the session that blocks it
 * (pg_blocking_pids), so that the waits can be named, not only counted.
 */
export class SessionWaitSampler {
  private readonly counts = { samples: 0, lock: 0, app: 0, wal: 0, running: 0 };
  /** Lock waits seen, by kind: the relation as an oid until stop() names it. */
  private readonly locks = new Map<string, { wait: Omit<LockWait, 'sessions'>; relation: number | null; n: number }>();
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: pg.Client,
    private readonly serverUrl: string,
    private readonly databaseName: string,
  ) {}

  /** Connects to `serverUrl` and starts sampling the sessions of `databaseName`. */
  static async start(serverUrl: string, databaseName: string): Promise<SessionWaitSampler> {
    const client = new pg.Client({ connectionString: serverUrl, application_name: 'bench-session-waits' });
    await client.connect();
    const sampler = new SessionWaitSampler(client, serverUrl, databaseName);
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
    const names = await this.relationNames([...this.locks.values()].flatMap((l) => l.relation ?? []));
    return {
      samples,
      lock: mean(counts.lock),
      app: mean(counts.app),
      wal: mean(counts.wal),
      running: mean(counts.running),
      locks: [...this.locks.values()]
        .sort((a, b) => b.n - a.n)
        .map(({ wait, relation, n }) => ({
          ...wait,
          lock: relation === null ? wait.lock : `${wait.lock} on ${names.get(relation) ?? relation}`,
          sessions: samples === 0 ? 0 : n / samples,
        })),
    };
  }

  private async sample(): Promise<void> {
    while (this.running) {
      const { rows } = await this.client.query<Sample>(
        `SELECT a.state, a.wait_event_type AS type, a.wait_event AS event, l.locktype, l.relation::int8 AS relation,
                l.objid::int8 AS objid, left(regexp_replace(a.query, '\\s+', ' ', 'g'), $2) AS waiting,
                CASE WHEN a.wait_event_type = 'Lock' THEN (
                  SELECT left(regexp_replace(b.query, '\\s+', ' ', 'g'), $2) FROM pg_stat_activity b
                   WHERE b.pid = (pg_blocking_pids(a.pid))[1] LIMIT 1) END AS holder
           FROM pg_stat_activity a
           LEFT JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted AND a.wait_event_type = 'Lock'
          WHERE a.datname = $1 AND a.backend_type = 'client backend' AND a.state <> 'idle'`,
        [this.databaseName, STATEMENT_CHARS],
      );
      this.counts.samples += 1;
      for (const row of rows) {
        if (row.type === 'Lock') {
          this.counts.lock += 1;
          this.countLock(row);
        } else if (row.state.startsWith('idle in transaction')) this.counts.app += 1;
        else if (row.event === 'WalSync' || row.event === 'WALWrite' || row.event === 'WalWrite') this.counts.wal += 1;
        else this.counts.running += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    }
  }

  private countLock(row: Sample): void {
    const relation = row.relation === null ? null : Number(row.relation);
    const lock = `${row.locktype ?? row.event ?? '?'}${row.locktype === 'advisory' ? ` ${row.objid}` : ''}`;
    const waiting = row.waiting ?? '';
    const holder = row.holder ?? '(gone)';
    const key = `${lock}\u0000${relation}\u0000${waiting}\u0000${holder}`;
    const seen = this.locks.get(key) ?? { wait: { lock, waiting, holder }, relation, n: 0 };
    seen.n += 1;
    this.locks.set(key, seen);
  }

  /** Table names for the relations' oids, read in the sampled database itself (an oid means nothing elsewhere). */
  private async relationNames(oids: number[]): Promise<Map<number, string>> {
    if (oids.length === 0) return new Map();
    const url = new URL(this.serverUrl);
    url.pathname = `/${this.databaseName}`;
    const client = new pg.Client({ connectionString: url.toString(), application_name: 'bench-session-waits' });
    await client.connect();
    try {
      const { rows } = await client.query<{ oid: number; name: string }>(
        'SELECT oid::int8 AS oid, relname AS name FROM pg_class WHERE oid = ANY($1::oid[])',
        [[...new Set(oids)]],
      );
      return new Map(rows.map((row) => [Number(row.oid), row.name]));
    } finally {
      await client.end();
    }
  }
}
