/**
 * The contract between the facade (`src/adapter/`) and a storage backend.
 *
 * The facade's `Database` forwards every call to one `Backend`, without knowing which one it is.
 * A backend hands out the statement objects the caller receives: the SQLite backend gives
 * better-sqlite3's native statements unchanged (no extra call per row), the others give the
 * facade's `Statement` (src/adapter/statement.ts) over a `StatementEngine`. Differences between
 * backends are the capability flags below, which the facade reads, never checks of a backend's
 * name or of which methods it happens to have.
 */
import type { ClockedStatement } from './statement';

export interface BackendCapabilities {
  /** Which SQL dialect the backend executes natively ("sqlite" runs the engine's SQL as written). */
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * The backend is a real SQLite connection: members that only exist inside SQLite (`function`,
   * `aggregate`, `table`, `backup`, `serialize`, `loadExtension`, `unsafeMode`,
   * `defaultSafeIntegers`) are available through `sqliteOnly`. Without it, the facade answers
   * those members with an error naming the member and the way out.
   */
  readonly sqliteNative: boolean;
  /** The backend keeps shadow mode's counters (`db.shadowStats()`); without it, that is undefined. */
  readonly shadowStats: boolean;
  /**
   * The backend can serve as shadow mode's translated primary: `prepareClocked` gives a statement's
   * engine that reads its 'now' from a clock the caller passes (so both databases get one value),
   * and `nowDefaultColumns` the columns whose DEFAULT is the current time.
   */
  readonly clockedStatements: boolean;
}

/** The capabilities a backend has unless it says otherwise (the least a backend can do). */
export const DEFAULT_CAPABILITIES: BackendCapabilities = Object.freeze({ dialect: 'postgres', sqliteNative: false, shadowStats: false, clockedStatements: false });

/** A backend's capabilities: the defaults, with what it declares. */
export function capabilities(declared: Partial<BackendCapabilities>): BackendCapabilities {
  return Object.freeze({ ...DEFAULT_CAPABILITIES, ...declared });
}

/** The members of better-sqlite3's Database that only a real SQLite connection has. */
export const SQLITE_ONLY_MEMBERS = Object.freeze([
  'function',
  'aggregate',
  'table',
  'backup',
  'serialize',
  'loadExtension',
  'defaultSafeIntegers',
  'unsafeMode',
] as const);

export type SqliteOnlyMember = (typeof SQLITE_ONLY_MEMBERS)[number];

export type TransactionFunction = ((...args: unknown[]) => unknown) & {
  deferred: (...args: unknown[]) => unknown;
  immediate: (...args: unknown[]) => unknown;
  exclusive: (...args: unknown[]) => unknown;
  database: object;
};

export interface Backend {
  readonly capabilities: BackendCapabilities;
  readonly name: string;
  readonly open: boolean;
  readonly inTransaction: boolean;
  readonly memory: boolean;
  readonly readonly: boolean;
  /** Prepares `source`; the returned statement's `database` is `database` (the facade). */
  prepare(source: string, database: object): unknown;
  exec(source: string): void;
  /** `source` is what follows `PRAGMA `; returns all rows, or the first column of the first row when simple. */
  pragma(source: string, simple: boolean, database: object): unknown;
  transaction(fn: (...args: unknown[]) => unknown, database: object): TransactionFunction;
  close(): void;
  /** Calls a SQLite-only member with `this` = database; called only when `capabilities.sqliteNative`. */
  sqliteOnly?(member: SqliteOnlyMember, database: object, args: unknown[]): unknown;
  /** Shadow mode's counters; called only when `capabilities.shadowStats`. */
  shadowStats?(): unknown;
  /** A statement whose 'now' comes from `clock`; called only when `capabilities.clockedStatements`. */
  prepareClocked?(source: string, clock: () => string): ClockedStatement;
  /** The lower-case names of the columns whose DEFAULT is the current time; called only when `capabilities.clockedStatements`. */
  nowDefaultColumns?(table: string): string[] | undefined;
}
