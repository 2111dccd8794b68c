/**
 * What AsyncDatabase (src/adapter/async-database.ts) runs on: one engine per backend. The SQLite
 * and shadow engines run the synchronous facade's calls; the PostgreSQL engine
 * (src/backends/postgres/async/engine.ts) uses a pg pool.
 */
import type { ColumnDefinition, RunResult } from './statement';
import type { ReadMode, TransactionMode } from './modes';

/** An open read of a statement's rows, batch by batch (a server-side cursor on PostgreSQL). */
export interface AsyncRowCursor {
  /** The next rows, shaped; an empty array once the read is over. */
  next(): Promise<unknown[]>;
  /** Ends the read early and frees what it holds (a connection, a cursor); safe to call twice. */
  close(): Promise<void>;
}

export interface AsyncStatementEngine {
  readonly source: string;
  readonly reader: boolean;
  readonly readonly: boolean;
  run(params: unknown[]): Promise<RunResult> | RunResult;
  get(params: unknown[], mode: ReadMode): Promise<unknown> | unknown;
  all(params: unknown[], mode: ReadMode): Promise<unknown[]> | unknown[];
  columns(): Promise<ColumnDefinition[]> | ColumnDefinition[];
  /** Reads the rows in batches; without it, iterate() reads them all with `all()`. */
  iterate?(params: unknown[], mode: ReadMode): Promise<AsyncRowCursor>;
}

export interface AsyncEngine {
  readonly name: string;
  readonly open: boolean;
  readonly inTransaction: boolean;
  /** Calls must run one at a time (a single connection): AsyncDatabase queues them. */
  readonly needsExclusiveCalls: boolean;
  prepare(source: string): Promise<AsyncStatementEngine> | AsyncStatementEngine;
  exec(source: string): Promise<void> | void;
  pragma(source: string, simple: boolean): Promise<unknown> | unknown;
  transaction<T>(fn: () => Promise<T>, mode: TransactionMode): Promise<T>;
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void> | void;
}
