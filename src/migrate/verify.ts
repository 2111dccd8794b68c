/**
 * `swarm-registry verify` (SPEC §8): compares the two databases table by table in primary-key
 * chunks. Each side streams its canonical rows in key order (SQLite in the snapshot worker,
 * PostgreSQL through COPY TO STDOUT) and sums each chunk up as a checksum; rows are compared only
 * where the checksums differ. With `repair`, the differing chunks are then made equal (repair.ts).
 */
import { chunkHash } from './canonical';
import { MIGRATION_TABLES } from './columns';
import { asMigrationError } from './errors';
import { readExceptions } from './backfill-state';
import type { RowException } from './exceptions';
import { connectPostgres, requireRegistrySchema, type PgClient } from './pg-target';
import { SnapshotReader } from './snapshot-reader';
import { requireRegistryFile } from './settings';
import { diffRows, type DifferenceCounts } from './verify-diff';
import { PostgresRowStream } from './verify-pg';
import { indexExceptions } from './verify-sqlite';
import { repairRanges, type KeyRange, type RepairDirection, type RepairResult } from './repair';

export interface VerifyOptions {
  registryDb: string;
  databaseUrl: string;
  pgSchema: string;
  /** Make PostgreSQL match SQLite (`postgres`), or SQLite match PostgreSQL (`sqlite`). */
  repair?: RepairDirection;
  chunkRows?: number;
  sampleLimit?: number;
  onProgress?: (progress: { table: string; done: number; total: number }) => void;
}

export interface TableVerify extends DifferenceCounts {
  table: string;
  sqliteRows: number;
  postgresRows: number;
  /** Rows the backfill left out or nulled by the operator's choice (not counted as differences). */
  exceptions: number;
}

export interface VerifyResult {
  clean: boolean;
  tables: TableVerify[];
  missing: number;
  extra: number;
  different: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  repair?: RepairResult;
}

export async function runVerify(options: VerifyOptions): Promise<VerifyResult> {
  requireRegistryFile(options.registryDb);
  const client = await connectPostgres(options.databaseUrl);
  const reader = new SnapshotReader();
  try {
    await requireRegistrySchema(client, options.pgSchema, options.databaseUrl);
    const started = process.hrtime.bigint();
    await reader.request({ type: 'open', registryDb: options.registryDb, cacheKib: 65536 }, 'opened');
    const exceptions = await readExceptions(client, options.pgSchema);
    const tables: TableVerify[] = [];
    const ranges = new Map<string, KeyRange[]>();
    for (const table of MIGRATION_TABLES) {
      const result = await compareTable(client, reader, options, table.name, exceptions, (r) => ranges.set(table.name, r));
      tables.push(result);
    }
    await reader.close();
    const sum = (k: 'missing' | 'extra' | 'different' | 'sqliteRows'): number => tables.reduce((n, t) => n + t[k], 0);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const result: VerifyResult = {
      clean: sum('missing') + sum('extra') + sum('different') === 0,
      tables, missing: sum('missing'), extra: sum('extra'), different: sum('different'), rows: sum('sqliteRows'),
      seconds, rowsPerSecond: sum('sqliteRows') / seconds,
    };
    if (options.repair && !result.clean) {
      result.repair = await repairRanges({ ...options, direction: options.repair, client, ranges, exceptions });
    }
    return result;
  } catch (error) {
    throw asMigrationError(error, options.databaseUrl, options.repair ? 'The repair' : 'The verification');
  } finally {
    await reader.close();
    await client.end().catch(() => undefined);
  }
}

async function compareTable(
  client: PgClient, reader: SnapshotReader, options: VerifyOptions, name: string, exceptions: RowException[], keepRanges: (r: KeyRange[]) => void,
): Promise<TableVerify> {
  const table = MIGRATION_TABLES.find((t) => t.name === name)!;
  const chunkRows = options.chunkRows ?? 5000;
  const result: TableVerify = { table: name, sqliteRows: 0, postgresRows: 0, missing: 0, extra: 0, different: 0, samples: [], exceptions: exceptions.filter((e) => e.table === name).length };
  const ranges: KeyRange[] = [];
  const index = indexExceptions(table, exceptions);
  const postgres = new PostgresRowStream(client, options.pgSchema, table, index);
  const ask = (afterKey: string | null, first: boolean) =>
    reader.request({ type: 'verify-chunk', table: name, afterKey, chunkRows, ...(first ? { exceptions: exceptions.filter((e) => e.table === name) } : {}) }, 'verify-chunk');
  let afterKey: string | null = null;
  let pending = ask(null, true);
  for (;;) {
    const { chunk } = await pending;
    // The worker reads the next chunk while this one is compared.
    if (!chunk.final) pending = ask(chunk.lastKey, false);
    const upTo = chunk.final ? null : chunk.lastKey;
    const rows = await postgres.takeUpTo(upTo);
    result.sqliteRows += chunk.rows;
    result.postgresRows += rows.length;
    if (chunkHash(rows.map((r) => r[1])) !== chunk.hash) {
      const { rows: sqliteRows } = await reader.request({ type: 'verify-rows', table: name, afterKey, upToKey: upTo }, 'verify-rows');
      diffRows(table, sqliteRows, rows, result, options.sampleLimit ?? 3);
      ranges.push({ afterKey, upToKey: upTo });
    }
    options.onProgress?.({ table: name, done: result.sqliteRows, total: 0 });
    if (chunk.final) break;
    afterKey = chunk.lastKey;
  }
  await postgres.drain();
  keepRanges(ranges);
  return result;
}
