import { Injectable } from '@nestjs/common';

/** How live events reach the other processes: through PostgreSQL, through Redis, or not at all (a single process). */
export type LiveFanoutMode = 'postgres' | 'redis' | 'none';

export interface LiveFanoutState {
  mode: LiveFanoutMode;
  /** Events from other processes arrive (always true without cross-process fan-out). */
  up: boolean;
  /** Since when it has been up, or down. */
  since: Date;
}

/**
 * The fan-out's state, for readiness. The Socket.IO adapter (set up outside the module graph, in the app factory)
 * attaches its source here; until then, and without one, there is nothing to wait for.
 */
@Injectable()
export class LiveFanoutStatus {
  private source?: () => LiveFanoutState;
  private readonly createdAt = new Date();

  attach(source: () => LiveFanoutState): void {
    this.source = source;
  }

  state(): LiveFanoutState {
    return this.source?.() ?? { mode: 'none', up: true, since: this.createdAt };
  }
}
