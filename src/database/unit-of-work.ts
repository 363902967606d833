import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';

/** A database transaction, handed from a service to repositories; services never touch it themselves. */
export type Tx = EntityManager;

/** One SQL statement and its values (`$1`, `$2`, ...), as a repository writes it. */
export interface Statement {
  text: string;
  values: unknown[];
}

interface Closing {
  statement: Statement;
  /** Given the statement's rows once the transaction has committed (before the after-commit hooks). */
  read?: (rows: Record<string, unknown>[]) => void;
}

interface Hooks {
  /** Work that belongs to the transaction but is best done once, at its end (e.g. queueing jobs for its events). */
  beforeCommit: ((tx: Tx) => Promise<void>)[];
  closing: Closing[];
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
    const runner = this.dataSource.createQueryRunner();
    const tx = runner.manager;
    let result: T;
    try {
      // PostgreSQL's default isolation (READ COMMITTED): no extra SET TRANSACTION round trip.
      await runner.startTransaction();
      result = await work(tx);
      await this.runBeforeCommit(tx);
      const closing = this.hooks.get(tx)?.closing ?? [];
      if (closing.length === 0) await runner.commitTransaction();
      else await this.commitClosing(runner.connect() as Promise<pg.PoolClient>, closing);
    } catch (error) {
      // A failed statement leaves the transaction aborted (or, when COMMIT itself failed, already ended): either way
      // ROLLBACK ends it, and its own failure says nothing more than the error thrown.
      if (runner.isTransactionActive) await runner.query('ROLLBACK').catch(() => undefined);
      this.runHooks(tx, 'rollback');
      throw error;
    } finally {
      await runner.release();
    }
    this.runHooks(tx, 'commit');
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

  /**
   * Sends `statement` last, after the work and the before-commit hooks, in the same round trip as COMMIT (after any
   * closing statement added before it); `read` gets its rows once committed. For a statement that takes a lock every
   * writer of a row waits for (numbering an article's event): held from then until COMMIT, it is then held for no
   * round trip to the app at all. Its rows cannot be read inside the transaction, which has ended by then.
   */
  closeWith(tx: Tx, statement: Statement, read?: (rows: Record<string, unknown>[]) => void): void {
    this.hooksOf(tx).closing.push({ statement, read });
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
      hooks = { beforeCommit: [], closing: [], commit: [], rollback: [] };
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

  /**
   * The closing statements and COMMIT as one simple query (one round trip): the protocol's multi-statement form, which
   * takes no parameters, so the values are written into the text as literals, escaped by the driver. A statement that
   * fails aborts the transaction and skips what follows it, COMMIT included.
   */
  private async commitClosing(connecting: Promise<pg.PoolClient>, closing: Closing[]): Promise<void> {
    const client = await connecting;
    const texts = closing.map(({ statement }) => withLiterals(client, statement));
    const results = (await client.query([...texts, 'COMMIT'].join(';\n'))) as unknown as pg.QueryResult[];
    closing.forEach(({ read }, index) => read?.(results[index].rows as Record<string, unknown>[]));
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

/**
 * The statement with each `$n` replaced by its value as a literal: the text a repository wrote has no `$` elsewhere.
 * Values keep the meaning they have as parameters: an untyped literal, its type inferred from where it stands.
 */
function withLiterals(client: pg.PoolClient, { text, values }: Statement): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index >= values.length) throw new Error(`No value for $${n} in a closing statement.`);
    return literal(client, values[index]);
  });
}

function literal(client: pg.PoolClient, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('A closing statement takes finite numbers only.');
    return `'${value}'`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return client.escapeLiteral(value.toISOString());
  if (typeof value === 'string') return client.escapeLiteral(value);
  if (Array.isArray(value)) return client.escapeLiteral(`{${value.map((item) => arrayItem(item)).join(',')}}`);
  throw new Error(`A closing statement takes no value of type ${typeof value}.`);
}

/** An element of an array literal (`{"a","b"}`): quoted, its quotes and backslashes escaped. */
function arrayItem(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new Error('A closing statement takes arrays of strings or numbers only.');
  return `"${String(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
