import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** A database transaction, handed from a service to repositories; services never touch it themselves. */
export type Tx = EntityManager;

interface Hooks {
  /** Work that belongs to the transaction but is best done once, at its end (e.g. queueing jobs for its events). */
  beforeCommit: ((tx: Tx) => Promise<void>)[];
  commit: (() => void)[];
  rollback: (() => void)[];
}

/** Runs a service's work in one transaction: everything or nothing. */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger('UnitOfWork');
  private readonly hooks = new WeakMap<Tx, Hooks>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    let current: Tx | undefined;
    let result: T;
    try {
      // PostgreSQL's default isolation (READ COMMITTED): no extra SET TRANSACTION round trip.
      result = await this.dataSource.transaction(async (tx) => {
        current = tx;
        const value = await work(tx);
        await this.runBeforeCommit(tx);
        return value;
      });
    } catch (error) {
      if (current) this.runHooks(current, 'rollback');
      throw error;
    }
    if (current) this.runHooks(current, 'commit');
    return result;
  }

  /**
   * Reads that must agree with each other (an article's blocks and the event number they are current to) in one
   * REPEATABLE READ snapshot. Read-only: it takes no locks and writes nothing.
   */
  snapshot<T>(read: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      await tx.query('SET TRANSACTION READ ONLY');
      return read(tx);
    });
  }

  /**
   * Runs `hook` in the transaction after the work is done, just before it commits, in the order the hooks were added;
   * a hook that fails rolls the transaction back like the work itself would.
   */
  beforeCommit(tx: Tx, hook: (tx: Tx) => Promise<void>): void {
    this.hooksOf(tx).beforeCommit.push(hook);
  }

  /** Runs `hook` once the transaction has committed, in the order the hooks were added (e.g. to hand events on). */
  afterCommit(tx: Tx, hook: () => void): void {
    this.hooksOf(tx).commit.push(hook);
  }

  /** Runs `hook` if the transaction rolls back (e.g. to forget an event number it took). */
  onRollback(tx: Tx, hook: () => void): void {
    this.hooksOf(tx).rollback.push(hook);
  }

  private hooksOf(tx: Tx): Hooks {
    let hooks = this.hooks.get(tx);
    if (!hooks) {
      hooks = { beforeCommit: [], commit: [], rollback: [] };
      this.hooks.set(tx, hooks);
    }
    return hooks;
  }

  /** A before-commit hook may add another (it records an event): those run too, in turn. */
  private async runBeforeCommit(tx: Tx): Promise<void> {
    const hooks = this.hooks.get(tx)?.beforeCommit;
    if (!hooks) return;
    for (let index = 0; index < hooks.length; index += 1) await hooks[index](tx);
  }

  /** A hook that throws is logged: the transaction's outcome stands, and the other hooks still run. */
  private runHooks(tx: Tx, which: 'commit' | 'rollback'): void {
    const hooks = this.hooks.get(tx);
    if (!hooks) return;
    this.hooks.delete(tx);
    for (const hook of hooks[which]) {
      try {
        hook();
      } catch (error) {
        this.logger.error(`an after-${which} hook failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
