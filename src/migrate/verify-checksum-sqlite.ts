/**
 * The SQLite side of `verify`'s fast path (verify-checksum-sql.ts): one table in key order, a chunk
 * at a time, summed up as the md5 PostgreSQL computes for the same key range. Runs in the snapshot
 * worker. Only for tables without exceptions recorded by the backfill (rows skipped or values
 * nulled by the operator's choice), which verify compares the row-by-row way.
 */
import crypto from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { jsonbText } from './canonical-jsonb';
import type { MigrationTable } from './columns';
import type { SqliteDatabase } from './sqlite-source';
import { checksumColumns, sqliteChecksumSql } from './verify-checksum-sql';
import type { VerifyChunk } from './verify-sqlite';

type Stmt = BetterSqlite3.Statement<unknown[]>;

export class ChecksumChunkReader {
  private readonly first: Stmt;
  private readonly next: Stmt;
  private readonly jsonColumns: number;

  constructor(db: SqliteDatabase, readonly table: MigrationTable, private readonly chunkRows: number) {
    this.first = db.prepare(sqliteChecksumSql(table, false)).raw(true) as Stmt;
    this.next = db.prepare(sqliteChecksumSql(table, true)).raw(true) as Stmt;
    this.jsonColumns = checksumColumns(table).json.length;
  }

  read(afterKey: string | null): VerifyChunk {
    const args = afterKey === null ? [this.chunkRows] : [afterKey, this.chunkRows];
    const hash = crypto.createHash('md5');
    if (this.jsonColumns === 0) {
      const [text, rows, lastKey] = (afterKey === null ? this.first : this.next).get(...args) as [string | null, number, string | null];
      hash.update(text ?? '');
      return { rows, lastKey: rows ? lastKey : null, hash: hash.digest('hex'), final: rows < this.chunkRows };
    }
    const rows = (afterKey === null ? this.first : this.next).all(...args) as Array<Array<string | null>>;
    const texts = new Array<string>(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      let text = row[1]!;
      for (let i = 2; i < row.length; i++) {
        const value = row[i];
        if (value === null || value === undefined) {
          text += '~';
        } else {
          const json = jsonbText(value);
          text += `${Buffer.byteLength(json)}:${json}`;
        }
      }
      texts[r] = text;
    }
    hash.update(texts.join('\n'));
    const lastKey = rows.length ? rows[rows.length - 1]![0]! : null;
    return { rows: rows.length, lastKey, hash: hash.digest('hex'), final: rows.length < this.chunkRows };
  }
}
