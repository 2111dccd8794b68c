/**
 * One `AsyncDatabase.transaction(fn)` on PostgreSQL: a Session of its own (the worker's session
 * logic, run on the caller's thread), which pins one pool connection from BEGIN to COMMIT or
 * ROLLBACK and guards each statement with a savepoint, so a failing statement fails alone as in
 * SQLite. Its cursors live on that connection. The engine finds the scope of a call through
 * AsyncLocalStorage; calls of one transaction run one after the other on its connection
 * (Transaction.serial), even when `fn` starts several at once.
 */
import { NextRowid } from '../core/next-rowid';
import { transactionEndedError, transactionLostError } from './errors';
import type { ConnectionPool } from '../core/connections';
import { Cursors } from '../core/cursors';
import { Session } from '../core/session';
import type { WorkerConfig } from '../core/protocol';

export class TransactionScope {
  readonly session: Session;
  readonly cursors: Cursors;
  /** COMMIT or ROLLBACK has been sent: later calls with this context are refused. */
  ended = false;
  /** A statement of the transaction changed the schema (the catalog is read again after a rollback). */
  changedSchema = false;
  /** Requests sent in this transaction so far (counted when sent: calls of fn may overlap). */
  calls = 0;
  /** The next rowids this transaction knows (next-rowid.ts). */
  readonly nextRowid = new NextRowid();
  #savepoints = 0;

  constructor(pool: ConnectionPool, config: WorkerConfig) {
    this.session = new Session(pool, config);
    this.cursors = new Cursors(this.session);
  }

  /** Throws unless calls may still run in this transaction. */
  check(): void {
    if (this.ended) throw transactionEndedError();
    if (this.session.tx === null) throw transactionLostError();
  }

  /** After each request: a transaction whose connection broke is over (the server rolled it back). */
  settle(): void {
    if (this.session.tx?.conn.broken) this.session.abort();
  }

  nextSavepoint(): string {
    return `sra_async_sp${++this.#savepoints}`;
  }
}
