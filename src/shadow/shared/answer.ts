/**
 * What one side of shadow mode returned for one statement, already shaped as better-sqlite3
 * returns it from SQLite (src/backends/postgres/values/rows.ts does the shaping for PostgreSQL).
 * `lastInsertRowid` is left out: both sides assign the rowid as SQLite does (src/schema/rowid.ts), and
 * a different rowid shows as a difference of the rows that `verify` compares.
 */
export type Answer =
  /** `get` (one row or none: pass `[row]` or `[]`), `all`, `iterate`: objects, raw arrays or plucked values. */
  | { type: 'rows'; rows: readonly unknown[] }
  | { type: 'run'; changes: number }
  | { type: 'error'; code: string; message: string };

/** The names shadow mode gives its two databases in records and reports. */
export type SideName = 'sqlite' | 'postgres';
