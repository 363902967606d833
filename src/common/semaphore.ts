/** Work refused because the queue of a Semaphore is full. */
export class SemaphoreFullError extends Error {
  constructor() {
    super('Too much work is waiting already.');
    this.name = 'SemaphoreFullError';
  }
}

/**
 * At most `slots` holders at a time; the others wait in arrival order, at most `maxWaiting` of them: beyond that, run
 * rejects at once with SemaphoreFullError, so a burst cannot queue without end (each waiter holds memory, and every
 * later one waits behind them all).
 */
export class Semaphore {
  private readonly waiting: (() => void)[] = [];
  private free: number;

  constructor(
    slots: number,
    private readonly maxWaiting = Number.POSITIVE_INFINITY,
  ) {
    this.free = slots;
  }

  /** How many wait for a slot now. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else if (this.waiting.length >= this.maxWaiting) throw new SemaphoreFullError();
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
