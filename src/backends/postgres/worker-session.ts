/**
 * What the caller's one logical connection looks like inside the worker: statements go to any
 * pooled connection, except inside a transaction, which pins one connection from BEGIN to
 * COMMIT/ROLLBACK. Isolation is PostgreSQL's default, READ COMMITTED.
 *
 * BEGIN IMMEDIATE/EXCLUSIVE take a transaction-level advisory lock, the same key in every process
 * using the schema, so writers queue as they do on SQLite's write lock; a plain BEGIN takes none.
 * The lock wait is bounded by `lock_timeout` (90% of the caller's timeout), so a writer kept out
 * too long gets PostgreSQL's 55P03 (SQLITE_BUSY, as SQLite's busy timeout) before the caller's
 * own timeout fires.
 */
import { OWN_HEAD, run, type ConnectionPool, type PgConnection } from './worker-connections';
import { SqliteUsageError } from './worker-errors';
import type { RequestContext } from './worker-request-context';
import { lastResult, Transaction } from './worker-transaction';
import type { WireBatch } from './worker-wire-query';
import type { DescribeResult, SavepointAction, TransactionMode, WireResult, WorkerConfig } from './protocol';

export class Session {
  tx: Transaction | null = null;
  /** Called when a transaction ends, with the cursors that ended with it. */
  onTransactionEnd: (cursors: ReadonlySet<number>) => void = () => {};

  constructor(
    readonly pool: ConnectionPool,
    private readonly config: WorkerConfig,
  ) {}

  async query(ctx: RequestContext, text: string, values: unknown[], name?: string): Promise<WireResult> {
    const batch: WireBatch =
      values.length === 0 && name === undefined ? { simple: text } : { steps: [{ text, values, name, target: true }] };
    const tx = this.tx;
    if (tx) return tx.serial(async () => lastResult((await tx.guarded(ctx, batch)).results));
    return this.withConnection(async (conn) => lastResult((await this.alone(ctx, conn, batch)).results));
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
    await this.open(ctx, mode === 'deferred' ? 'BEGIN' : this.lockedBegin(), false);
  }

  async commit(ctx: RequestContext): Promise<void> {
    const tx = this.requireTransaction('cannot commit - no transaction is active');
    await this.finish(ctx, tx, 'COMMIT');
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
  async savepoint(ctx: RequestContext, action: SavepointAction, name: string): Promise<void> {
    const quoted = quoteIdentifier(name);
    if (action === 'savepoint' && !this.tx) {
      await this.open(ctx, `BEGIN; SAVEPOINT ${quoted}`, true);
      this.tx!.savepoints.push(name);
      return;
    }
    const tx = this.tx;
    const index = tx ? findSavepoint(tx.savepoints, name) : -1;
    if (action === 'savepoint') {
      await tx!.serial(() => ctx.run(tx!.conn, { simple: `SAVEPOINT ${quoted}` }));
      tx!.savepoints.push(name);
      return;
    }
    // Checked here because PostgreSQL would abort the whole transaction on an unknown savepoint.
    if (!tx || index === -1) throw new SqliteUsageError(`no such savepoint: ${name}`, 'SQLITE_ERROR');
    if (action === 'release' && index === 0 && tx.startedBySavepoint) {
      await this.finish(ctx, tx, 'COMMIT');
      return;
    }
    const stored = quoteIdentifier(tx.savepoints[index]!);
    const sql = action === 'release' ? `RELEASE SAVEPOINT ${stored}` : `ROLLBACK TO SAVEPOINT ${stored}`;
    await tx.serial(() => ctx.run(tx.conn, { simple: sql }));
    tx.savepoints.length = action === 'release' ? index : index + 1;
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
      await tx.serial(() => ctx.run(tx.conn, { simple: sql }));
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

  private lockedBegin(): string {
    const lockTimeout = Math.max(1, Math.floor(this.config.timeoutMs * 0.9));
    return (
      `BEGIN; SET LOCAL lock_timeout = ${lockTimeout}; ` +
      `SELECT pg_advisory_xact_lock(${this.config.writeLockKey}); SET LOCAL lock_timeout = DEFAULT`
    );
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The innermost savepoint of that name (SQLite matches savepoint names case-insensitively). */
function findSavepoint(savepoints: string[], name: string): number {
  const wanted = name.toLowerCase();
  for (let i = savepoints.length - 1; i >= 0; i--) if (savepoints[i]!.toLowerCase() === wanted) return i;
  return -1;
}
