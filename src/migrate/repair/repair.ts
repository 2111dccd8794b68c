/**
 * `verify --repair`: makes one side match the other in the key ranges where verify found a
 * difference. Each range is re-read and re-compared at repair time, then fixed in one transaction,
 * so a repair is idempotent and can be rerun after an interruption. Deletions run children-first
 * and writes parents-first, so that foreign keys hold after every transaction. A row the target
 * cannot hold (compare/row-problems.ts) is left as it is and reported, found beforehand where its values
 * say so, otherwise when its range's transaction fails on a row's data: the range is then retried
 * one row per transaction, so the rest of the range is still repaired.
 */
import { canonicalRowText, jsonPositions, postgresCanonicalSql } from '../canonical';
import { MIGRATION_TABLES, type MigrationTable, openRegistryFile, type SqliteDatabase } from '../core';
import { type PgClient } from '../postgres';
import { type RepairCounts, type RepairDirection, type RepairResult } from '../results';
import type { RowException } from '../profile';
import { diffRows, isRowError, postgresRowProblem, type RowProblem, sqliteRowProblems } from '../compare';
import { indexExceptions, VerifyChunkReader, type CanonicalRow } from '../snapshot';
import { PostgresRepairTarget } from './postgres';
import { SqliteRepairTarget } from './sqlite';
import type { RepairTarget } from './target';
export type { RepairTarget };
export type { RepairDirection, RepairCounts, RepairResult };

export interface KeyRange {
  afterKey: string | null;
  upToKey: string | null;
}

export interface RepairOptions {
  registryDb: string;
  pgSchema: string;
  direction: RepairDirection;
  client: PgClient;
  ranges: ReadonlyMap<string, KeyRange[]>;
  exceptions: RowException[];
}

export async function repairRanges(options: RepairOptions): Promise<RepairResult> {
  const db = openRegistryFile(options.registryDb, { writable: options.direction === 'sqlite' });
  const result: RepairResult = { direction: options.direction, written: 0, deleted: 0, tables: {}, left: [] };
  try {
    const target: RepairTarget = options.direction === 'postgres'
      ? new PostgresRepairTarget(options.client, options.pgSchema, db, options.exceptions)
      : await SqliteRepairTarget.create(db, options.client, options.pgSchema);
    for (const pass of ['delete', 'write'] as const) {
      const tables = pass === 'delete' ? [...MIGRATION_TABLES].reverse() : MIGRATION_TABLES;
      for (const table of tables) {
        const counts = (result.tables[table.name] ??= { written: 0, deleted: 0 });
        for (const range of options.ranges.get(table.name) ?? []) {
          const diff = await compareRange(db, options, table, range);
          const source = options.direction === 'postgres' ? diff.missing.concat(diff.different) : diff.extra.concat(diff.different);
          const surplus = options.direction === 'postgres' ? diff.extra : diff.missing;
          if (pass === 'delete' && surplus.length > 0) {
            const done = await rowByRowOnFailure(table, surplus, (keys) => target.deleteKeys(table, keys), options.direction, result.left);
            counts.deleted += done;
            result.deleted += done;
          } else if (pass === 'write' && source.length > 0) {
            const unholdable = options.direction === 'postgres'
              ? sqliteRowProblems(db, table, source, nulledColumns(options.exceptions, table))
              : source.flatMap((key) => postgresRowProblem(table, key, diff.postgresText.get(key)!) ?? []);
            result.left.push(...unholdable);
            const skip = new Set(unholdable.map((p) => p.key));
            const keys = source.filter((key) => !skip.has(key));
            const done = keys.length === 0 ? 0 : await rowByRowOnFailure(table, keys, (k) => target.writeKeys(table, k), options.direction, result.left);
            counts.written += done;
            result.written += done;
          }
        }
      }
    }
    return result;
  } finally {
    db.close();
  }
}

/** Both sides of one range, read now and compared (keys missing from PostgreSQL, extra there, different). */
async function compareRange(db: SqliteDatabase, options: RepairOptions, table: MigrationTable, range: KeyRange) {
  const tableExceptions = options.exceptions.filter((e) => e.table === table.name);
  const sqlite = new VerifyChunkReader(db, table, 1, tableExceptions).rowsBetween(range.afterKey, range.upToKey);
  const index = indexExceptions(table, tableExceptions);
  const { rows } = await options.client.query<Array<string | null>>({ text: postgresCanonicalSql(options.pgSchema, table, { after: range.afterKey, upTo: range.upToKey }), rowMode: 'array' });
  const keyAt = table.columns.findIndex((c) => c.name === table.key);
  const jsonAt = jsonPositions(table);
  const postgres: CanonicalRow[] = rows.filter((r) => !index.skipped.has(r[keyAt]!)).map((r) => [r[keyAt]!, canonicalRowText(r, jsonAt)]);
  return { ...diffRows(table, sqlite, postgres, { missing: 0, extra: 0, different: 0, samples: [] }, 0), postgresText: new Map(postgres) };
}

/**
 * Applies `apply` to all keys in one transaction; when that fails on a row's data, to each key in a
 * transaction of its own, each failure reported in `left` with the database's reason. Returns the
 * number of keys applied. A failure of the connection or server is not a row's: it is thrown.
 */
async function rowByRowOnFailure(table: MigrationTable, keys: string[], apply: (keys: string[]) => Promise<void>, direction: RepairDirection, left: RowProblem[]): Promise<number> {
  try {
    await apply(keys);
    return keys.length;
  } catch (error) {
    if (!isRowError(error)) throw error;
    if (keys.length === 1) {
      const side = direction === 'postgres' ? 'PostgreSQL' : 'SQLite';
      left.push({ table: table.name, key: keys[0]!, side: direction === 'postgres' ? 'sqlite' : 'postgres', reason: `${side} refused the row: ${(error as Error).message}` });
      return 0;
    }
  }
  let done = 0;
  for (const key of keys) done += await rowByRowOnFailure(table, [key], apply, direction, left);
  return done;
}

function nulledColumns(exceptions: readonly RowException[], table: MigrationTable): Map<string, string[]> {
  const nulled = new Map<string, string[]>();
  for (const e of exceptions) if (e.table === table.name && e.column !== null) nulled.set(e.key, [...(nulled.get(e.key) ?? []), e.column]);
  return nulled;
}
