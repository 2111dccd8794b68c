/**
 * The backfill's own small tables in the registry schema. `_registry_backfill` holds, per table,
 * the last key copied: each chunk commits in the same transaction as its progress row, so a run
 * killed at any point (even `kill -9`) resumes after the last committed chunk and copies every row
 * exactly once. `_registry_backfill_exceptions` lists the rows the operator chose to skip or whose
 * values were nulled, so that `verify` tells them apart from rows that went missing.
 */
import { BACKFILL_EXCEPTIONS_TABLE } from '../../shadow/shared';
import { quoteSchema } from '../../schema';
import type { PgClient } from '../postgres';
import type { RowException } from '../profile';

export const PROGRESS_TABLE = '_registry_backfill';
export const EXCEPTIONS_TABLE = BACKFILL_EXCEPTIONS_TABLE;

export function backfillStateDdl(schema: string): string[] {
  const s = quoteSchema(schema);
  return [
    `CREATE TABLE IF NOT EXISTS ${s}.${PROGRESS_TABLE} (
      table_name TEXT COLLATE "C" PRIMARY KEY,
      last_key TEXT COLLATE "C",
      rows BIGINT NOT NULL DEFAULT 0,
      done BOOLEAN NOT NULL DEFAULT false,
      updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW())`,
    // The change log's position of the snapshot the table's chunks were read from (hand-off.ts).
    `ALTER TABLE ${s}.${PROGRESS_TABLE} ADD COLUMN IF NOT EXISTS snapshot_position BIGINT`,
    `CREATE TABLE IF NOT EXISTS ${s}.${EXCEPTIONS_TABLE} (
      table_name TEXT COLLATE "C" NOT NULL,
      row_key TEXT COLLATE "C" NOT NULL,
      column_name TEXT COLLATE "C" NOT NULL DEFAULT '',
      reason TEXT NOT NULL,
      recorded_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      PRIMARY KEY (table_name, row_key, column_name))`,
  ];
}

export async function ensureBackfillState(client: PgClient, schema: string): Promise<void> {
  for (const sql of backfillStateDdl(schema)) await client.query(sql);
}

export interface TableProgress {
  lastKey: string | null;
  rows: number;
  done: boolean;
}

export async function readProgress(client: PgClient, schema: string, table: string): Promise<TableProgress> {
  const { rows } = await client.query<{ last_key: string | null; rows: string; done: boolean }>(
    `SELECT last_key, rows, done FROM ${quoteSchema(schema)}.${PROGRESS_TABLE} WHERE table_name = $1`,
    [table],
  );
  const row = rows[0];
  return row ? { lastKey: row.last_key, rows: Number(row.rows), done: row.done } : { lastKey: null, rows: 0, done: false };
}

/**
 * Adds a committed chunk to the table's progress (call inside the chunk's transaction), with the
 * change log's position of the snapshot it was read from (null: the file has no change log).
 */
export async function advanceProgress(client: PgClient, schema: string, table: string, lastKey: string | null, rows: number, snapshotPosition: number | null, done = false): Promise<void> {
  await client.query(
    `INSERT INTO ${quoteSchema(schema)}.${PROGRESS_TABLE} AS p (table_name, last_key, rows, done, snapshot_position) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (table_name) DO UPDATE SET last_key = coalesce(EXCLUDED.last_key, p.last_key), rows = p.rows + EXCLUDED.rows,
       done = EXCLUDED.done, snapshot_position = EXCLUDED.snapshot_position, updated_at = NOW()`,
    [table, lastKey, rows, done, snapshotPosition],
  );
}

/** Forgets all progress: the next backfill starts over (rows already present are kept, not duplicated). */
export async function resetProgress(client: PgClient, schema: string): Promise<void> {
  await client.query(`DELETE FROM ${quoteSchema(schema)}.${PROGRESS_TABLE}`);
}

export async function recordExceptions(client: PgClient, schema: string, exceptions: readonly RowException[]): Promise<void> {
  for (let i = 0; i < exceptions.length; i += 5000) {
    const batch = exceptions.slice(i, i + 5000);
    await client.query(
      `INSERT INTO ${quoteSchema(schema)}.${EXCEPTIONS_TABLE} (table_name, row_key, column_name, reason)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
      [batch.map((e) => e.table), batch.map((e) => e.key), batch.map((e) => e.column ?? ''), batch.map((e) => e.reason)],
    );
  }
}

/** Forgets the recorded exceptions (a copy that starts over records its own). */
export async function clearExceptions(client: PgClient, schema: string): Promise<void> {
  await client.query(`DELETE FROM ${quoteSchema(schema)}.${EXCEPTIONS_TABLE}`);
}

/** The recorded exceptions (none when the table does not exist: no backfill ran with a choice). */
export async function readExceptions(client: PgClient, schema: string): Promise<RowException[]> {
  const { rows } = await client.query<{ table_name: string; row_key: string; column_name: string; reason: string }>(
    `SELECT table_name, row_key, column_name, reason FROM ${quoteSchema(schema)}.${EXCEPTIONS_TABLE}
      WHERE to_regclass($1) IS NOT NULL ORDER BY 1, 2, 3`,
    [`${quoteSchema(schema)}.${EXCEPTIONS_TABLE}`],
  ).catch((error: { code?: string }) => {
    if (error.code === '42P01') return { rows: [] };
    throw error;
  });
  return rows.map((r) => ({ table: r.table_name, key: r.row_key, column: r.column_name === '' ? null : r.column_name, reason: r.reason }));
}
