/**
 * An open transaction: the connection pinned to it, the caller's savepoints, and the statement
 * guard that keeps SQLite's behaviour. In SQLite a failing statement fails alone and the
 * transaction goes on; PostgreSQL would abort the whole transaction. So every statement inside a
 * transaction runs as `SAVEPOINT sra_stmt; statement; RELEASE SAVEPOINT sra_stmt`, sent in one
 * write with one Sync (one round trip), and a failure costs one more round trip to
 * `ROLLBACK TO SAVEPOINT sra_stmt`.
 */
import { run, type PgConnection } from './worker-connections';
import type { RequestContext } from './worker-request-context';
import { emptyResult, type WireBatch, type WireQuery, type WireStep } from './worker-wire-query';
import type { DescribeResult, WireResult } from './protocol';

const STATEMENT_SAVEPOINT = 'sra_stmt';
const OPEN: WireStep = { text: `SAVEPOINT ${STATEMENT_SAVEPOINT}` };
const CLOSE: WireStep = { text: `RELEASE SAVEPOINT ${STATEMENT_SAVEPOINT}` };
const UNDO = `ROLLBACK TO SAVEPOINT ${STATEMENT_SAVEPOINT}; RELEASE SAVEPOINT ${STATEMENT_SAVEPOINT}`;

export class Transaction {
  /** The caller's savepoints, outermost first (SQLite's names, matched case-insensitively). */
  readonly savepoints: string[] = [];
  /** Cursors declared inside this transaction: they end with it. */
  readonly cursors = new Set<number>();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly conn: PgConnection,
    /** Started by a SAVEPOINT outside a transaction: releasing that savepoint commits (SQLite). */
    readonly startedBySavepoint: boolean,
  ) {}

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

  /** Runs the statements of `batch` guarded by the statement savepoint; returns their results. */
  async guarded(ctx: RequestContext, batch: WireBatch): Promise<GuardedResult> {
    let query: WireQuery;
    try {
      query = await ctx.run(this.conn, wrap(batch));
    } catch (err) {
      if (!this.conn.broken) await run(this.conn, { simple: UNDO }).catch(() => undefined);
      throw err;
    }
    return { results: query.results.slice(1, -1), describe: query.describe };
  }
}

export interface GuardedResult {
  results: WireResult[];
  describe: DescribeResult | null;
}

function wrap(batch: WireBatch): WireBatch {
  // A multi-statement text may end in a `--` comment: the newlines keep RELEASE out of it.
  if ('simple' in batch) return { simple: `${OPEN.text};\n${batch.simple}\n;${CLOSE.text}` };
  return { steps: [OPEN, ...batch.steps, CLOSE] };
}

/** The result the caller sees for a batch: its last statement's (multi-statement text runs all). */
export function lastResult(results: WireResult[]): WireResult {
  return results[results.length - 1] ?? emptyResult();
}
