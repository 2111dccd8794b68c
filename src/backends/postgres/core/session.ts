/**
 * What the caller's one logical connection looks like inside the worker: statements go to any
 * pooled connection, except inside a transaction, which pins one connection from BEGIN to
 * COMMIT/ROLLBACK.
 *
 * With the write lock's objects configured (the facade always configures them), transactions
 * behave as SQLite's (see worker-write-lock.ts): a deferred BEGIN opens a REPEATABLE READ
 * transaction, whose snapshot is taken by its first statement; a statement the caller marks as a
 * write takes the write lock first (and, in a transaction that has read, checks that no other
 * writer committed since: else SQLITE_BUSY); BEGIN IMMEDIATE/EXCLUSIVE take the lock at BEGIN; a
 * write outside a transaction runs in a transaction of its own that takes the lock. The lock wait
 * is bounded by `lock_timeout` (the busy timeout), so a writer kept out too long gets
 * PostgreSQL's 55P03 (SQLITE_BUSY, as SQLite's busy timeout) before the caller's own timeout.
 *
 * Without them (a bare SyncPgClient), isolation is PostgreSQL's default, READ COMMITTED, and
 * BEGIN IMMEDIATE/EXCLUSIVE take a transaction-level advisory lock keyed by the schema.
 */
import { OWN_HEAD, run, type ConnectionPool, type PgConnection } from './connections';
import { SqliteUsageError } from './failures';
import type { RequestContext } from './request-context';
import { lastResult, LockStepFailure, Transaction } from './transaction';
import { combinedResult, type WireBatch, type WireStep } from './wire-query';
import { staleSnapshotError, WriteLockSql } from './write-lock';
import { busyTimeout } from './busy-timeout';
import { quoteIdent } from '../../../policy/identifiers';
import type { DescribeResult, LastStatement, SavepointAction, TransactionMode, WireResult, WorkerConfig } from './protocol';

export class Session {
  tx: Transaction | null = null;
  /** Called when a transaction ends, with the cursors that ended with it. */
  onTransactionEnd: (cursors: ReadonlySet<number>) => void = () => {};

  private readonly lock: WriteLockSql | null;

  constructor(
    readonly pool: ConnectionPool,
    private readonly config: WorkerConfig,
  ) {
    this.lock = config.writeLock ? new WriteLockSql(config.writeLock) : null;
  }

  /** Runs one statement; `write`: it changes the database, so it needs the write lock. */
  async query(ctx: RequestContext, text: string, values: unknown[], name?: string, write = false): Promise<WireResult> {
    const batch: WireBatch =
      values.length === 0 && name === undefined ? { simple: text } : { steps: [{ text, values, name, target: true }] };
    return this.send(ctx, batch, write, lastResult);
  }

  /**
   * Runs several statements as one (Translation.steps): one batch, so they succeed or fail
   * together; the answer has their rows one after the other and the sum of their counts.
   */
  async queryEach(ctx: RequestContext, steps: readonly WireStep[], write = false): Promise<WireResult> {
    return this.send(ctx, { steps: steps.map((step) => ({ ...step, target: true })) }, write, combinedResult);
  }

  private async send(ctx: RequestContext, batch: WireBatch, write: boolean, pick: (results: WireResult[]) => WireResult): Promise<WireResult> {
    const tx = this.tx;
    const lock = write ? this.lock : null;
    if (tx) {
      if (!lock) return tx.serial(async () => pick((await tx.guarded(ctx, batch)).results));
      return tx.serial(async () => pick((await this.guardedWrite(ctx, tx, lock, batch)).results));
    }
    if (!lock) return this.withConnection(async (conn) => pick((await this.alone(ctx, conn, batch)).results));
    return this.withConnection(async (conn) => pick(await this.autocommitWrite(ctx, conn, lock, batch)));
  }

  /**
   * A write inside a transaction: the lock (and the stale-snapshot check) the first time, in a
   * round trip of its own before the statement, so that a statement that then fails (a duplicate
   * key) keeps the lock, as SQLite keeps its write lock after a failed write.
   */
  private async guardedWrite(ctx: RequestContext, tx: Transaction, lock: WriteLockSql, batch: WireBatch) {
    if (tx.lockDepth === null && 'steps' in batch) {
      // The lock and the statement in one round trip; the lock is kept when only the statement failed.
      const depth = tx.savepoints.length;
      try {
        const result = await tx.guardedWithLock(ctx, batch, [lock.acquire, lock.checkAndRecord]);
        tx.lockDepth = depth;
        tx.recorded = true;
        return result;
      } catch (err) {
        if (!(err instanceof LockStepFailure)) throw err;
        if (err.locked) {
          tx.lockDepth = depth;
          tx.recorded = true;
          throw err.cause;
        }
        throw staleSnapshotError(err.cause) ?? err.cause;
      }
    }
    if (tx.lockDepth === null) {
      try {
        await tx.takeLock(ctx, [lock.acquire, lock.checkAndRecord]);
      } catch (err) {
        throw staleSnapshotError(err) ?? err;
      }
      tx.lockDepth = tx.savepoints.length;
      tx.recorded = true;
      return tx.guarded(ctx, batch);
    }
    if (tx.recorded) return tx.guarded(ctx, batch);
    const result = await tx.guarded(ctx, batch, [lock.record]);
    tx.recorded = true;
    return result;
  }

