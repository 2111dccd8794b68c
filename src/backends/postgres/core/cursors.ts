/**
 * Server-side cursors for `iterate()`: `DECLARE ... NO SCROLL CURSOR` and `FETCH FORWARD n`, so
 * a large result is read in batches. Inside a transaction the cursor lives on the transaction's
 * connection (its FETCHes guarded like any statement); outside one it gets a connection and a
 * transaction of its own, held until the cursor is exhausted or closed. Opening a cursor and
 * reading its first batch is one round trip; a cursor that returns less than a full batch is
 * exhausted and closed at once.
 */
import { run, type PgConnection } from './connections';
import { SqliteUsageError } from './failures';
import { RequestContext } from './request-context';
import type { Session } from './session';
import type { Transaction } from './transaction';
import { emptyResult, type WireStep } from './wire-query';
import type { CursorBatch, CursorOpened, WireResult } from './protocol';

interface CursorState {
  readonly id: number;
  readonly name: string;
  readonly batchSize: number;
  readonly conn: PgConnection;
  /** The transaction the cursor belongs to; null when it has a connection of its own. */
  readonly tx: Transaction | null;
}

export class Cursors {
  private readonly cursors = new Map<number, CursorState>();
  private nextId = 1;

  constructor(private readonly session: Session) {
    session.onTransactionEnd = (ids) => ids.forEach((id) => this.cursors.delete(id));
  }

  async open(ctx: RequestContext, text: string, values: unknown[], batchSize: number): Promise<CursorOpened> {
    const id = this.nextId++;
    const name = `sra_cursor_${id}`;
    const declare: WireStep = { text: `DECLARE ${name} NO SCROLL CURSOR FOR ${stripTerminator(text)}`, values };
    const fetch = fetchStep(name, batchSize);
    const tx = this.session.tx;
    if (tx) {
      const { results } = await tx.serial(() => tx.guarded(ctx, { steps: [declare, fetch] }));
      const state: CursorState = { id, name, batchSize, conn: tx.conn, tx };
      tx.cursors.add(id);
      this.cursors.set(id, state);
      return { cursor: id, ...(await this.batch(ctx, state, results[1])) };
    }
    const conn = await this.session.pool.acquire();
    let query;
    try {
      query = await ctx.run(conn, { steps: [...this.session.pool.beginSteps(), declare, fetch] });
    } catch (err) {
      await this.endOwnTransaction(conn, 'ROLLBACK');
      throw err;
    }
    const state: CursorState = { id, name, batchSize, conn, tx: null };
    this.cursors.set(id, state);
    return { cursor: id, ...(await this.batch(ctx, state, query.results[query.results.length - 1])) };
  }

  async fetch(ctx: RequestContext, id: number): Promise<CursorBatch> {
    const state = this.cursors.get(id);
    if (!state) throw new SqliteUsageError('The cursor is closed: its iteration ended, failed, or its transaction ended.', 'SQLITE_MISUSE');
    const step = fetchStep(state.name, state.batchSize);
    try {
      const { tx } = state;
      const result = tx
        ? (await tx.serial(() => tx.guarded(ctx, { steps: [step] }))).results[0]
        : (await ctx.run(state.conn, { steps: [step] })).results[0];
      return await this.batch(ctx, state, result);
    } catch (err) {
      await this.close(id, ctx);
      throw err;
    }
  }

  /**
   * Closes a cursor (an iteration stopped early), errors ignored. The returned promise settles once
   * its connection is back in the pool (or the CLOSE ran): a caller that can wait for it (the async
   * engine) does, so the next call never races the hand-back; the worker lets it run on.
   */
  close(id: number, ctx = new RequestContext(0)): Promise<void> {
    const state = this.cursors.get(id);
    if (!state) return Promise.resolve();
    this.cursors.delete(id);
    const { tx } = state;
    if (tx) {
      tx.cursors.delete(id);
      // Guarded: the cursor may already be gone with a rolled-back savepoint.
      return tx.serial(() => tx.guarded(ctx, { simple: `CLOSE ${state.name}` })).then(() => undefined, () => undefined);
    }
    return this.endOwnTransaction(state.conn, 'COMMIT', ctx);
  }

  /** Releases the connections of the cursors that own one (the worker is closing); settles when all are back. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.cursors.keys()].map((id) => this.close(id)));
  }

  /** The batch's rows; an exhausted cursor is closed first, its connection back in the pool before the answer. */
  private async batch(ctx: RequestContext, state: CursorState, result: WireResult | undefined): Promise<CursorBatch> {
    const { rows, fields } = result ?? emptyResult();
    const done = rows.length < state.batchSize;
    if (done) await this.close(state.id, ctx);
    return { rows, fields, done };
  }

  /** Through `ctx` when given: a caller's timeout (cancel, or dropping the socket) reaches the COMMIT too. */
  private async endOwnTransaction(conn: PgConnection, sql: 'COMMIT' | 'ROLLBACK', ctx?: RequestContext): Promise<void> {
    let ended = false;
    if (!conn.broken) {
      await (ctx ? ctx.run(conn, { simple: sql }) : run(conn, { simple: sql })).then(() => (ended = true), () => undefined);
    }
    // A connection whose transaction did not end (cancelled, failed) is closed, never pooled.
    this.session.pool.release(conn, !ended);
  }
}

function fetchStep(name: string, batchSize: number): WireStep {
  return { text: `FETCH FORWARD ${batchSize} FROM ${name}`, target: true };
}

/** DECLARE wraps the statement, so a trailing `;` would end it early. */
function stripTerminator(text: string): string {
  return text.replace(/[\s;]+$/, '');
}
