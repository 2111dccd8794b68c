/**
 * Reads one table from SQLite in primary-key order, a chunk at a time, as COPY data for PostgreSQL
 * (copy/csv.ts). SQLite itself writes each row's CSV line and joins the chunk into one string,
 * which is about twice as fast as handing JavaScript every value. Each value becomes the text
 * PostgreSQL reads for the column's type, so no number passes through a JavaScript double: a REAL
 * or INTEGER in a TEXT column becomes SQLite's own text of it ('2.0'), integers their exact digits,
 * booleans '0'/'1', blobs `\x` hex; timestamps stay text, read as UTC by the session.
 * Key order (not rowid order) keeps the chunks resumable by key and lets PostgreSQL append to the
 * primary-key index instead of inserting at random places in it.
 * Rows the operator chose to skip are left out; rows with a nulled value are encoded in JavaScript.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { ident, type MigrationColumn, type MigrationTable, type SqliteDatabase } from '../core';
import { csvLine, csvLineSql } from '../copy';
import type { ExceptionPlan } from '../profile';

type Stmt = BetterSqlite3.Statement<unknown[]>;

function valueExpression(column: MigrationColumn): string {
  const c = ident(column.name);
  if (column.kind === 'blob') return `CASE WHEN ${c} IS NULL THEN NULL ELSE '\\x' || hex(${c}) END`;
  return `CAST(${c} AS TEXT)`;
}

export interface Chunk {
  /** COPY data (copy/csv.ts) of the rows copied (empty when every row of the chunk was skipped). */
  text: string;
  rows: number;
  skipped: number;
  /** The last key read, copied or not: where the next chunk starts. */
  lastKey: string;
}

/**
 * A chunk's COPY data aims at about this many characters: the rows per chunk adapt to the table's
 * rows (up to the chunk size asked for), so that tables of large values (180 KB artifacts) are
 * copied in chunks of the same memory as small rows, never one string of gigabytes.
 */
const CHUNK_TARGET_CHARS = 2 * 1024 * 1024;
/** Rows of a table's first chunk at most, before the size of its rows is known. */
const FIRST_CHUNK_ROWS = 256;

export class ChunkReader {
  /** Rows of the next chunk. */
  private rows: number;
  private readonly maxRows: number;
  private readonly first: Stmt;
  private readonly next: Stmt;
  private readonly byKeys: Stmt;
  private readonly keyIndex: number;
  private readonly skipped: ReadonlySet<string>;
  private readonly nulled: ReadonlyMap<string, string[]>;
  private readonly exceptionKeys: string;

  constructor(db: SqliteDatabase, readonly table: MigrationTable, plan: ExceptionPlan, chunkRows: number) {
    const key = ident(table.key);
    const line = csvLineSql(table.columns);
    const chunk = (where: string): Stmt =>
      db.prepare(`SELECT group_concat(CASE WHEN x THEN NULL ELSE line END, ''), count(*), max(k), json_group_array(k) FILTER (WHERE x)
        FROM (SELECT ${key} AS k, ${key} IN (SELECT value FROM json_each(?)) AS x, ${line} AS line
              FROM ${ident(table.name)} WHERE ${where} ORDER BY ${key} LIMIT ?)`).raw(true) as Stmt;
    this.first = chunk(`${key} IS NOT NULL`);
    this.next = chunk(`${key} > ?`);
    this.byKeys = db.prepare(`SELECT ${table.columns.map(valueExpression).join(', ')} FROM ${ident(table.name)}
      WHERE ${key} IN (SELECT value FROM json_each(?)) ORDER BY ${key}`).raw(true) as Stmt;
    this.maxRows = Math.max(1, Math.floor(chunkRows));
    this.rows = Math.min(this.maxRows, FIRST_CHUNK_ROWS);
    this.keyIndex = table.columns.findIndex((c) => c.name === table.key);
    this.skipped = plan.skipped.get(table.name) ?? new Set();
    this.nulled = plan.nulled.get(table.name) ?? new Map();
    this.exceptionKeys = JSON.stringify([...this.skipped, ...this.nulled.keys()]);
  }

  /** The chunk after `afterKey` (from the start when null), or undefined at the end of the table. */
  read(afterKey: string | null): Chunk | undefined {
    const [text, count, lastKey, exceptional] = (afterKey === null ? this.first.get(this.exceptionKeys, this.rows) : this.next.get(this.exceptionKeys, afterKey, this.rows)) as [string | null, number, string, string];
    if (count === 0) return undefined;
    const perRow = Math.max(1, (text?.length ?? 0) / count);
    this.rows = Math.max(1, Math.min(this.maxRows, Math.floor(CHUNK_TARGET_CHARS / perRow)));
    const keys = JSON.parse(exceptional) as string[];
    const withNulls = keys.filter((k) => !this.skipped.has(k));
    const extra = withNulls.length > 0 ? this.readKeys(withNulls) : undefined;
    const exceptionsCopied = extra?.rows ?? 0;
    const skipped = keys.length - withNulls.length;
    return { text: (text ?? '') + (extra?.text ?? ''), rows: count - keys.length + exceptionsCopied, skipped, lastKey };
  }

  /** The rows with these keys as one chunk, nulled values applied (also the repair's rows to write). */
  readKeys(keys: readonly string[]): Chunk | undefined {
    const rows = this.byKeys.all(JSON.stringify(keys)) as Array<Array<string | null>>;
    if (rows.length === 0) return undefined;
    const lines: string[] = [];
    let skipped = 0;
    for (const row of rows) {
      const key = row[this.keyIndex]!;
      if (this.skipped.has(key)) {
        skipped++;
        continue;
      }
      for (const name of this.nulled.get(key) ?? []) row[this.table.columns.findIndex((c) => c.name === name)] = null;
      lines.push(csvLine(this.table.columns, row));
    }
    return { text: lines.join(''), rows: lines.length, skipped, lastKey: rows[rows.length - 1]![this.keyIndex]! };
  }
}
