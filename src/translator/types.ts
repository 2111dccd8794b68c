import type { PgColumnType } from '../schema/catalog';
import type { TransactionMode } from '../contracts';

/** Where the value for one PostgreSQL `$n` comes from among the caller's bound parameters. */
export type ParamSource =
  /** An anonymous `?` (index counts them from 0). */
  | { kind: 'positional'; index: number }
  /**
   * `@name`, `:name` or `$name`: the name without its prefix, as better-sqlite3 binds it. `?NNN` is
   * named too (name 'NNN'): better-sqlite3 binds it only from an object key, `{ 1: value }`.
   */
  | { kind: 'named'; name: string }
  /** The statement's single evaluation of 'now' (a Date), bound by the adapter. */
  | { kind: 'now' };

/**
 * The storage class SQLite gives a bound JS value (better-sqlite3 binds every number as a REAL):
 * `i` a bigint (INTEGER), `r` an integral number within 64 bits and `f` any other number (REAL;
 * the two differ only beside an INTEGER column), `t` a string (TEXT), `b` a Buffer or typed array (BLOB), `n`
 * null, undefined or NaN (NULL).
 */
export type ValueClass = 'i' | 'r' | 'f' | 't' | 'b' | 'n';

/** The value classes of one call's parameters, for a translation specialised to them. */
export interface ValueClasses {
  /** One character per parameter source: the anonymous ones in order, then the named ones. */
  readonly key: string;
  classOf(source: ParamSource): ValueClass | undefined;
}

/** One `$n` of the translated statement (slots[0] is `$1`). */
export interface ParamSlot {
  source: ParamSource;
  /**
   * The schema type of the column this parameter is assigned to or compared with, when known.
   * It drives the coercions SQLite would apply: a JS number into a TEXT column is stored by
   * SQLite as REAL text ('2.0'), 0/1 into BOOLEAN is false/true.
   */
  targetType?: PgColumnType;
  targetColumn?: { table: string; column: string };
  /**
   * The parameter is a whole result column (`SELECT ?`): SQLite returns it as bound, so its value
   * travels tagged with its JS type (see values/params.ts, echo) and the row shaper restores that type.
   */
  echo?: boolean;
  /**
   * The value is stored into the target column (INSERT values, `SET x = ?`), not compared: the value
   * layer applies the column's SQLite affinity and refuses what SQLite would keep in a storage class
   * the PostgreSQL column cannot hold (see values/store.ts).
   */
  store?: boolean;
  /** Stored into a column declared without a type: no affinity, so a number stays a number (values/store.ts refuses it). */
  storeUntyped?: boolean;
}

/**
 * The target type of a parameter SQLite reads as an integer (LIMIT, OFFSET): a value that is not
 * an integer after SQLite's numeric conversion is SQLITE_MISMATCH, as in SQLite.
 */
export const INTEGER_OPERAND = 'sqlite integer operand';

/**
 * The target type of a parameter read as text with no column to follow (`? || 'x'`, `LIKE ?`):
 * a JS number is a REAL in SQLite, so its text is SQLite's REAL text (7 → '7.0').
 */
export const TEXT_OPERAND = 'sqlite text operand';

/**
 * The target type of a parameter that is a whole condition (`WHERE ?`, `NOT ?`, `? AND x`, `CASE
 * WHEN ?`): SQLite tests the value against 0 (a number as it is, text and blobs by their numeric
 * prefix, NULL unknown), so it is sent as the boolean SQLite would read.
 */
export const CONDITION_OPERAND = 'sqlite condition operand';

/**
 * The target type of a text bound and compared with a numeric column (a translation specialised to
 * the values bound): SQLite's affinity reads it as a number when it is one ('10', ' 1.5 '), else it
 * stays text, above every number; sent as that number, or 'Infinity', for a numeric parameter.
 */
export const TEXT_VS_NUMBER = 'sqlite text compared with a number';

/**
 * The target type of a value bound beside a bitwise operator (a translation specialised to the
 * values bound): SQLite's integer of it, a real truncated toward zero and clamped to 64 bits, text
 * by its integer prefix ('12abc' is 12, '1e3' is 1, 'a' is 0).
 */
export const INTEGER_VALUE = 'sqlite integer of a value';

export type StatementKind =
  | 'select'
  | 'insert'
  | 'update'
  | 'delete'
  | 'ddl'
  | 'transaction'
  | 'pragma'
  | 'other';

export type TransactionOp =
  | { op: 'begin'; mode: TransactionMode }
  | { op: 'commit' }
  | { op: 'rollback' }
  | { op: 'savepoint'; name: string }
  | { op: 'release'; name: string }
  | { op: 'rollback_to'; name: string };

