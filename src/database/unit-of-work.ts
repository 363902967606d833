import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** A database transaction, handed from a service to repositories; services never touch it themselves. */
export type Tx = EntityManager;

/** Runs a service's work in one transaction: everything or nothing. */
@Injectable()
export class UnitOfWork {
  private readonly rollbackHooks = new WeakMap<Tx, (() => void)[]>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    let current: Tx | undefined;
    try {
      // PostgreSQL's default isolation (READ COMMITTED): no extra SET TRANSACTION round trip.
      return await this.dataSource.transaction((tx) => {
        current = tx;
        return work(tx);
      });
    } catch (error) {
      if (current) for (const hook of this.rollbackHooks.get(current) ?? []) hook();
      throw error;
    }
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

  /** Runs `hook` if the transaction rolls back (e.g. to forget an event number it took). */
  onRollback(tx: Tx, hook: () => void): void {
    const hooks = this.rollbackHooks.get(tx) ?? [];
    hooks.push(hook);
    this.rollbackHooks.set(tx, hooks);
  }
}
