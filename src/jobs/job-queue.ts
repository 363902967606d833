import { EventEmitter } from 'node:events';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type CronItem,
  Logger as WorkerLogger,
  type LogLevel,
  parseCronItems,
  run,
  type Runner,
  type Task,
  type WorkerEvents,
} from 'graphile-worker';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { type JobKeyMode, JobsRepository } from './jobs.repository.js';

export interface EnqueueOptions {
  /** Not before this time (default: now). */
  runAt?: Date;
  /** A job with the same key that has not started yet is replaced (see jobKeyMode): debouncing, e.g. one digest. */
  jobKey?: string;
  jobKeyMode?: JobKeyMode;
  /** Attempts before the job is given up (default 25, graphile-worker's: about three days of backoff). */
  maxAttempts?: number;
}

/** A task's handler: its promise resolving completes the job; a throw or a rejection fails it, to retry later. */
export type JobHandler = (payload: unknown) => Promise<void>;

/**
 * How often the worker looks for jobs whose time has come (retries, jobs scheduled later). New jobs are announced at
 * once (LISTEN/NOTIFY); this only bounds how late a retry starts after its backoff (graphile-worker's exp(attempt)
 * seconds: 2.7 s, 7.4 s, 20 s, ...). 1 s instead of the library's 2 s: one cheap indexed query a second.
 */
const POLL_INTERVAL_MS = 1000;

/**
 * Jobs one process runs at once: two, so that a slow SMTP server holding one mail does not hold up the fan-out of
 * notifications behind it. The worker's pool has one connection more, for its LISTEN.
 */
const JOB_CONCURRENCY = 2;

/**
 * Every 15 s the process running the worker says its worker pool is alive, and every process releases the jobs of
 * pools that have not said so for 60 s (a process killed mid-job): such a job runs again within about a minute and a
 * quarter, instead of after graphile-worker's own four-hour lock. 60 s is four heartbeats: a loaded process that misses
 * one is not taken for dead, and a job that runs long (a slow SMTP server) is not taken from a pool that is alive.
 */
export const JOB_WORKER_HEARTBEAT_MS = 15_000;
export const JOB_WORKER_STALE_SECONDS = 60;

/** After its database went away, a new worker is started after 1 s, then 2, 4, … up to 30 s while it fails. */
const RESTART_FIRST_DELAY_MS = 1_000;
const RESTART_MAX_DELAY_MS = 30_000;

/**
 * How often a process that does not run the worker asks for the runner's lock: with the time PostgreSQL takes to see
 * a dead process's session end (at once for a killed process on a live host), how long the queue can go without a
 * worker. A new job waits at most that long, and the ask is one cheap statement.
 */
export const JOB_RUNNER_ELECTION_MS = 2_000;

