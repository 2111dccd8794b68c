/**
 * The PostgreSQL side of `verify`: one `COPY (SELECT ... ORDER BY key COLLATE "C") TO STDOUT` per
 * table, parsed as it streams into canonical rows, handed out by key range.
 */
import { to as copyTo } from 'pg-copy-streams';
import { canonicalRowText, jsonPositions, postgresCanonicalSql } from '../canonical';
import { compareKeys, type MigrationTable } from '../core';
import { type PgClient } from '../postgres';
import { copyRows } from '../copy';
import type { CanonicalRow, RowExceptionIndex } from '../snapshot';

export class PostgresRowStream {
  private readonly batches: AsyncGenerator<Array<Array<string | null>>>;
  private buffer: CanonicalRow[] = [];
  private position = 0;
  private ended = false;
  private readonly jsonAt: number[];
  private readonly keyAt: number;

  constructor(client: PgClient, schema: string, table: MigrationTable, private readonly exceptions: RowExceptionIndex) {
    const stream = client.query(copyTo(`COPY (${postgresCanonicalSql(schema, table)}) TO STDOUT`));
    this.batches = copyRows(stream);
    this.jsonAt = jsonPositions(table);
    this.keyAt = table.columns.findIndex((c) => c.name === table.key);
  }

  /** The rows with key <= upToKey (all remaining rows when null), in key order. */
  async takeUpTo(upToKey: string | null): Promise<CanonicalRow[]> {
    const out: CanonicalRow[] = [];
    for (;;) {
      while (this.position < this.buffer.length) {
        const row = this.buffer[this.position]!;
        if (upToKey !== null && compareKeys(row[0], upToKey) > 0) return out;
        out.push(row);
        this.position++;
      }
      if (!(await this.fill())) return out;
    }
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.batches.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.buffer = [];
    this.position = 0;
    for (const values of next.value) {
      const key = values[this.keyAt] as string;
      if (this.exceptions.skipped.has(key)) continue;
      this.buffer.push([key, canonicalRowText(values, this.jsonAt)]);
    }
    return true;
  }

  /** Reads the stream to its end (so the connection is free for the next query). */
  async drain(): Promise<void> {
    while (await this.fill());
  }
}
