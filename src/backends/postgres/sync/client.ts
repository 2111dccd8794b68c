/**
 * `SyncPgClient`: synchronous PostgreSQL for the better-sqlite3-shaped backend. A worker thread
 * owns the `pg` connections; each call posts a request and waits on `Atomics.wait` (see
 * sync-channel.ts), so the API stays synchronous without deasync.
 *
 * Never a hang: a call returns within `timeoutMs` (REGISTRY_PG_TIMEOUT_MS) plus a short grace.
 * When the timeout passes, the statement is cancelled on the server and the caller gets
 * SQLITE_INTERRUPT once the cancellation lands; if neither the statement nor the cancellation is
 * answered within the grace, the server is presumed gone (SQLITE_IOERR, the connection is
 * dropped); if the worker thread itself died or stopped answering, SQLITE_IOERR too and the next
 * call starts a new thread. Values come back as PostgreSQL's text, for the value shaper.
 *
 * Transaction control goes through `begin`/`commit`/`rollback`/`savepoint`/`release`/`rollbackTo`,
 * never through `query('BEGIN')`: the worker must know which connection a transaction pinned.
 */
import { performance } from 'node:perf_hooks';
import { SyncChannel } from './channel';
import { commitOutcomeUnknown, failureError, serverSilentError, timeoutError, workerLostError, type ErrorContext } from '../core/failure-errors';
import { writeLockKey } from '../core/write-lock-key';
import { describeTarget } from '../core/setup';
import { objectRows } from '../core/open-schema';
import type { WriteLockObjects } from '../core/write-lock';
import type {
  CursorBatch, CursorOpened, DescribeResult, FieldInfo, LastStatement, QueryStep, RawRow, RawValue, Reply, ReplyValue, Request, WorkerConfig,
  SavepointAction, TransactionMode, WireResult,
} from '../core/protocol';

export type { CursorBatch, DescribeResult, FieldInfo, RawRow, RawValue, TransactionMode } from '../core/protocol';
export { PgServerError } from '../core/failure-errors';

export interface SyncPgClientOptions {
  connectionString: string;
  /** Connections the worker may open: one per transaction or open cursor, one for the rest. Default 10. */
  poolSize?: number;
  /** REGISTRY_PG_TIMEOUT_MS: longest a call waits; also the server's `statement_timeout`. Default 30000. */
  timeoutMs?: number;
  /** Statements run once on every new connection (`SET search_path TO ...`, `SET TIME ZONE 'UTC'`). */
  statementSetup?: string[];
  applicationName?: string;
  /** What the BEGIN IMMEDIATE/EXCLUSIVE advisory lock is derived from: the schema. Default `engine_registry`. */
  writeLockScope?: string;
  /**
   * SQLite's write lock: the schema whose `_registry_write_lock` view and `_registry_last_writer`
   * sequence coordinate writers (see worker-write-lock.ts). Without it, transactions are
   * PostgreSQL's own (READ COMMITTED; BEGIN IMMEDIATE takes an advisory lock).
   */
  writeLock?: WriteLockObjects;
  /** How long a writer waits for the write lock before SQLITE_BUSY. Default 90% of timeoutMs. */
  busyTimeoutMs?: number;
  /** `transaction`: behind a transaction-mode pooler (REGISTRY_PG_POOLER). Default `none`. */
  pooler?: 'none' | 'transaction';
  /** Test seam: the script the worker thread runs (a wrapper around worker/main.js injecting faults). */
  workerPath?: string | URL;
}

export interface SyncQueryOptions {
  /** Named prepared statement: parsed once per connection, later calls only bind and execute. */
  name?: string;
  /** The statement changes the database: with `writeLock`, it runs under the write lock. */
  write?: boolean;
  /**
   * `'array'` (the default, and the cheapest): rows as arrays in the order of `fields`, which keeps
   * duplicate column names apart; `'object'`: objects keyed by column name (the last one wins).
   */
  rowMode?: 'array' | 'object';
}

export type RowObject = Record<string, RawValue>;

