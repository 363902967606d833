import { Logger } from '@nestjs/common';

/** What a periodic task needs from a clock: call `tick` every `ms` until stopped. Real timers by default. */
export interface Scheduler {
  every(ms: number, tick: () => void): { stop(): void };
}

/** Where a failed run is reported; Nest's Logger by default. */
export interface WarnLogger {
  warn(message: string): void;
}

/** Node's timers, unref'd so that background work never keeps a process alive. */
export const timerScheduler: Scheduler = {
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  },
};

export interface PeriodicTaskOptions {
  scheduler?: Scheduler;
  logger?: WarnLogger;
}

/**
 * Background work run every `everyMs` (sweeps, pruning): a run never overlaps the previous one (a tick that comes
 * while the work is still going is skipped), and a failed run is logged once, at warn, with the task's name and the
 * error's message (no stack), then the next run happens as usual. `stop()` (on module destroy) ends it.
 */
export class PeriodicTask {
  private readonly logger: WarnLogger;
  private readonly scheduler: Scheduler;
  private handle?: { stop(): void };
  private running = false;

  constructor(
    readonly name: string,
    private readonly everyMs: number,
    private readonly work: () => Promise<unknown>,
    options: PeriodicTaskOptions = {},
  ) {
    this.logger = options.logger ?? new Logger('BackgroundTasks');
    this.scheduler = options.scheduler ?? timerScheduler;
  }

  start(): void {
    if (this.handle) return;
    this.handle = this.scheduler.every(this.everyMs, () => void this.tick());
  }

  stop(): void {
    this.handle?.stop();
    this.handle = undefined;
  }

  /** One run now, unless one is already going; never rejects. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.work();
    } catch (error) {
      this.logger.warn(`${this.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }
}
