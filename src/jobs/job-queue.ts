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
import { type Tx } from '../database/unit-of-work.js';
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
 * Every 15 s each process says its workers are alive, and releases the jobs of workers that have not said so for 60 s
 * (a process killed mid-job): such a job runs again within about a minute and a quarter, instead of after
 * graphile-worker's own four-hour lock. 60 s is four heartbeats: a loaded process that misses one is not taken for
 * dead, and a job that runs long (a slow SMTP server) is not taken from a worker that is alive.
 */
export const JOB_WORKER_HEARTBEAT_MS = 15_000;
export const JOB_WORKER_STALE_SECONDS = 60;

/** After its database went away, a new worker is started after 1 s, then 2, 4, … up to 30 s while it fails. */
const RESTART_FIRST_DELAY_MS = 1_000;
const RESTART_MAX_DELAY_MS = 30_000;

/**
 * The durable job queue: graphile-worker on our own PostgreSQL. Domains add jobs with {@link enqueue} in their own
 * transaction (the job is queued if and only if their write commits); providers register a handler per task in their
 * onModuleInit. The worker starts with the app when at least one task has a handler (no handler: no worker, no
 * connections), runs up to JOB_CONCURRENCY jobs at a time on a pool of its own (one more connection listens for new jobs), retries a
 * failed job with exponential backoff, and stops with the app after the job in hand ends. A worker whose database
 * went away is replaced, and the jobs it held are released. A process killed in the middle of a job leaves it locked;
 * the workers' heartbeat (job_workers) lets any other process release it about a minute later, so a crash delays
 * that job but loses none.
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
  /** The running worker's ids (graphile-worker's), for the heartbeat. */
  private workerIds: string[] = [];
  private readonly heartbeat = new PeriodicTask('job worker heartbeat', JOB_WORKER_HEARTBEAT_MS, () =>
    this.beat(JOB_WORKER_STALE_SECONDS),
  );

  constructor(
    private readonly jobs: JobsRepository,
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

  /** Who runs a task's jobs; one handler per task, registered before the app starts (in onModuleInit). */
  register(task: string, handler: JobHandler): void {
    if (this.runner) throw new Error(`The job runner has started: register ${task} in onModuleInit.`);
    if (this.handlers.has(task)) throw new Error(`Task ${task} has a handler already.`);
    this.handlers.set(task, handler);
  }

  /**
   * Queues a registered task on a schedule: `pattern` is a cron pattern in UTC (minute hour day month weekday).
   * graphile-worker queues each run once however many processes run a worker (its job key is the schedule and the
   * time), and after a stop it still queues a run missed within the hour before (`fill`).
   */
  schedule(task: string, pattern: string): void {
    if (this.runner) throw new Error(`The job runner has started: schedule ${task} in onModuleInit.`);
    if (!/^(\S+ ){4}\S+$/.test(pattern)) throw new Error(`Not a cron pattern: ${pattern}`);
    this.schedules.push({ task, match: pattern, options: { backfillPeriod: 3_600_000 } });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.handlers.size === 0) return;
    this.pool = new pg.Pool({
      connectionString: (this.dataSource.options as { url: string }).url,
      max: JOB_CONCURRENCY + 1,
      application_name: 'essay-forum-jobs',
    });
    // An idle connection the server closed is reported here; the pool replaces it, the worker reconnects its LISTEN.
    const lost = (error: Error) => this.logger.warn(`job queue connection: ${error.message}`);
    this.pool.on('error', lost);
    this.pool.on('connect', (client) => client.on('error', lost));
    await this.startRunner(this.pool);
    this.heartbeat.start();
  }

  /**
   * One heartbeat: this process's workers are alive; the jobs of workers not seen for `staleSeconds` are released.
   * Run by the periodic task; public for tests.
   */
  async beat(staleSeconds: number): Promise<string[]> {
    await this.jobs.heartbeat(this.workerIds);
    const released = await this.jobs.releaseLostWorkers(staleSeconds);
    if (released.length > 0)
      this.logger.warn(`released the jobs of ${released.length} job worker(s) that stopped answering`);
    return released;
  }

  /** Stops taking jobs and waits for the one in hand (a mail being sent) to end, then closes the pool. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.heartbeat.stop();
    const runner = this.runner;
    this.runner = undefined;
    try {
      await runner?.stop();
      await this.jobs.forgetWorkers(this.workerIds).catch(() => undefined);
    } finally {
      await this.pool?.end();
      this.pool = undefined;
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
    // Its workers' ids, to release what they held should it stop: heard from the start (run() creates them).
    const workerIds: string[] = [];
    const events: WorkerEvents = new EventEmitter();
    events.on('worker:create', ({ worker }) => workerIds.push(worker.workerId));
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
    this.workerIds = workerIds;
    // Not fatal: the next heartbeat registers them.
    await this.jobs.heartbeat(workerIds).catch(() => undefined);
    runner.promise.then(
      () => this.ended(runner, workerIds, null),
      (error: unknown) => this.ended(runner, workerIds, error),
    );
  }

  /** A worker that ends while the app is not stopping (its database went away) is replaced. */
  private ended(runner: Runner, workerIds: string[], error: unknown): void {
    if (this.stopping || this.runner !== runner) return;
    this.runner = undefined;
    // No longer said to be alive: should this process fail to start another, other processes release its jobs.
    this.workerIds = [];
    const cause = error instanceof Error ? error.message.split('\n')[0] : 'its database went away';
    this.logger.warn(`the job worker stopped (${cause}); starting another`);
    this.restartTimer = setTimeout(() => void this.restart(workerIds, 1), RESTART_FIRST_DELAY_MS);
  }

  /**
   * Starts a new worker once the database answers: first the jobs the stopped one held are released (a job whose end
   * could not be written stays locked for four hours otherwise; it runs again, which its handler allows), then the
   * worker starts. A failure is tried again with a doubling delay.
   */
  private async restart(deadWorkerIds: string[], attempt: number): Promise<void> {
    if (this.stopping || !this.pool) return;
    try {
      await this.jobs.unlockWorkers(deadWorkerIds);
      await this.startRunner(this.pool);
      this.logger.log('the job worker runs again');
    } catch (error) {
      const delay = Math.min(RESTART_MAX_DELAY_MS, RESTART_FIRST_DELAY_MS * 2 ** attempt);
      this.logger.warn(
        `the job worker could not start (${error instanceof Error ? error.message : String(error)}); again in ${delay} ms`,
      );
      if (!this.stopping) this.restartTimer = setTimeout(() => void this.restart(deadWorkerIds, attempt + 1), delay);
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