  /**
   * A write outside a transaction: the lock is taken by the first statement of the batch's
   * implicit transaction (one Sync, or one simple-protocol text) and released when it commits.
   * Behind a transaction pooler the set-up goes in front of it, in the same implicit transaction.
   */
  private async autocommitWrite(ctx: RequestContext, conn: PgConnection, lock: WriteLockSql, batch: WireBatch): Promise<WireResult[]> {
    const wrapped: WireBatch =
      'simple' in batch ? { simple: `${WriteLockSql.simple([lock.autocommit])}${batch.simple}` } : { steps: [lock.autocommit, ...batch.steps] };
    return (await this.alone(ctx, conn, wrapped)).results.slice(1);
  }

  async describe(ctx: RequestContext, text: string): Promise<DescribeResult> {
    const batch: WireBatch = { steps: [{ text, describeOnly: true }] };
    const tx = this.tx;
    const described = tx
      ? await tx.serial(async () => (await tx.guarded(ctx, batch)).describe)
      : await this.withConnection(async (conn) => (await this.alone(ctx, conn, batch)).describe);
    return described ?? { paramTypes: [], fields: null };
  }

  async begin(ctx: RequestContext, mode: TransactionMode): Promise<void> {
    if (this.tx) throw new SqliteUsageError('cannot start a transaction within a transaction', 'SQLITE_ERROR');
    if (mode === 'deferred') {
      // Sent with the transaction's first statement (transaction.ts).
      const begin = [this.deferredBegin(), ...this.pool.transactionBegin].map((text) => ({ text }));
      this.tx = new Transaction(await this.pool.acquire(), false, begin);
      return;
    }
    await this.open(ctx, this.lockedBegin(), false);
    this.tx!.lockDepth = 0;
  }

  /** Commits; with `last`, that statement runs first in the same round trip, and its result is the answer. */
  async commit(ctx: RequestContext, last?: LastStatement): Promise<WireResult | null> {
    const tx = this.requireTransaction('cannot commit - no transaction is active');
    if (last) return this.commitWith(ctx, tx, last);
    await this.finish(ctx, tx, 'COMMIT');
    return null;
  }

  /**
   * `last` (a write: under the write lock, taken in the same round trip when the transaction does
   * not hold it yet), then COMMIT, in one round trip. When `last` fails, nothing is committed: the
   * transaction is rolled back, as PostgreSQL ends a transaction whose COMMIT failed.
   */
  private async commitWith(ctx: RequestContext, tx: Transaction, last: LastStatement): Promise<WireResult> {
    const lock = this.lock;
    const steps: WireStep[] = [];
    if (lock && tx.lockDepth === null) steps.push(lock.acquire, lock.checkAndRecord);
    else if (lock && !tx.recorded) steps.push(lock.record);
    steps.push({ text: last.text, values: last.values, name: last.name, target: true }, { text: 'COMMIT' });
    try {
      return await tx.serial(async () => {
        try {
          const { query, head } = await tx.send(ctx, { steps });
          return query.results[head + steps.length - 2]!;
        } catch (err) {
          if (!tx.conn.broken && tx.begun) await run(tx.conn, { simple: 'ROLLBACK' }).catch(() => undefined);
          throw staleSnapshotError(err) ?? err;
        }
      });
    } finally {
      this.end(tx, false);
    }
  }

  async rollback(ctx: RequestContext): Promise<void> {
    const tx = this.requireTransaction('cannot rollback - no transaction is active');
    try {
      await this.finish(ctx, tx, 'ROLLBACK');
    } catch (err) {
      // A connection that died took its transaction with it: that is a rollback too.
      if (!tx.conn.broken) throw err;
    }
  }

