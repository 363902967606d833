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
 * The fan-out's state, for readiness, and its recoveries, for live followers. The Socket.IO adapter (set up outside
 * the module graph, in the app factory) attaches its source and reports recoveries here; until then, and without one,
 * there is nothing to wait for.
 */
@Injectable()
export class LiveFanoutStatus {
  private source?: () => LiveFanoutState;
  private articleEvents?: () => boolean;
  private readonly createdAt = new Date();
  private readonly recoveryListeners: (() => void)[] = [];

  attach(source: () => LiveFanoutState): void {
    this.source = source;
  }

  /** Whether this process hears the articles' events (their own LISTEN connection): part of `up`. */
  attachArticleEvents(listening: () => boolean): void {
    this.articleEvents = listening;
  }

  /** Called each time the fan-out comes back after a loss. */
  onRecovered(listener: () => void): void {
    this.recoveryListeners.push(listener);
  }

  /** The fan-out is back after a loss: events other processes sent meanwhile did not arrive here. */
  recovered(): void {
    for (const listener of this.recoveryListeners) listener();
  }

  state(): LiveFanoutState {
    const state = this.source?.() ?? { mode: 'none', up: true, since: this.createdAt };
    return { ...state, up: state.up && (this.articleEvents?.() ?? true) };
  }
}
