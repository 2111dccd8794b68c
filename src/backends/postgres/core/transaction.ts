/**
 * An open transaction: the connection pinned to it, the caller's savepoints, and the statement
 * guard that keeps SQLite's behaviour. In SQLite a failing statement fails alone and the
 * transaction goes on; PostgreSQL would abort the whole transaction. So every statement inside a
 * transaction runs as `SAVEPOINT sra_stmt; statement; RELEASE SAVEPOINT sra_stmt`, sent in one
 * write with one Sync (one round trip), and a failure costs one more round trip to
 * `ROLLBACK TO SAVEPOINT sra_stmt`.
 *
 * A deferred transaction's BEGIN is sent with its first statement, not in a round trip of its
 * own: SQLite's deferred BEGIN does nothing until then either, and PostgreSQL's REPEATABLE READ
 * takes its snapshot at the first statement, not at BEGIN. A transaction that sends nothing
 * commits (or rolls back) without a round trip.
 */
import { CancelledError } from './failures';
import { completedSteps, run, type PgConnection } from './connections';
import type { RequestContext } from './request-context';
import { emptyResult, type WireBatch, type WireQuery, type WireStep } from './wire-query';
import type { DescribeResult, WireResult } from './protocol';
import { WriteLockSql } from './write-lock';

const STATEMENT_SAVEPOINT = 'sra_stmt';
const OPEN: WireStep = { text: `SAVEPOINT ${STATEMENT_SAVEPOINT}` };
const CLOSE: WireStep = { text: `RELEASE SAVEPOINT ${STATEMENT_SAVEPOINT}` };
const UNDO = `ROLLBACK TO SAVEPOINT ${STATEMENT_SAVEPOINT}; RELEASE SAVEPOINT ${STATEMENT_SAVEPOINT}`;
const LOCK_SAVEPOINT = 'sra_lock';
const LOCK_UNDO = `ROLLBACK TO SAVEPOINT ${LOCK_SAVEPOINT}; RELEASE SAVEPOINT ${LOCK_SAVEPOINT}`;

export class Transaction {
  /** The caller's savepoints, outermost first (SQLite's names, matched case-insensitively). */
  readonly savepoints: string[] = [];
  /** Cursors declared inside this transaction: they end with it. */
  readonly cursors = new Set<number>();
  /**
   * The write lock, when this transaction holds it: how many of the caller's savepoints were open
   * when it was taken (rolling back to one of those releases it, as PostgreSQL releases the locks
   * of a rolled-back savepoint). Null when the transaction does not hold it.
   */
  lockDepth: number | null = null;
  /** This transaction recorded itself as the last writer (done once, at its first write). */
  recorded = false;
  private tail: Promise<unknown> = Promise.resolve();
  /** The BEGIN (and a pooler's per-transaction set-up) the server has not seen yet; null once sent. */
  private pendingBegin: readonly WireStep[] | null;

  constructor(
    readonly conn: PgConnection,
    /** Started by a SAVEPOINT outside a transaction: releasing that savepoint commits (SQLite). */
    readonly startedBySavepoint: boolean,
    /** The statements that begin the transaction, when they go with its first batch. */
    begin: readonly WireStep[] | null = null,
  ) {
    this.pendingBegin = begin;
  }

  /** The server has seen the transaction's BEGIN (false: nothing was sent yet, so there is nothing to end). */
  get begun(): boolean {
    return this.pendingBegin === null;
  }

  /**
   * Sends a batch of this transaction, with the pending BEGIN in front; `head` is how many results
   * the BEGIN adds before the batch's own. A batch that reached the server has begun the
   * transaction, whether it then failed or not.
   */
  async send(ctx: RequestContext, batch: WireBatch): Promise<{ query: WireQuery; head: number }> {
    const begin = this.pendingBegin;
    if (!begin) return { query: await ctx.run(this.conn, batch), head: 0 };
    const sent: WireBatch = 'simple' in batch ? { simple: `${WriteLockSql.simple(begin)}${batch.simple}` } : { steps: [...begin, ...batch.steps] };
    try {
      const query = await ctx.run(this.conn, sent);
      this.pendingBegin = null;
      return { query, head: begin.length };
    } catch (err) {
      // Refused before it reached the server (a cancelled request): the BEGIN is still to send.
      if (!(err instanceof CancelledError)) this.pendingBegin = null;
      throw err;
    }
  }

  /** How many results a batch sent now gets in front of its own (the pending BEGIN's). */
  get head(): number {
    return this.pendingBegin?.length ?? 0;
  }