export interface SyncQueryResult<Row> {
  rows: Row[];
  fields: FieldInfo[];
  rowCount: number;
  command: string;
}

/** An open cursor and its first batch (`done`: exhausted and closed already). */
export interface SyncCursor extends CursorBatch {
  cursor: number;
}

interface CursorEntry {
  /** The worker thread holding the cursor: a restarted worker no longer has it. */
  channel: SyncChannel;
  workerId: number;
}

// Statements that would open or end a transaction behind the worker's back.
const TRANSACTION_CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT|SAVEPOINT|RELEASE)\b/i;

export class SyncPgClient {
  private channel: SyncChannel | null = null;
  private inTx = false;
  private callCount = 0;
  private closed = false;
  /** A request of this thread timed out: work of it may still run there, so the thread is not handed on. */
  private tainted = false;
  private readonly cursors = new Map<number, CursorEntry>();
  private lastCursor = 0;
  private readonly timeoutMs: number;
  private readonly graceMs: number;
  private readonly target: string;

  constructor(private readonly options: SyncPgClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be a positive number of milliseconds, got ${this.timeoutMs}`);
    // Time for a cancellation to come back: a new TCP connection plus the statement's error.
    // At least a second: a busy server forks a process for the cancel request before it acts on it.
    this.graceMs = Math.min(Math.max(this.timeoutMs / 2, 1000), 2000);
    this.target = describeTarget(options.connectionString);
  }

  get inTransaction(): boolean {
    return this.inTx;
  }

  /** How many requests this client has sent and waited for (every statement, transaction control, fetch). */
  get calls(): number {
    return this.callCount;
  }

  get open(): boolean {
    return !this.closed;
  }

  query(text: string, values: unknown[] | undefined, options: SyncQueryOptions & { rowMode: 'object' }): SyncQueryResult<RowObject>;
  query(text: string, values?: unknown[], options?: SyncQueryOptions & { rowMode?: 'array' }): SyncQueryResult<RawRow>;
  query(text: string, values: unknown[] = [], options: SyncQueryOptions = {}): SyncQueryResult<RawRow | RowObject> {
    if (TRANSACTION_CONTROL.test(text)) {
      throw new TypeError(
        `Run transaction control through begin(), commit(), rollback(), savepoint(), release() or rollbackTo(), not query(): ${text.trim().slice(0, 40)}`,
      );
    }
    const request: Request = {
      kind: 'query', id: 0, text, values,
      ...(options.name !== undefined && { name: options.name }),
      ...(options.write === true && { write: true }),
    };
    const result = this.call(request, 'query') as WireResult;
    if (options.rowMode === 'object') (result as SyncQueryResult<RawRow | RowObject>).rows = objectRows(result).rows;
    return result;
  }

  /**
   * Several statements run as one, in one round trip: they succeed or fail together (inside a
   * transaction, under one statement savepoint); the rows of all of them and the sum of their counts.
   */
  queryEach(steps: QueryStep[], options: { write?: boolean } = {}): WireResult {
    const request: Request = { kind: 'queryEach', id: 0, steps, ...(options.write === true && { write: true }) };
    return this.call(request, 'query') as WireResult;
  }

  /** Parameter types and result columns (null: no rows) of a statement, without running it. */
  describe(text: string): DescribeResult {
    return this.call({ kind: 'describe', id: 0, text }, 'prepare') as DescribeResult;
  }

  begin(mode: TransactionMode = 'deferred'): void {
    this.pendingLast = undefined; // never carried into another transaction
    this.call({ kind: 'begin', id: 0, mode }, mode === 'deferred' ? 'BEGIN' : `BEGIN ${mode.toUpperCase()}`);
  }

  /**
   * `last` runs just before the COMMIT that ends the open transaction (a COMMIT, or the RELEASE
   * that commits), in the same round trip, as a write; its rows are then `lastRows`. A COMMIT
   * whose `last` fails commits nothing.
   */
  beforeCommit(last: LastStatement): void {
    this.pendingLast = last;
    this.lastRows = undefined;
  }

  /** The rows of the `beforeCommit` statement, once the COMMIT it went with succeeded. */
  lastRows: RawRow[] | undefined;
  private pendingLast: LastStatement | undefined;

  commit(): void {
    const last = this.pendingLast;
    this.pendingLast = undefined;
    const value = this.call({ kind: 'commit', id: 0, ...(last && { last }) }, 'COMMIT');
    if (last) this.lastRows = (value as WireResult).rows;
  }

  rollback(): void {
    this.pendingLast = undefined;
    this.call({ kind: 'rollback', id: 0 }, 'ROLLBACK');
  }

  savepoint(name: string): void {
    this.savepointAction('savepoint', name, 'SAVEPOINT');
  }

  release(name: string): void {
    this.savepointAction('release', name, 'RELEASE');
  }

  rollbackTo(name: string): void {
    this.savepointAction('rollbackTo', name, 'ROLLBACK TO');
  }

  /**
   * Opens a server-side cursor over a SELECT (or VALUES) and reads its first batch in the same
   * round trip. Outside a transaction the cursor holds a connection until it is exhausted
   * (`done`, closed by then) or `closeCursor` is called: an iteration that stops early must call it.
   */
  openCursor(text: string, values: unknown[], batchSize: number): SyncCursor {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    const opened = this.call({ kind: 'openCursor', id: 0, text, values, batchSize }, 'query') as CursorOpened;
    const cursor = ++this.lastCursor;
    if (!opened.done) this.cursors.set(cursor, { channel: this.channel!, workerId: opened.cursor });
    return { cursor, rows: opened.rows, fields: opened.fields, done: opened.done };
  }

  /** The cursor's next batch; `done` once it is exhausted (it is then closed already). */
  fetch(cursor: number): CursorBatch {
    const entry = this.cursors.get(cursor);
    if (!entry) return { rows: [], fields: [], done: true };
    if (entry.channel !== this.channel) {
      this.cursors.delete(cursor);
      throw new TypeError(`Cursor ${cursor} was lost with the worker thread that held it.`);
    }
    let batch: CursorBatch;
    try {
      batch = this.call({ kind: 'fetch', id: 0, cursor: entry.workerId }, 'query') as CursorBatch;
    } catch (err) {
      this.cursors.delete(cursor);
      throw err;
    }
    if (batch.done) this.cursors.delete(cursor);
    return batch;
  }

  /** Closes a cursor early (an iteration that stopped); does not wait for the worker. */
  closeCursor(cursor: number): void {
    const entry = this.cursors.get(cursor);
    if (!entry) return;
    this.cursors.delete(cursor);
    if (entry.channel === this.channel && this.channel.alive) {
      this.channel.send({ kind: 'closeCursor', id: 0, cursor: entry.workerId });
    }
  }

  /** Ends the connections and the worker thread; waits briefly for a clean goodbye. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const channel = this.channel;
    this.channel = null;
    this.inTx = false;
    this.cursors.clear();
    if (!channel) return;
    if (channel.alive) {
      const id = channel.send({ kind: 'close', id: 0 });
      const deadline = performance.now() + Math.min(this.timeoutMs, 2000);
      let reply = channel.next(deadline);
      while (typeof reply !== 'string' && reply.id !== id) reply = channel.next(deadline);
      // A clean goodbye: the thread is kept for the next client of this process.
      if (typeof reply !== 'string' && reply.ok && !this.tainted) return channel.park();
    }
    channel.dispose();
  }

  private savepointAction(action: SavepointAction, name: string, operation: string): void {
    if (typeof name !== 'string' || name === '') throw new TypeError('Expected a savepoint name (a non-empty string)');
    if (!this.inTx) this.pendingLast = undefined; // never carried into another transaction
    const last = action === 'release' ? this.pendingLast : undefined;
    try {
      const value = this.call({ kind: 'savepoint', id: 0, action, name, ...(last && { last }) }, operation);
      if (value !== null && last) {
        this.pendingLast = undefined;
        this.lastRows = (value as WireResult).rows;
      }
    } finally {
      if (!this.inTx) this.pendingLast = undefined;
    }
  }

  private call(request: Request, operation: string): ReplyValue {
    if (this.closed) throw new TypeError('The database connection is not open');
    this.callCount++;
    const channel = this.channel ?? this.start();
    const ctx = this.context(operation);
    const id = channel.send(request);
    const reply = awaitReply(channel, id, performance.now() + this.timeoutMs);
    if (reply === 'exited') throw this.workerLost(ctx, 'stopped');
    if (reply === 'timeout') return this.afterTimeout(channel, id, ctx);
    return this.settle(reply, ctx);
  }

  /**
   * The timeout passed: cancel the statement, then wait a short grace for the outcome. A reply
   * means the server is alive (a statement that finished at the deadline is still a success); only
   * the cancel's acknowledgement means the worker is alive but the server silent; nothing at all
   * means the worker is stuck.
   */
  private afterTimeout(channel: SyncChannel, id: number, ctx: ErrorContext): ReplyValue {
    this.tainted = true;
    const cancelId = channel.send({ kind: 'cancel', id: 0, target: id });
    const deadline = performance.now() + this.graceMs;
    let acknowledged = false;
    for (;;) {
      const reply = channel.next(deadline);
      if (reply === 'exited') throw this.workerLost(ctx, 'stopped');
      if (reply === 'timeout') break;
      if (reply.id === cancelId) acknowledged = true;
      if (reply.id !== id) continue;
      if (!reply.ok && (reply.failure.kind === 'cancelled' || reply.failure.pg?.code === '57014')) {
        this.inTx = reply.inTransaction;
        throw timeoutError(ctx, reply.failure.pg);
      }
      return this.settle(reply, ctx);
    }
    if (!acknowledged) throw this.workerLost(ctx, 'stopped answering');
    channel.send({ kind: 'abandon', id: 0, target: id });
    this.inTx = false;
    if (ctx.operation === 'COMMIT') {
      throw commitOutcomeUnknown(`PostgreSQL at ${ctx.target} did not answer it within ${ctx.timeoutMs} ms (REGISTRY_PG_TIMEOUT_MS)`);
    }
    throw serverSilentError(ctx);
  }

  private settle(reply: Reply, ctx: ErrorContext): ReplyValue {
    this.inTx = reply.inTransaction;
    if (reply.ok) return reply.value;
    throw failureError(reply.failure, ctx);
  }

  private workerLost(ctx: ErrorContext, how: string): Error {
    this.channel?.dispose();
    this.channel = null;
    this.inTx = false;
    if (ctx.operation === 'COMMIT') return commitOutcomeUnknown(`the PostgreSQL worker thread ${how} while it ran`);
    return workerLostError(ctx, how);
  }

  private start(): SyncChannel {
    const { options } = this;
    const config: WorkerConfig = {
      connectionString: options.connectionString,
      poolSize: options.poolSize ?? 10,
      timeoutMs: this.timeoutMs,
      statementSetup: options.statementSetup ?? [],
      applicationName: options.applicationName ?? 'swarm-registry-adapter',
      writeLockKey: writeLockKey(options.writeLockScope ?? 'engine_registry').toString(),
      ...(options.writeLock && { writeLock: options.writeLock }),
      ...(options.busyTimeoutMs !== undefined && { busyTimeoutMs: options.busyTimeoutMs }),
      pooler: options.pooler ?? 'none',
    };
    this.channel = SyncChannel.reuse(config, options.workerPath) ?? new SyncChannel(config, options.workerPath);
    this.tainted = false;
    this.inTx = false;
    return this.channel;
  }

  private context(operation: string): ErrorContext {
    return { operation, timeoutMs: this.timeoutMs, target: this.target, inTransaction: this.inTx };
  }
}

/** The reply to request `id`; replies to earlier, timed-out requests are dropped on the way. */
function awaitReply(channel: SyncChannel, id: number, deadline: number): Reply | 'timeout' | 'exited' {
  for (;;) {
    const reply = channel.next(deadline);
    if (typeof reply === 'string' || reply.id === id) return reply;
  }
}