/**
 * The durable job queue: graphile-worker on our own PostgreSQL. Domains add jobs with {@link enqueue} in their own
 * transaction (the job is queued if and only if their write commits); providers register a handler per task in their
 * onModuleInit.
 *
 * One process at a time runs the worker: the one holding the runner's advisory lock, on a connection of its own. Each
 * new job's NOTIFY makes every listening worker look for it, so with a worker in each of three processes, three
 * fetches raced for every job (two found nothing): with one runner, one does. The others ask for the lock every
 * {@link JOB_RUNNER_ELECTION_MS} and one takes over when the runner's session ends (its process stopped or died, or its
 * connection was lost, after which that process stops its worker). The worker starts when at least one task has a
 * handler (no handler: no worker, no connections), runs up to JOB_CONCURRENCY jobs at a time on a pool of its own (one
 * more connection listens for new jobs), retries a failed job with exponential backoff, and stops with the app after
 * the job in hand ends. A worker whose database went away is replaced, and the jobs it held are released. A process
 * killed in the middle of a job leaves it locked; the heartbeat (job_workers) lets any other process release it about
 * a minute later, so a crash delays that job but loses none.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<string, JobHandler>();
  /** Tasks queued on a schedule. */
  private readonly schedules: CronItem[] = [];
  private runner?: Runner;
  private pool?: pg.Pool;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  /** The session holding (or asking for) the runner's lock; the lock is ours while `leading`. */
  private session?: pg.Client;
  private leading = false;
  private electionTimer?: NodeJS.Timeout;
  /** A worker's start in progress ({@link restart}), awaited by the shutdown. */
  private starting?: Promise<void>;
  /** The running worker pool's id (graphile-worker's: the id it locks jobs under), for the heartbeat. */
  private poolIds: string[] = [];
  /** Pools of this process that stopped without a clean end: their jobs are released before the next one starts. */
  private orphanedPoolIds: string[] = [];
  private readonly heartbeat = new PeriodicTask('job worker heartbeat', JOB_WORKER_HEARTBEAT_MS, () =>
    this.beat(JOB_WORKER_STALE_SECONDS),
  );

  constructor(
    private readonly jobs: JobsRepository,
    private readonly uow: UnitOfWork,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Adds a job in the caller's transaction. */
  async enqueue(tx: Tx, task: string, payload: unknown, options: EnqueueOptions = {}): Promise<void> {
    await this.jobs.add(tx, {
      task,
      payload,
      runAt: options.runAt ?? null,
      jobKey: options.jobKey ?? null,
      jobKeyMode: options.jobKeyMode ?? null,
      maxAttempts: options.maxAttempts ?? null,
    });
  }

  /**
   * Adds a job in the round trip that commits the caller's transaction (UnitOfWork.closeWith), ahead of the closing
   * statements added after this: the job exists if and only if the transaction commits, at no round trip of its own.
   */
  enqueueAtCommit(tx: Tx, task: string, payload: unknown): void {
    this.uow.closeWith(
      tx,
      this.jobs.addStatement({ task, payload, runAt: null, jobKey: null, jobKeyMode: null, maxAttempts: null }),
    );
  }

  /** Who runs a task's jobs; one handler per task, registered before the app starts (in onModuleInit). */
  register(task: string, handler: JobHandler): void {
    if (this.pool) throw new Error(`The job runner has started: register ${task} in onModuleInit.`);
    if (this.handlers.has(task)) throw new Error(`Task ${task} has a handler already.`);
    this.handlers.set(task, handler);
  }

  /**
   * Queues a registered task on a schedule: `pattern` is a cron pattern in UTC (minute hour day month weekday).
   * graphile-worker queues each run once however many workers run (its job key is the schedule and the time), and
   * after a stop it still queues a run missed within the hour before (`fill`).
   */
  schedule(task: string, pattern: string): void {
    if (this.pool) throw new Error(`The job runner has started: schedule ${task} in onModuleInit.`);
    if (!/^(\S+ ){4}\S+$/.test(pattern)) throw new Error(`Not a cron pattern: ${pattern}`);
    this.schedules.push({ task, match: pattern, options: { backfillPeriod: 3_600_000 } });
  }

  /** Whether this process runs the worker now (it holds the runner's lock). */
  get isRunner(): boolean {
    return this.leading;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.handlers.size === 0) return;
    this.pool = new pg.Pool({
      connectionString: this.databaseUrl(),
      max: JOB_CONCURRENCY + 1,
      application_name: 'essay-forum-jobs',
    });
    // An idle connection the server closed is reported here; the pool replaces it, the worker reconnects its LISTEN.
    const lost = (error: Error) => this.logger.warn(`job queue connection: ${error.message}`);
    this.pool.on('error', lost);
    this.pool.on('connect', (client) => client.on('error', lost));
    this.heartbeat.start();
    // The first ask is awaited: a single process starts with its worker running.
    await this.campaign();
  }

  /**
   * One heartbeat: this process's worker pool is alive; the jobs of pools not seen for `staleSeconds` are released.
   * Run by the periodic task; public for tests.
   */
  async beat(staleSeconds: number): Promise<string[]> {
    await this.jobs.heartbeat(this.poolIds);
    const released = await this.jobs.releaseLostWorkers(staleSeconds);
    if (released.length > 0)
      this.logger.warn(`released the jobs of ${released.length} job worker pool(s) that stopped answering`);
    return released;
  }

  /** Stops taking jobs and waits for the one in hand (a mail being sent) to end, then lets the lock and pool go. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearTimeout(this.electionTimer);
    this.heartbeat.stop();
    try {
      // A worker being started now is stopped once started: left to run, it would find its pool ended below and try
      // again and again, keeping the process alive.
      await this.starting;
      await this.stopRunner();
    } finally {
      this.leading = false;
      await this.session?.end().catch(() => undefined);
      this.session = undefined;
      await this.pool?.end();
      this.pool = undefined;
    }
  }

  private databaseUrl(): string {
    return (this.dataSource.options as { url: string }).url;
  }

  /**
   * Asks for the runner's lock. Got: the worker starts (or, left from before the lock was lost, keeps running).
   * Another process holds it: a worker left running here stops after its jobs in hand. Asked again every
   * JOB_RUNNER_ELECTION_MS until the lock is ours; a failure (no database) is logged and asked again likewise.
   */
  private async campaign(): Promise<void> {
    this.electionTimer = undefined;
    if (this.stopping || this.leading) return;
    try {
      const session = this.session ?? (await this.openSession());
      const taken = await this.jobs.tryTakeRunnerLock(session);
      if (this.stopping || this.session !== session) return;
      if (taken) {
        this.leading = true;
        if (!this.runner && !this.restartTimer) await this.restart(1);
      } else if (this.runner) {
        this.logger.warn('another process runs the job worker now; this one stops its own');
        await this.stopRunner();
      }
    } catch (error) {
      this.logger.warn(`could not ask for the job runner's lock: ${messageOf(error)}`);
    } finally {
      if (!this.leading && !this.stopping && !this.electionTimer)
        this.electionTimer = setTimeout(() => void this.campaign(), JOB_RUNNER_ELECTION_MS);
    }
  }

  private async openSession(): Promise<pg.Client> {
    const session = new pg.Client({ connectionString: this.databaseUrl(), application_name: 'essay-forum-jobs' });
    session.on('error', (error: Error) => this.sessionLost(session, error.message));
    session.on('end', () => this.sessionLost(session, 'the connection ended'));
    await session.connect();
    if (this.stopping) {
      await session.end().catch(() => undefined);
      throw new Error('the app is stopping');
    }
    this.session = session;
    return session;
  }

  /**
   * The lock's session is gone, and with it the lock: this process asks for it again. Its worker is left alone
   * meanwhile: when the database went away it stops by itself (and is started again only under the lock), and when
   * only the session was lost it keeps running until another process is found holding the lock.
   */
  private sessionLost(session: pg.Client, reason: string): void {
    if (this.session !== session) return;
    this.session = undefined;
    session.end().catch(() => undefined);
    if (this.stopping) return;
    if (this.leading) this.logger.warn(`the job runner's lock was lost (${reason}); asking for it again`);
    this.leading = false;
    clearTimeout(this.electionTimer);
    this.electionTimer = setTimeout(() => void this.campaign(), JOB_RUNNER_ELECTION_MS);
  }

  /** Stops the running worker after its jobs in hand; its pool leaves the registry (its jobs are released if not). */
  private async stopRunner(): Promise<void> {
    const runner = this.runner;
    const poolIds = this.poolIds;
    this.runner = undefined;
    this.poolIds = [];
    if (!runner) return;
    try {
      await runner.stop();
      await this.jobs.forgetWorkers(poolIds);
    } catch (error) {
      this.orphanedPoolIds.push(...poolIds);
      this.logger.warn(`the job worker did not stop cleanly: ${messageOf(error)}`);
    }
  }

  /**
   * Starts a worker. Jobs are completed and failed through graphile-worker's batching (with no delay): a database that
   * goes away as a job ends then stops this worker (the library's own reaction to a queue it cannot update) rather
   * than leaving a promise rejection nobody handles, which would end the process. {@link restart} starts another.
   */
  private async startRunner(pool: pg.Pool): Promise<void> {
    const taskList: Record<string, Task> = {};
    for (const [task, handler] of this.handlers) taskList[task] = (payload) => handler(payload);
    // Its pool's id, to release what it held should it stop: heard from the start (run() creates the pool).
    const poolIds: string[] = [];
    const events: WorkerEvents = new EventEmitter();
    events.on('pool:create', ({ workerPool }) => poolIds.push(workerPool.id));
    const runner = await run({
      pgPool: pool,
      events,
      taskList,
      parsedCronItems: parseCronItems(this.schedules),
      concurrency: JOB_CONCURRENCY,
      pollInterval: POLL_INTERVAL_MS,
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      // The app's own shutdown stops the worker (onModuleDestroy); it installs no signal handlers of its own.
      noHandleSignals: true,
      logger: new WorkerLogger(() => (level, message) => this.log(level, message)),
    });
    this.runner = runner;
    this.poolIds = poolIds;
    // Not fatal: the next heartbeat registers it.
    await this.jobs.heartbeat(poolIds).catch(() => undefined);
    runner.promise.then(
      () => this.ended(runner, poolIds, null),
      (error: unknown) => this.ended(runner, poolIds, error),
    );
  }

  /** A worker that ends while the app is not stopping (its database went away) is replaced while this process leads. */
  private ended(runner: Runner, poolIds: string[], error: unknown): void {
    if (this.stopping || this.runner !== runner) return;
    this.runner = undefined;
    // No longer said to be alive: should this process fail to start another, other processes release its jobs.
    this.poolIds = [];
    this.orphanedPoolIds.push(...poolIds);
    const cause = error instanceof Error ? error.message.split('\n')[0] : 'its database went away';
    this.logger.warn(`the job worker stopped (${cause}); starting another`);
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.restart(1), RESTART_FIRST_DELAY_MS);
  }

  /**
   * Starts a worker while this process holds the runner's lock, once the database answers: first the jobs of its
   * earlier pools that stopped are released (a job whose end could not be written stays locked for four hours
   * otherwise; it runs again, which its handler allows), then the worker starts. A failure is tried again with a
   * doubling delay.
   */
  private restart(attempt: number): Promise<void> {
    this.restartTimer = undefined;
    if (this.stopping || !this.pool || !this.leading || this.runner || this.starting) return Promise.resolve();
    const starting = this.startAgain(this.pool, attempt).finally(() => {
      this.starting = undefined;
    });
    this.starting = starting;
    return starting;
  }

  /** {@link restart}'s work; it never fails (a failure is logged and tried again later). */
  private async startAgain(pool: pg.Pool, attempt: number): Promise<void> {
    try {
      const orphaned = this.orphanedPoolIds;
      await this.jobs.unlockWorkers(orphaned);
      this.orphanedPoolIds = this.orphanedPoolIds.filter((id) => !orphaned.includes(id));
      await this.startRunner(pool);
      if (attempt > 1 || orphaned.length > 0) this.logger.log('the job worker runs again');
    } catch (error) {
      const delay = Math.min(RESTART_MAX_DELAY_MS, RESTART_FIRST_DELAY_MS * 2 ** attempt);
      this.logger.warn(`the job worker could not start (${messageOf(error)}); again in ${delay} ms`);
      if (!this.stopping) this.restartTimer = setTimeout(() => void this.restart(attempt + 1), delay);
    }
  }

  /**
   * graphile-worker's messages: a failed job (`Failed task ...`, retried later) and anything else at error or warning
   * level are logged as they are, first line only (a stack trace does not help the operator read the cause); its
   * routine news (connected, completed) at debug.
   */
  private log(level: LogLevel, message: string): void {
    const line = message.split('\n')[0].replace(/:$/, '');
    const name = level as string;
    if (name === 'error') this.logger.error(line);
    else if (name === 'warning') this.logger.warn(line);
    else this.logger.debug(line);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