  /** SQLite's SAVEPOINT / RELEASE / ROLLBACK TO, including a SAVEPOINT that starts a transaction. */
  async savepoint(ctx: RequestContext, action: SavepointAction, name: string, last?: LastStatement): Promise<WireResult | null> {
    const quoted = quoteIdent(name);
    if (action === 'savepoint' && !this.tx) {
      await this.open(ctx, `${this.deferredBegin()}; SAVEPOINT ${quoted}`, true);
      this.tx!.savepoints.push(name);
      return null;
    }
    const tx = this.tx;
    const index = tx ? findSavepoint(tx.savepoints, name) : -1;
    if (action === 'savepoint') {
      await tx!.serial(() => tx!.send(ctx, { simple: `SAVEPOINT ${quoted}` }));
      tx!.savepoints.push(name);
      return null;
    }
    // Checked here because PostgreSQL would abort the whole transaction on an unknown savepoint.
    if (!tx || index === -1) throw new SqliteUsageError(`no such savepoint: ${name}`, 'SQLITE_ERROR');
    if (action === 'release' && index === 0 && tx.startedBySavepoint) {
      // This RELEASE commits: `last` goes with it (a RELEASE that does not commit leaves it for later).
      if (last) return this.commitWith(ctx, tx, last);
      await this.finish(ctx, tx, 'COMMIT');
      return null;
    }
    const stored = quoteIdent(tx.savepoints[index]!);
    const sql = action === 'release' ? `RELEASE SAVEPOINT ${stored}` : `ROLLBACK TO SAVEPOINT ${stored}`;
    await tx.serial(() => tx.send(ctx, { simple: sql }));
    tx.savepoints.length = action === 'release' ? index : index + 1;
    if (action === 'release') tx.releasedFrom(index);
    else tx.rolledBackTo(index);
    return null;
  }

  /** Runs `op` on a connection of its own, released afterwards (destroyed when it broke). */
  async withConnection<T>(op: (conn: PgConnection) => Promise<T>): Promise<T> {
    const conn = await this.pool.acquire();
    try {
      return await op(conn);
    } finally {
      this.pool.release(conn);
    }
  }

  /** Drops the transaction (rolled back by closing its connection), e.g. when that connection broke. */
  abort(): void {
    if (this.tx) this.end(this.tx, true);
  }

  /** A batch outside any transaction; behind a transaction pooler, preceded by the set-up in the same implicit transaction. */
  private async alone(ctx: RequestContext, conn: PgConnection, batch: WireBatch): Promise<{ results: WireResult[]; describe: DescribeResult | null }> {
    if (!this.pool.perTransaction) return ctx.run(conn, batch);
    const query = await ctx.run(conn, this.pool.ownTransaction(batch));
    return { results: query.results.slice(OWN_HEAD), describe: query.describe };
  }

  private async open(ctx: RequestContext, sql: string, bySavepoint: boolean): Promise<void> {
    const conn = await this.pool.acquire();
    try {
      await ctx.run(conn, { simple: this.pool.beginText(sql) });
    } catch (err) {
      // BEGIN may have succeeded before the lock (or savepoint) failed: leave no transaction open.
      if (!conn.broken) await run(conn, { simple: 'ROLLBACK' }).catch(() => undefined);
      this.pool.release(conn);
      throw err;
    }
    this.tx = new Transaction(conn, bySavepoint);
  }

  private async finish(ctx: RequestContext, tx: Transaction, sql: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    try {
      // A transaction that sent nothing has nothing to end on the server (asked after the
      // operations before it: one still running may send the BEGIN).
      await tx.serial(async () => (tx.begun ? ctx.run(tx.conn, { simple: sql }) : undefined));
    } finally {
      // Whatever the answer, PostgreSQL ended the transaction (a failed COMMIT rolls back).
      this.end(tx, false);
    }
  }

  private end(tx: Transaction, destroy: boolean): void {
    if (this.tx !== tx) return;
    this.tx = null;
    this.onTransactionEnd(tx.cursors);
    this.pool.release(tx.conn, destroy);
  }

  private requireTransaction(message: string): Transaction {
    if (!this.tx) throw new SqliteUsageError(message, 'SQLITE_ERROR');
    return this.tx;
  }

  private deferredBegin(): string {
    return this.lock ? 'BEGIN ISOLATION LEVEL REPEATABLE READ' : 'BEGIN';
  }

  private lockedBegin(): string {
    if (this.lock) return `BEGIN; ${this.lock.acquire.text}`;
    return (
      `BEGIN; SET LOCAL lock_timeout = ${busyTimeout(this.config)}; ` +
      `SELECT pg_advisory_xact_lock(${this.config.writeLockKey}); SET LOCAL lock_timeout = DEFAULT`
    );
  }
}

/** The innermost savepoint of that name (SQLite matches savepoint names case-insensitively). */
function findSavepoint(savepoints: string[], name: string): number {
  const wanted = name.toLowerCase();
  for (let i = savepoints.length - 1; i >= 0; i--) if (savepoints[i]!.toLowerCase() === wanted) return i;
  return -1;
}
