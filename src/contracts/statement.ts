/**
 * What a backend does for one prepared statement of the synchronous API. The facade's `Statement`
 * (src/adapter/statement.ts) keeps better-sqlite3's rules — argument checks, row modes, bind-once,
 * busy while iterating — and leaves the work to a StatementEngine.
 */
import type { ReadMode } from './modes';

/** What `Statement.run()` returns. */
export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** One entry of `Statement.columns()`, as better-sqlite3 returns it. */
export interface ColumnDefinition {
  name: string;
  column: string | null;
  table: string | null;
  database: string | null;
  type: string | null;
}

/** Rows one by one; `return()` ends the read early and frees what it holds (a cursor). */
export interface RowIterator {
  next(): IteratorResult<unknown, undefined>;
  return(): void;
}

/** One prepared statement of a backend; the arguments it gets are already checked. */
export interface StatementEngine<Bound = unknown> {
  readonly source: string;
  readonly reader: boolean;
  readonly readonly: boolean;
  /** Turns the caller's arguments into bound values, throwing better-sqlite3's binding errors. */
  bind(args: unknown[]): Bound;
  run(bound: Bound): RunResult;
  get(bound: Bound, mode: ReadMode): unknown;
  all(bound: Bound, mode: ReadMode): unknown[];
  iterate(bound: Bound, mode: ReadMode): RowIterator;
  columns(): ColumnDefinition[];
}

/** The connection-wide state better-sqlite3 checks before running a statement. */
export interface ConnectionState {
  readonly open: boolean;
  /** Iterators not yet finished: while any is open, only read-only statements may run. */
  iterating: number;
  /** The default of `safeIntegers` for new statements. */
  safeIntegers: boolean;
  /** Who answers, for the statement-duration metric (metrics/instruments.ts). */
  readonly answeredBy?: { backend: string; role: string };
}

/**
 * A statement prepared with the caller's clock. `facts` is what the backend's translation knows of
 * the statement (whether its rows are ordered, its parameters, tables and result names, what
 * cannot be mirrored), for the wrapper to pass on.
 */
export interface ClockedStatement {
  engine: StatementEngine<unknown>;
  usesNow: boolean;
  facts: StatementFacts;
}

export interface StatementFacts {
  ordered: boolean;
  /** The parameters' slots, as the translation numbered them (opaque here). */
  slots: readonly unknown[];
  tables: readonly string[];
  columnNames?: readonly string[];
  notMirrorable?: readonly string[];
}
