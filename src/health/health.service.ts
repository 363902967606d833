import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { LiveFanoutStatus } from '../common/live-fanout-status.js';
import { type CheckStatus, type ReadinessDto } from './dto/readiness.dto.js';
import { HealthRepository } from './health.repository.js';

/** A check that has not answered within this long counts as down: readiness answers in bounded time. */
export const CHECK_TIMEOUT_MS = 2_000;

/** Readiness: the database answers, the migrations are applied, live events from other processes arrive. */
@Injectable()
export class HealthService implements OnModuleDestroy {
  private stopping = false;
  /** Applied migrations stay applied: once seen, not asked again. */
  private migrationsSeen = false;

  constructor(
    private readonly repository: HealthRepository,
    private readonly fanout: LiveFanoutStatus,
  ) {}

  /** The first shutdown hook: from here on, readiness answers 503 at once, before anything drains. */
  onModuleDestroy(): void {
    this.stopping = true;
  }

  async readiness(): Promise<ReadinessDto> {
    const fanout = this.fanout.state();
    const liveFanout = { status: upOrDown(fanout.up), mode: fanout.mode, since: fanout.since.toISOString() };
    if (this.stopping) return { status: 'unavailable', stopping: true, checks: { liveFanout } };
    const [database, migrations] = await Promise.all([
      withinTimeout(this.repository.ping().then(() => true)),
      this.migrationsSeen ? Promise.resolve(true) : withinTimeout(this.repository.migrationsApplied()),
    ]);
    this.migrationsSeen ||= migrations;
    const ready = database && migrations && fanout.up && !this.stopping;
    return {
      status: ready ? 'ready' : 'unavailable',
      stopping: this.stopping,
      checks: { database: { status: upOrDown(database) }, migrations: { status: upOrDown(migrations) }, liveFanout },
    };
  }
}

function upOrDown(ok: boolean): CheckStatus {
  return ok ? 'up' : 'down';
}

/** True when the check passed in time; a failure or no answer is false (never thrown: its message stays here). */
async function withinTimeout(check: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
