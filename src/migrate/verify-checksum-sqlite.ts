/**
 * The SQLite side of `verify`'s fast path (verify-checksum-sql.ts): one table in key order, a chunk
 * at a time, summed up as PostgreSQL sums the same key range: the row texts hashed with
 * hashtextextended's function and added modulo 2^64. Runs in the snapshot worker. Only for tables
 * without exceptions recorded by the backfill (rows skipped or values nulled by the operator's
 * choice), which verify compares the row-by-row way.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { HashSum } from './canonical-hash';
import { jsonbText } from './canonical-jsonb';
import type { MigrationTable } from './columns';
import type { SqliteDatabase } from './sqlite-source';
import { sqliteChecksumSql } from './verify-checksum-sql';
import type { VerifyChunk } from './verify-sqlite';

type Stmt = BetterSqlite3.Statement<unknown[]>;

export class ChecksumChunkReader {
  private readonly first: Stmt;
  private readonly next: Stmt;

  constructor(db: SqliteDatabase, readonly table: MigrationTable, private readonly chunkRows: number) {
    this.first = db.prepare(sqliteChecksumSql(table, false)).raw(true) as Stmt;
    this.next = db.prepare(sqliteChecksumSql(table, true)).raw(true) as Stmt;
  }

  read(afterKey: string | null): VerifyChunk {
    const rows = (afterKey === null ? this.first.all(this.chunkRows) : this.next.all(afterKey, this.chunkRows)) as Array<Array<string | null>>;
    const sum = new HashSum();
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      let text = row[1]!;
      for (let i = 2; i < row.length; i++) text += jsonField(row[i]);
      sum.add(text);
    }
    const lastKey = rows.length ? rows[rows.length - 1]![0]! : null;
    return { rows: rows.length, lastKey, hash: sum.hex(), final: rows.length < this.chunkRows };
  }
}

function jsonField(value: string | null | undefined): string {
  if (value === null || value === undefined) return ':';
  const json = jsonbText(value);
  return `${Buffer.byteLength(json)}:${json}`;
}
