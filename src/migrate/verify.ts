/**
 * `swarm-registry verify` (SPEC §8): compares the two databases table by table in primary-key
 * chunks, each summed up as a checksum on each side; rows are compared only where the checksums
 * differ. For a table without backfill exceptions, PostgreSQL computes each chunk's checksum itself
 * (verify-checksum-sql.ts: a sum of row hashes) while the snapshot worker computes SQLite's, so nothing but a count and a number
 * per chunk crosses the wire and no PostgreSQL value is parsed in JavaScript. Tables with rows
 * skipped or nulled by the operator's choice stream their canonical rows from both sides instead
 * (PostgreSQL through COPY TO STDOUT). Either way a chunk that differs is compared row by row, by
 * value (canonical.ts). With `repair`, the differing chunks are then made equal (repair.ts).
 */
import { canonicalRowText, chunkHash, jsonPositions } from './canonical';
import { MIGRATION_TABLES, type MigrationTable } from './columns';
import { asMigrationError } from './errors';
import { readExceptions } from './backfill-state';
import type { RowException } from './exceptions';
import { connectPostgres, requireRegistrySchema, type PgClient } from './pg-target';
import { SnapshotReader } from './snapshot-reader';
import { requireRegistryFile } from './settings';
import { diffRows, type DifferenceCounts } from './verify-diff';
import { PostgresRowStream } from './verify-pg';
import { indexExceptions, type CanonicalRow, type VerifyChunk } from './verify-sqlite';
import { HASH_PROBE, postgresChecksumSql } from './verify-checksum-sql';
import { hashTextExtended, sumToHex } from './canonical-hash';
import { postgresCanonicalSql } from './verify-sql';
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
    const checksums = await serverHashesAsWeDo(client);
    const tables: TableVerify[] = [];
    const ranges = new Map<string, KeyRange[]>();
    for (const table of MIGRATION_TABLES) {
      const result = await compareTable(client, reader, options, table.name, exceptions, checksums, (r) => ranges.set(table.name, r));
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

/**
 * The checksums need the server's hashtextextended to be canonical-hash.ts's (a little-endian
 * server); on any other, every table is compared the row-by-row way, slower but as exact.
 */
async function serverHashesAsWeDo(client: PgClient): Promise<boolean> {
  const { rows } = await client.query<{ h: string }>('SELECT hashtextextended($1, 0)::text AS h', [HASH_PROBE]);
  const [high, low] = hashTextExtended(HASH_PROBE);
  return BigInt.asUintN(64, BigInt(rows[0]!.h)) === ((BigInt(high) << 32n) | BigInt(low));
}

async function compareTable(
  client: PgClient, reader: SnapshotReader, options: VerifyOptions, name: string, exceptions: RowException[], checksums: boolean, keepRanges: (r: KeyRange[]) => void,
): Promise<TableVerify> {
  const table = MIGRATION_TABLES.find((t) => t.name === name)!;
  if (checksums && !exceptions.some((e) => e.table === name)) return compareByChecksums(client, reader, options, table, keepRanges);
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

/** The fast path: PostgreSQL sums each key range up itself; only differing ranges bring rows over. */
async function compareByChecksums(
  client: PgClient, reader: SnapshotReader, options: VerifyOptions, table: MigrationTable, keepRanges: (r: KeyRange[]) => void,
): Promise<TableVerify> {
  const chunkRows = options.chunkRows ?? 5000;
  const result: TableVerify = { table: table.name, sqliteRows: 0, postgresRows: 0, missing: 0, extra: 0, different: 0, samples: [], exceptions: 0 };
  const ranges: KeyRange[] = [];
  const sql = postgresChecksumSql(options.pgSchema, table);
  const chunks = prefetchChunks((afterKey) => reader.request({ type: 'checksum-chunk', table: table.name, afterKey, chunkRows }, 'checksum-chunk').then((r) => r.chunk));
  let afterKey: string | null = null;
  for (;;) {
    const chunk = await chunks.next();
    const upTo = chunk.final ? null : chunk.lastKey;
    const { rows } = await client.query<{ n: number; h: string | null }>(sql, [afterKey, upTo]);
    const postgres = rows[0]!;
    result.sqliteRows += chunk.rows;
    result.postgresRows += postgres.n;
    if (postgres.n !== chunk.rows || sumToHex(postgres.h) !== chunk.hash) {
      // Different texts can still be equal values (JSON 1.0 and 1): compare the rows by value.
      const { rows: sqliteRows } = await reader.request({ type: 'verify-rows', table: table.name, afterKey, upToKey: upTo }, 'verify-rows');
      const found = diffRows(table, sqliteRows, await postgresRows(client, options.pgSchema, table, afterKey, upTo), result, options.sampleLimit ?? 3);
      if (found.missing.length + found.extra.length + found.different.length > 0) ranges.push({ afterKey, upToKey: upTo });
    }
    options.onProgress?.({ table: table.name, done: result.sqliteRows, total: 0 });
    if (chunk.final) break;
    afterKey = chunk.lastKey;
  }
  keepRanges(ranges);
  return result;
}

/** PostgreSQL's canonical rows of one key range, in key order. */
async function postgresRows(client: PgClient, schema: string, table: MigrationTable, afterKey: string | null, upToKey: string | null): Promise<CanonicalRow[]> {
  const { rows } = await client.query<Array<string | null>>({ text: postgresCanonicalSql(schema, table, { after: afterKey, upTo: upToKey }), rowMode: 'array' });
  const keyAt = table.columns.findIndex((c) => c.name === table.key);
  const jsonAt = jsonPositions(table);
  return rows.map((r) => [r[keyAt]!, canonicalRowText(r, jsonAt)]);
}

/**
 * Asks for chunk after chunk as soon as the previous one is known, without waiting for PostgreSQL,
 * so that the worker never idles; at most a few chunk summaries wait in memory.
 */
function prefetchChunks(ask: (afterKey: string | null) => Promise<VerifyChunk>, ahead = 4): { next(): Promise<VerifyChunk> } {
  const ready: Array<Promise<VerifyChunk>> = [];
  let last: Promise<VerifyChunk> | undefined;
  let ended = false;
  const fill = (): void => {
    while (!ended && ready.length < ahead) {
      const previous: Promise<VerifyChunk> | undefined = last;
      last = previous ? previous.then((c) => (c.final ? c : ask(c.lastKey))) : ask(null);
      last.catch(() => undefined);
      ready.push(last);
      void last.then((c) => { if (c.final) ended = true; }, () => undefined);
      if (previous === undefined) break;
    }
  };
  fill();
  return {
    async next() {
      const chunk = await ready.shift()!;
      if (chunk.final) ended = true;
      fill();
      return chunk;
    },
  };
}
