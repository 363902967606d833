import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type LongTimeout, setLongTimeout } from '../common/long-timer.js';
import { PeriodicTask } from '../common/periodic-task.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { EventBus } from '../events/event-bus.js';
import { UsersRepository } from '../users/users.repository.js';

/** After the end date, so that the database's clock agrees the ban is over. */
const GRACE_MS = 250;

/** How often every process looks for bans ending soon that it holds no timer for (set by another process). */
const SWEEP_EVERY_MS = 30_000;

/**
 * A ban with an end date ends by itself: at that moment the user's open connections, in every process, are told
 * (`user.unbanned`) and a moderator's connections rejoin the moderators' room. The process that set the ban keeps a
 * timer for it; every process reads the bans back at start and, every 30 s, those ending within the next sweep, so
 * neither a restart nor a process that dies forgets one. The database decides which process clears a ban, so the
 * user hears of it once.
 */
@Injectable()
export class BanExpiry implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Bans');
  private readonly timers = new Map<string, LongTimeout>();
  private readonly sweeper = new PeriodicTask('ban expiry sweep', SWEEP_EVERY_MS, () => this.sweep());
  private closed = false;

  constructor(
    private readonly users: UsersRepository,
    private readonly uow: UnitOfWork,
    private readonly bus: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const { id, until } of await this.users.findTimedBans()) this.schedule(id, until);
    this.sweeper.start();
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.sweeper.stop();
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  /** The user's ban now ends at `until` (null: it has no end, or was lifted). */
  schedule(userId: string, until: Date | null): void {
    this.timers.get(userId)?.cancel();
    this.timers.delete(userId);
    if (!until || this.closed) return;
    const timer = setLongTimeout(
      () => {
        this.timers.delete(userId);
        void this.end(userId).catch((error: unknown) =>
          this.logger.warn(`ending the ban of user ${userId}: ${String(error)}`),
        );
      },
      until.getTime() + GRACE_MS - Date.now(),
    );
    this.timers.set(userId, timer);
  }

  /** Bans ending before the next sweep (or already over and not cleared) that this process has no timer for. */
  async sweep(): Promise<void> {
    for (const { id, until } of await this.users.findTimedBans(2 * SWEEP_EVERY_MS)) {
      if (!this.timers.has(id)) this.schedule(id, until);
    }
  }

  private async end(userId: string): Promise<void> {
    const ended = await this.uow.run(async (tx) => {
      const ended = await this.users.endExpiredBan(userId, tx);
      if (ended) this.bus.record(tx, { type: 'user.unbanned', payload: { userId, role: ended.role } });
      return ended !== null;
    });
    if (ended) return;
    // Not this process's to clear (another did), or renewed meanwhile: wait for the new end, if there is one.
    const renewed = await this.users.findBanEnd(userId);
    if (renewed && renewed.getTime() > Date.now()) this.schedule(userId, renewed);
  }
}
