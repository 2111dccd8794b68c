/**
 * The SQLite side of `verify`: canonical rows of one table in key order, a chunk at a time, each
 * chunk summed up as a checksum; the rows themselves only when asked (a chunk that differs).
 * Rows the backfill skipped by the operator's choice are left out, and values it nulled are
 * compared as NULL, so that they are reported as choices, not as differences.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { canonicalRowText, chunkHash, jsonPositions, sqliteCanonicalSql } from '../canonical';
import type { MigrationTable, SqliteDatabase } from '../core';
import type { CanonicalValue } from '../results';
import type { RowException } from '../profile';

/** A row's key and canonical text. */
export type CanonicalRow = [key: string, text: string];

export interface VerifyChunk {
  rows: number;
  /** The last key of the chunk; null when the table has no more rows. */
  lastKey: string | null;
  hash: string;
  /** Fewer rows than asked: the table ends here. */
  final: boolean;
}

type Stmt = BetterSqlite3.Statement<unknown[]>;

export class VerifyChunkReader {
  private readonly first: Stmt;
  private readonly next: Stmt;
  private readonly between: Stmt;
  private readonly upTo: Stmt;
  private readonly all: Stmt;
  private readonly jsonAt: number[];
  private readonly keyAt: number;
  private readonly exceptions: RowExceptionIndex;

  constructor(db: SqliteDatabase, readonly table: MigrationTable, private readonly chunkRows: number, exceptions: readonly RowException[]) {
    const prepare = (range: { after: boolean; upTo: boolean; limit: boolean }): Stmt => db.prepare(sqliteCanonicalSql(table, range)).raw(true) as Stmt;
    this.first = prepare({ after: false, upTo: false, limit: true });
    this.next = prepare({ after: true, upTo: false, limit: true });
    this.between = prepare({ after: true, upTo: true, limit: false });
    this.upTo = prepare({ after: false, upTo: true, limit: false });
    this.all = prepare({ after: false, upTo: false, limit: false });
    this.jsonAt = jsonPositions(table);
    this.keyAt = table.columns.findIndex((c) => c.name === table.key);
    this.exceptions = indexExceptions(table, exceptions);
  }

  read(afterKey: string | null): VerifyChunk {
    const rows = (afterKey === null ? this.first.all(this.chunkRows) : this.next.all(afterKey, this.chunkRows)) as CanonicalValue[][];
    const texts = this.canonical(rows).map((r) => r[1]);
    const lastKey = rows.length ? (rows[rows.length - 1]![this.keyAt] as string) : null;
    return { rows: rows.length, lastKey, hash: chunkHash(texts), final: rows.length < this.chunkRows };
  }

  /** Canonical rows with afterKey < key <= upToKey (either bound may be open). */
  rowsBetween(afterKey: string | null, upToKey: string | null): CanonicalRow[] {
    let rows: CanonicalValue[][];
    if (afterKey !== null && upToKey !== null) rows = this.between.all(afterKey, upToKey) as CanonicalValue[][];
    else if (afterKey !== null) rows = this.next.all(afterKey, -1) as CanonicalValue[][];
    else if (upToKey !== null) rows = this.upTo.all(upToKey) as CanonicalValue[][];
    else rows = this.all.all() as CanonicalValue[][];
    return this.canonical(rows);
  }

  private canonical(rows: CanonicalValue[][]): CanonicalRow[] {
    const out: CanonicalRow[] = [];
    for (const row of rows) {
      const key = row[this.keyAt] as string;
      if (this.exceptions.skipped.has(key)) continue;
      const nulled = this.exceptions.nulled.get(key);
      if (nulled) for (const i of nulled) row[i] = null;
      out.push([key, canonicalRowText(row, this.jsonAt)]);
    }
    return out;
  }
}

export interface RowExceptionIndex {
  skipped: Set<string>;
  /** Column positions nulled, by key. */
  nulled: Map<string, number[]>;
}

export function indexExceptions(table: MigrationTable, exceptions: readonly RowException[]): RowExceptionIndex {
  const index: RowExceptionIndex = { skipped: new Set(), nulled: new Map() };
  for (const e of exceptions) {
    if (e.table !== table.name) continue;
    if (e.column === null) index.skipped.add(e.key);
    else index.nulled.set(e.key, [...(index.nulled.get(e.key) ?? []), table.columns.findIndex((c) => c.name === e.column)]);
  }
  return index;
}
