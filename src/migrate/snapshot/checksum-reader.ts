/**
 * The SQLite side of `verify`'s fast path (canonical/checksum-sql.ts): one table's key-range chunks,
 * each summed up as PostgreSQL sums the same key range: the row texts hashed with
 * hashtextextended's function and added modulo 2^64. Runs in the snapshot worker. Only for tables
 * without exceptions recorded by the backfill (rows skipped or values nulled by the operator's
 * choice), which verify compares the row-by-row way.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { hashBytesExtended, jsonbText, sqliteChecksumScanSql } from '../canonical';
import { compareKeys, ident, type MigrationTable, type SqliteDatabase } from '../core';

type Stmt = BetterSqlite3.Statement<unknown[]>;

const encoder = new TextEncoder();
let scratch = new Uint8Array(64 * 1024);

/**
 * A row's hash: SQLite's text of the plain fields comes as bytes (a BLOB: never decoded into a
 * JavaScript string and encoded again), the JSON fields are rendered as PostgreSQL prints them.
 */
function rowHash(row: unknown[]): [number, number] {
  const plain = row[1] as Uint8Array;
  if (row.length === 2) return hashBytesExtended(plain, plain.length);
  const json: string[] = [];
  let most = plain.length;
  for (let i = 2; i < row.length; i++) {
    const field = jsonField(row[i] as string | null);
    json.push(field);
    most += field.length * 3;
  }
  if (most > scratch.length) scratch = new Uint8Array(most + 1024);
  scratch.set(plain, 0);
  let n = plain.length;
  for (const field of json) n += encoder.encodeInto(field, scratch.subarray(n)).written!;
  return hashBytesExtended(scratch, n);
}

function jsonField(value: string | null | undefined): string {
  if (value === null || value === undefined) return ':';
  const json = jsonbText(value);
  return `${Buffer.byteLength(json)}:${json}`;
}

/** A table's chunk checksums: `bounds[i]` ends chunk i (key <= it), the last chunk has no end. */
export interface TableChecksums {
  /** Rows per chunk (bounds.length + 1 chunks). */
  counts: number[];
  /** Each chunk's sum of row hashes modulo 2^64, in hex. */
  hashes: string[];
  /** Rows left out because the backfill skipped them by the operator's choice (not in any chunk). */
  skipped: number;
}

/**
 * SQLite's chunk checksums of one table: the chunk boundaries from the key's index (every
 * chunkRows-th key, as the chunk-by-chunk reading would end its chunks), then
 * one plain scan of the table in rowid order, each row's hash added to the chunk its key falls in
 * (a binary search over the boundaries, by byte as SQLite and PostgreSQL's "C" order keys). The
 * sums are order-independent, so they equal the chunk-by-chunk ones; the rowid order spares the
 * lookup of every row from the key index.
 */
export class ChecksumTableReader {
  private bounds: string[] = [];

  constructor(private readonly db: SqliteDatabase, readonly table: MigrationTable) {}

  /** The chunk boundaries: the chunkRows-th, 2·chunkRows-th, ... key in byte order. */
  boundaries(chunkRows: number): string[] {
    return (this.bounds = this.keyBoundaries(chunkRows));
  }

  /** Uses boundaries found by another reader of the same snapshot. */
  useBoundaries(bounds: string[]): void {
    this.bounds = bounds;
  }

  private keyBoundaries(chunkRows: number): string[] {
    const key = ident(this.table.key);
    const table = ident(this.table.name);
    // SQLite steps over each chunk's keys in the key's index itself (OFFSET): only the boundaries
    // come to JavaScript, never the whole table's keys.
    const first = this.db.prepare(`SELECT ${key} FROM ${table} WHERE ${key} IS NOT NULL ORDER BY ${key} LIMIT 1 OFFSET ?`).pluck();
    const next = this.db.prepare(`SELECT ${key} FROM ${table} WHERE ${key} > ? ORDER BY ${key} LIMIT 1 OFFSET ?`).pluck();
    const bounds: string[] = [];
    for (let bound = first.get(chunkRows - 1) as string | undefined; bound !== undefined; bound = next.get(bound, chunkRows - 1) as string | undefined) bounds.push(bound);
    return bounds;
  }

  /** The checksums of the chunks of the last boundaries() call. */
  /**
   * With `half`, the rows with rowid up to the middle of the table's rowids, or those past it: two
   * threads reading the same snapshot (each its own connection) share a table's scan that way.
   */
  checksums(half?: 'lower' | 'upper', skippedKeys: ReadonlySet<string> = new Set()): TableChecksums {
    const bounds = this.bounds;
    const n = bounds.length + 1;
    const counts = new Array<number>(n).fill(0);
    const high = new Uint32Array(n);
    const low = new Uint32Array(n);
    const stmt = this.db.prepare(sqliteChecksumScanSql(this.table, half ? (half === 'upper' ? '>' : '<=') : undefined)).raw(true) as Stmt;
    const middle = half ? (this.db.prepare(`SELECT min(rowid) / 2 + max(rowid) / 2 FROM ${ident(this.table.name)}`).pluck().safeIntegers(true).get() as bigint | null) : undefined;
    const rows = (half ? stmt.iterate(middle) : stmt.iterate()) as IterableIterator<[string, ...unknown[]]>;
    let skipped = 0;
    for (const row of rows) {
      // A row the backfill skipped by the operator's choice is not in PostgreSQL: not counted.
      if (skippedKeys.size > 0 && skippedKeys.has(row[0])) {
        skipped++;
        continue;
      }
      const c = chunkOf(bounds, row[0]!);
      const [h, l] = rowHash(row);
      const sum = low[c]! + l;
      low[c] = sum >>> 0;
      high[c] = (high[c]! + h + (sum > 0xffffffff ? 1 : 0)) >>> 0;
      counts[c]!++;
    }
    const hashes: string[] = [];
    for (let c = 0; c < n; c++) hashes.push(high[c]!.toString(16).padStart(8, '0') + low[c]!.toString(16).padStart(8, '0'));
    return { counts, hashes, skipped };
  }
}

/** The chunk of a key: the first i with key <= bounds[i] (bounds ascending by byte), bounds.length past the last. */
export function chunkOf(bounds: readonly string[], key: string): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(key, bounds[mid]!) <= 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Two halves' checksums of the same chunks, added up. */
export function addChecksums(a: TableChecksums, b: TableChecksums): TableChecksums {
  return {
    counts: a.counts.map((n, c) => n + b.counts[c]!),
    hashes: a.hashes.map((h, c) => BigInt.asUintN(64, BigInt(`0x${h}`) + BigInt(`0x${b.hashes[c]!}`)).toString(16).padStart(16, '0')),
    skipped: a.skipped + b.skipped,
  };
}
