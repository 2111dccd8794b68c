/**
 * The public types of the synchronous API, in the shape of @types/better-sqlite3, so that a
 * TypeScript program that compiles against better-sqlite3 compiles against this package with
 * the import line changed and nothing else. The implementation is src/adapter/database.ts.
 */
import type { ColumnDefinition, RunResult } from '../contracts';
import type { ShadowStats } from '../shadow';

export type { ColumnDefinition, RunResult, ShadowStats };

/**
 * Statement parameters: a tuple of positional values, or one object of named values (which
 * `prepare<{ id: string }>()` turns into the one-argument tuple `[{ id: string }]`).
 */
export type BindParameters = unknown[] | {};

/** The arguments of `run`, `get`, `all`, `iterate` and `bind` for a statement's parameters. */
export type ArgumentsOf<P extends BindParameters> = P extends unknown[] ? P : [P];

/** A prepared statement (better-sqlite3's `Statement`). */
export interface Statement<P extends BindParameters = unknown[], Result = unknown> {
  readonly database: Database;
  readonly source: string;
  readonly reader: boolean;
  readonly readonly: boolean;
  readonly busy: boolean;
  run(...params: ArgumentsOf<P>): RunResult;
  get(...params: ArgumentsOf<P>): Result | undefined;
  all(...params: ArgumentsOf<P>): Result[];
  iterate(...params: ArgumentsOf<P>): IterableIterator<Result>;
  pluck(toggleState?: boolean): this;
  expand(toggleState?: boolean): this;
  raw(toggleState?: boolean): this;
  bind(...params: ArgumentsOf<P>): this;
  columns(): ColumnDefinition[];
  safeIntegers(toggleState?: boolean): this;
}

/** Any function a transaction can wrap. */
export type TransactionBody = (...args: never[]) => unknown;

/** What `db.transaction(fn)` returns: `fn` run in BEGIN … COMMIT, with one variant per mode. */
export interface Transaction<F extends TransactionBody = TransactionBody> {
  (...params: Parameters<F>): ReturnType<F>;
  default(...params: Parameters<F>): ReturnType<F>;
  deferred(...params: Parameters<F>): ReturnType<F>;
  immediate(...params: Parameters<F>): ReturnType<F>;
  exclusive(...params: Parameters<F>): ReturnType<F>;
  readonly database: Database;
}

export interface PragmaOptions {
  simple?: boolean | undefined;
}

/** Options of `db.function()` and `db.aggregate()` (SQLite only). */
export interface RegistrationOptions {
  varargs?: boolean | undefined;
  deterministic?: boolean | undefined;
  safeIntegers?: boolean | undefined;
  directOnly?: boolean | undefined;
}

/** A user function's body: SQL values in, one SQL value out. */
export type UserFunction = (...params: never[]) => unknown;

/** `db.aggregate(name, options)`: `step` folds each row's value into the running total. */
export interface AggregateOptions<T> extends RegistrationOptions {
  start?: T | (() => T);
  step: (total: T, next: T extends Array<infer E> ? E : T) => T | void;
  inverse?: ((total: T, dropped: T) => T) | undefined;
  result?: ((total: T) => unknown) | undefined;
}

/** `db.table(name, options)`: a table-valued function (SQLite only). */
export interface VirtualTableOptions {
  rows: (...params: never[]) => Generator;
  columns: string[];
  parameters?: string[] | undefined;
  safeIntegers?: boolean | undefined;
  directOnly?: boolean | undefined;
}

/** The progress `db.backup()` reports and resolves with. */
export interface BackupMetadata {
  totalPages: number;
  remainingPages: number;
}

export interface BackupOptions {
  /** Called after each step; returns how many pages to copy in the next one. */
  progress?: ((info: BackupMetadata) => number) | undefined;
  attached?: string | undefined;
}

export interface SerializeOptions {
  attached?: string | undefined;
}

/** A database connection (better-sqlite3's `Database`), on whichever backend it was opened. */
export interface Database {
  readonly name: string;
  readonly open: boolean;
  readonly inTransaction: boolean;
  readonly readonly: boolean;
  readonly memory: boolean;
  prepare<P extends BindParameters = unknown[], Result = unknown>(source: string): Statement<P, Result>;
  exec(source: string): this;
  transaction<F extends TransactionBody>(fn: F): Transaction<F>;
  pragma(source: string, options?: PragmaOptions): unknown;
  close(): this;
  /** SQLite only: PostgreSQL runs SQL, not JavaScript (a TypeError there). */
  function(name: string, fn: UserFunction): this;
  function(name: string, options: RegistrationOptions, fn: UserFunction): this;
  /** SQLite only. */
  aggregate<T>(name: string, options: AggregateOptions<T>): this;
  /** SQLite only. */
  table(name: string, options: VirtualTableOptions): this;
  /** SQLite only: the promise rejects on PostgreSQL. */
  backup(destinationFile: string, options?: BackupOptions): Promise<BackupMetadata>;
  /** SQLite only. */
  serialize(options?: SerializeOptions): Buffer;
  /** SQLite only. */
  loadExtension(path: string, entryPoint?: string): this;
  /** SQLite only. */
  defaultSafeIntegers(toggleState?: boolean): this;
  /** SQLite only. */
  unsafeMode(unsafe?: boolean): this;
  /** Shadow mode's counters; undefined in the other modes. */
  shadowStats(): ShadowStats | undefined;
}