  /**
   * Runs `op` after every earlier operation of this transaction. A timed-out request may still be
   * running when the caller sends the next one; their batches (and a failure's undo) must not
   * interleave on the connection.
   */
  serial<T>(op: () => Promise<T>): Promise<T> {
    const result = this.tail.then(op);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs the statements of `batch` guarded by the statement savepoint; returns their results.
   * `prefix` runs first inside the same savepoint (the write lock's statements): its results are
   * left out, and a failure undoes it with the rest.
   */
  async guarded(ctx: RequestContext, batch: WireBatch, prefix: readonly WireStep[] = []): Promise<GuardedResult> {
    let sent: { query: WireQuery; head: number };
    try {
      sent = await this.send(ctx, wrap(batch, prefix));
    } catch (err) {
      if (!this.conn.broken && this.begun) await run(this.conn, { simple: UNDO }).catch(() => undefined);
      throw err;
    }
    return { results: sent.query.results.slice(sent.head + 1 + prefix.length, -1), describe: sent.query.describe };
  }

  /**
   * A transaction's first write, with the write lock's `steps` in front, in one round trip: the
   * lock's steps in a savepoint released into the transaction (as takeLock), then the statement
   * guarded as by `guarded`. `locked` tells whether the lock was taken, also when the statement
   * then failed (it keeps the lock, as a failed write in SQLite keeps the write lock).
   */
  async guardedWithLock(ctx: RequestContext, batch: { steps: readonly WireStep[] }, steps: readonly WireStep[]): Promise<GuardedResult> {
    const lock: WireStep[] = [{ text: `SAVEPOINT ${LOCK_SAVEPOINT}` }, ...steps, { text: `RELEASE SAVEPOINT ${LOCK_SAVEPOINT}` }];
    const head = this.head;
    let sent: { query: WireQuery; head: number };
    try {
      sent = await this.send(ctx, { steps: [...lock, OPEN, ...batch.steps, CLOSE] });
    } catch (err) {
      const locked = (completedSteps(err) ?? 0) - head >= lock.length;
      if (!this.conn.broken && this.begun) await run(this.conn, { simple: locked ? UNDO : LOCK_UNDO }).catch(() => undefined);
      throw new LockStepFailure(err, locked);
    }
    return { results: sent.query.results.slice(sent.head + lock.length + 1, -1), describe: sent.query.describe };
  }

  /**
   * Runs `steps` (taking the write lock) in a savepoint of their own that is released into the
   * transaction at once: the statement that follows may fail and give back its own work without
   * giving back the lock, as a failed write in SQLite keeps the transaction's write lock. A
   * failure here (the lock not granted, a stale snapshot) undoes only these steps.
   */
  async takeLock(ctx: RequestContext, steps: readonly WireStep[]): Promise<void> {
    try {
      await this.send(ctx, { steps: [{ text: `SAVEPOINT ${LOCK_SAVEPOINT}` }, ...steps, { text: `RELEASE SAVEPOINT ${LOCK_SAVEPOINT}` }] });
    } catch (err) {
      if (!this.conn.broken && this.begun) await run(this.conn, { simple: LOCK_UNDO }).catch(() => undefined);
      throw err;
    }
  }

  /** The caller rolled back to its savepoint number `index` (0: the outermost). */
  rolledBackTo(index: number): void {
    if (this.lockDepth !== null && this.lockDepth > index) this.releasedLock();
  }

  /** The caller released its savepoints from number `index` on: what they held passes outwards. */
  releasedFrom(index: number): void {
    if (this.lockDepth !== null && this.lockDepth > index) this.lockDepth = index;
  }

  releasedLock(): void {
    this.lockDepth = null;
    this.recorded = false;
  }
}

/** The first write's batch failed: `locked` when the write lock was taken before the failure. */
export class LockStepFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly locked: boolean,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export interface GuardedResult {
  results: WireResult[];
  describe: DescribeResult | null;
}

function wrap(batch: WireBatch, prefix: readonly WireStep[]): WireBatch {
  // A multi-statement text may end in a `--` comment: the newlines keep RELEASE out of it.
  if ('simple' in batch) return { simple: `${OPEN.text};\n${WriteLockSql.simple(prefix)}${batch.simple}\n;${CLOSE.text}` };
  return { steps: [OPEN, ...prefix, ...batch.steps, CLOSE] };
}

/** The result the caller sees for a batch: its last statement's (multi-statement text runs all). */
export function lastResult(results: WireResult[]): WireResult {
  return results[results.length - 1] ?? emptyResult();
}
