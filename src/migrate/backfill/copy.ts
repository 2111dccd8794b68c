/**
 * Writes one chunk into PostgreSQL with COPY, in one transaction with its progress row.
 * `direct` COPYs into the table (fastest); when rows are already there (the shadow mirror wrote
 * them, or a reset progress) the chunk goes through a staging table and
 * `INSERT ... ON CONFLICT DO NOTHING`, so rows already present are kept, never duplicated.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteSchema } from '../../schema';
import { ident, type MigrationTable } from '../core';
import { type PgClient } from '../postgres';
import { CSV_COPY_OPTIONS } from '../copy';
import { advanceProgress } from './state';
import type { Chunk } from '../snapshot';

export type CopyMode = 'direct' | 'staging';

/** COPYs rows encoded as copy/csv.ts writes them into `target`. */
export async function copyText(client: PgClient, target: string, columns: string, text: string | Buffer): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${target} (${columns}) FROM STDIN ${CSV_COPY_OPTIONS}`));
  await pipeline(Readable.from([typeof text === 'string' ? Buffer.from(text) : text]), stream);
}

/** Commits the chunk and its progress; returns how many rows were inserted. */
export async function commitChunk(client: PgClient, schema: string, table: MigrationTable, chunk: Chunk, text: Buffer, mode: CopyMode, snapshotPosition: number | null): Promise<number> {
  const target = `${quoteSchema(schema)}.${ident(table.name)}`;
  const columns = table.columns.map((c) => ident(c.name)).join(', ');
  await client.query('BEGIN');
  try {
    let inserted = 0;
    if (chunk.rows > 0 && mode === 'direct') {
      await copyText(client, target, columns, text);
      inserted = chunk.rows;
    } else if (chunk.rows > 0) {
      const stage = ident(`_stage_${table.name}`);
      await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (LIKE ${target}) ON COMMIT DELETE ROWS`);
      await copyText(client, stage, columns, text);
      const result = await client.query(`INSERT INTO ${target} (${columns}) SELECT ${columns} FROM ${stage} ON CONFLICT DO NOTHING`);
      inserted = result.rowCount ?? 0;
    }
    await advanceProgress(client, schema, table.name, chunk.lastKey, inserted, snapshotPosition);
    await client.query('COMMIT');
    return inserted;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A row of the chunk is already in PostgreSQL: only the staging path can copy it. */
export function isAlreadyPresent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