/** The PostgreSQL form of one SQLite statement. */
export interface Translation {
  /** The SQLite statement as given. */
  source: string;
  /** PostgreSQL SQL with `$1..$n`, n === slots.length. */
  text: string;
  slots: ParamSlot[];
  kind: StatementKind;
  /** The statement returns rows (better-sqlite3's `reader`). */
  reader: boolean;
  /** The statement does not change the database (better-sqlite3's `readonly`). */
  readonly: boolean;
  /** Set for BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE: the backend runs these itself. */
  transaction?: TransactionOp;
  /**
   * The result column names SQLite would give, by position, when the PostgreSQL statement has to
   * use other aliases (PostgreSQL truncates identifiers at 63 bytes). Absent: use PostgreSQL's.
   */
  columnNames?: string[];
  /**
   * Result positions holding json_extract()/->> as jsonb: the row shaper returns each value as
   * SQLite does (a JSON number as a number, a string as text, true/false as 1/0).
   */
  jsonScalarColumns?: number[];
  /** Result positions that are a bound parameter returned as bound (ParamSlot.echo). */
  echoColumns?: number[];
  /** The top-level statement has an ORDER BY (shadow mode ignores row order otherwise). */
  ordered: boolean;
  /** Tables the statement reads or writes (lower case). */
  tables: string[];
  /** The statement changes the schema: the catalog must be read again after it runs. */
  changesSchema: boolean;
  /** Named parameters the SQL mentions, prefix removed (for better-sqlite3's binding checks). */
  namedParams: string[];
  /** How many anonymous/numbered positional parameters the SQL expects. */
  positionalCount: number;
  /**
   * The statement has no effect on PostgreSQL (PRAGMA journal_mode = WAL, foreign_keys = ON...):
   * the backend may skip running `text` (a valid no-op) and answer `changes: 0`.
   */
  noop?: boolean;
  /**
   * Why the statement cannot be repeated exactly on a second database (e.g. `random()`), for
   * shadow mode's "not mirrorable" report. Absent when it can.
   */
  notMirrorable?: string[];
  /**
   * The INSERT was given `RETURNING <rowid>` (no RETURNING of its own): the backend reads
   * `lastInsertRowid` from the rows it returns (the last non-NULL value), and the statement still
   * returns no data to the caller.
   */
  rowidReturning?: boolean;
  /**
   * A plain one-row INSERT (it inserts exactly one row or fails): `text` is the same INSERT with
   * the row's rowid as one more parameter, the last (`$n+1`), and no RETURNING. A connection that
   * knows the table's next rowid runs it instead (src/backends/postgres/core/next-rowid.ts). `table`
   * is the table's name, lower case.
   */
  rowidGiven?: { text: string; table: string };
  /**
   * Some parameter takes its PostgreSQL type from the value bound (`SELECT ? + 1`, `? IN (0, id)`,
   * a real beside an INTEGER column): the backend runs the translation specialised to the value
   * classes of each call's parameters (translate's `valueClasses`), one variant per class key.
   */
  valueTyped?: boolean;
  /** The value classes this translation was specialised to (ValueClasses.key). */
  valueClasses?: string;
  /**
   * The statement runs as these statements, in turn, in one batch (a multi-row INSERT OR REPLACE or
   * upsert, one per VALUES row, as SQLite applies the rows: statements/row-steps.ts). Step k's
   * `$1..$m` are the next m of `slots` (the steps' slots one after the other); its rows are the
   * statement's, and `changes` the sum of the steps' counts. `text` is then the statement as one,
   * for describing its result columns only.
   */
  steps?: Array<{ text: string; slots: number }>;
  /** The text came from REGISTRY_SQL_OVERRIDES rather than from the translator's rules. */
  overridden?: boolean;
}

/**
 * The target type of a text bound and compared with a column SQLite declares with NUMERIC affinity
 * but holds text in (JSON, TIMESTAMP): sent as the text, or NULL when the affinity reads it as a
 * number (then below every text; see rules/param-text-stored.ts).
 */
export const TEXT_NOT_NUMBER = 'sqlite text not read as a number';

/**
 * The target type of a text bound and compared with a TIMESTAMP column: sent as the time when the
 * text is exactly the column's own form of it (`YYYY-MM-DD HH:MM:SS[.SSS]`, milliseconds shown when
 * not 0; ISO-8601 `YYYY-MM-DDTHH:MM:SS.sssZ` for TIMESTAMP_TEXT_ISO), else NULL.
 */
export const TIMESTAMP_TEXT_SQLITE = 'sqlite timestamp text';
export const TIMESTAMP_TEXT_ISO = 'iso timestamp text';
