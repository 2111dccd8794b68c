/**
 * `swarm-registry verify` (docs/cli.md, verify): compares the two databases table by table in primary-key
 * chunks, each summed up as a checksum on each side; rows are compared only where the checksums
 * differ. The chunk boundaries come from an index-only scan of SQLite's keys (every chunkRows-th
 * key by byte); PostgreSQL then sums each chunk's row hashes in one scan of the table
 * (canonical/checksum-sql.ts) while two snapshot workers, each its own connection to the same
 * snapshot, sum SQLite's rows in rowid order, half the table each (snapshot/checksum-reader.ts):
 * the sums are order-independent, so nothing reads in key order and only a count and a number per
 * chunk cross the wire. Rows the backfill skipped by the operator's choice are left out of SQLite's
 * sums; a value it nulled makes its chunk differ, and the chunk's rows are then compared with it as
 * NULL. Without the server's hash (a big-endian server), tables stream their canonical rows from
 * both sides instead (PostgreSQL through COPY TO STDOUT). Either way a chunk that differs is
 * compared row by row, by value (canonical/values.ts). With `repair`, the differing chunks are then
 * made equal (repair/repair.ts).
 */
import {
  canonicalRowText, chunkHash, HASH_PROBE, hashTextExtended, jsonPositions, postgresCanonicalSql,
  postgresChunkedChecksumSql, sumToHex,
} from '../canonical';
import { MIGRATION_TABLES, type MigrationTable, openRegistryFile, requireRegistryFile, type SqliteDatabase } from '../core';
import { connectPostgres, type PgClient, requireRegistrySchema } from '../postgres';
import { asMigrationError, type TableVerify, type VerifyResult } from '../results';
import { readExceptions } from '../backfill';
import type { RowException } from '../profile';
import { addChecksums, type CanonicalRow, indexExceptions, openSecondReader, SnapshotReader, SNAPSHOT_CACHE_KIB, type TableChecksums } from '../snapshot';
import { diffRows, postgresRowProblem, type RowProblem, sqliteRowProblems } from '../compare';
import { PostgresRowStream } from './postgres-rows';
import { repairRanges, type KeyRange, type RepairDirection } from '../repair';
export type { TableVerify, VerifyResult };

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



/** Finds, among a chunk's differing rows, those whose values the other side cannot hold. */
class ProblemFinder {
  readonly problems: RowProblem[] = [];
  #db: SqliteDatabase | undefined;

  constructor(private readonly registryDb: string) {}

  add(table: MigrationTable, found: { missing: string[]; extra: string[]; different: string[] }, postgres: readonly CanonicalRow[]): void {
    const sqliteKeys = found.missing.concat(found.different);
    if (sqliteKeys.length > 0) {
      this.#db ??= openRegistryFile(this.registryDb);
      this.problems.push(...sqliteRowProblems(this.#db, table, sqliteKeys));
    }
    const postgresKeys = new Set(found.extra.concat(found.different));
    for (const [key, text] of postgres) {
      const problem = postgresKeys.has(key) ? postgresRowProblem(table, key, text) : undefined;
      if (problem) this.problems.push(problem);
    }
  }

  close(): void {
    this.#db?.close();
  }
}

export async function runVerify(options: VerifyOptions): Promise<VerifyResult> {
  requireRegistryFile(options.registryDb);
  const client = await connectPostgres(options.databaseUrl);
  const reader = new SnapshotReader();
  let sums: PgClient | undefined;
  let helper: SnapshotReader | undefined;
  const finder = new ProblemFinder(options.registryDb);
  try {
    await requireRegistrySchema(client, options.pgSchema, options.databaseUrl);
    const started = process.hrtime.bigint();
    await reader.request({ type: 'open', registryDb: options.registryDb, cacheKib: SNAPSHOT_CACHE_KIB }, 'opened');
    const exceptions = await readExceptions(client, options.pgSchema);
    const checksums = await serverHashesAsWeDo(client);
    const tables: TableVerify[] = [];
    const ranges = new Map<string, KeyRange[]>();
    // The checksums' queries get their own connection, so that rows of differing chunks need not wait for them.
    if (checksums) {
      sums = await connectPostgres(options.databaseUrl);
      helper = (await openSecondReader(options.registryDb, reader))?.helper;
    }
    const plans = sums ? planChecksums(sums, reader, helper, options, MIGRATION_TABLES, exceptions) : new Map<string, ChecksumPlan>();
    for (const table of MIGRATION_TABLES) {
      const plan = plans.get(table.name);
      const result = plan
        ? await compareByChecksums(client, reader, options, table, plan, exceptions, finder, (r) => ranges.set(table.name, r))
        : await compareTable(client, reader, options, table.name, exceptions, finder, (r) => ranges.set(table.name, r));
      tables.push(result);
    }
    await reader.close();
    await helper?.close();
    const sum = (k: 'missing' | 'extra' | 'different' | 'sqliteRows'): number => tables.reduce((n, t) => n + t[k], 0);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const result: VerifyResult = {
      clean: sum('missing') + sum('extra') + sum('different') === 0,
      tables, missing: sum('missing'), extra: sum('extra'), different: sum('different'), rows: sum('sqliteRows'),
      seconds, rowsPerSecond: sum('sqliteRows') / seconds, problems: finder.problems,
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
    await sums?.end().catch(() => undefined);
    await helper?.close();
    finder.close();
  }
}

/**
 * The checksums need the server's hashtextextended to be canonical/hash.ts's (a little-endian
 * server); on any other, every table is compared the row-by-row way, slower but as exact.
 */
async function serverHashesAsWeDo(client: PgClient): Promise<boolean> {
  const { rows } = await client.query<{ h: string }>('SELECT hashtextextended($1, 0)::text AS h', [HASH_PROBE]);
  const [high, low] = hashTextExtended(HASH_PROBE);
  return BigInt.asUintN(64, BigInt(rows[0]!.h)) === ((BigInt(high) << 32n) | BigInt(low));
}

async function compareTable(
  client: PgClient, reader: SnapshotReader, options: VerifyOptions, name: string, exceptions: RowException[], finder: ProblemFinder, keepRanges: (r: KeyRange[]) => void,
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
      finder.add(table, diffRows(table, sqliteRows, rows, result, options.sampleLimit ?? 3), rows);
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

/** One table's checksums on both sides, under way: the chunk boundaries, SQLite's sums and PostgreSQL's. */
interface ChecksumPlan {
  bounds: Promise<string[]>;
  sqlite: Promise<TableChecksums>;
  postgres: Promise<Map<number, { n: number; h: string | null }>>;
}

/**
 * Starts the checksums of these tables at once: the worker first finds every table's chunk
 * boundaries (index-only scans of the keys), then sums each table in one plain scan, while
 * PostgreSQL sums each table in one scan as soon as its boundaries are known; both sides use the
 * same boundaries, chunk c holding bounds[c-1] < key <= bounds[c] (open at either end).
 */
function planChecksums(
  client: PgClient, reader: SnapshotReader, helper: SnapshotReader | undefined, options: VerifyOptions, tables: readonly MigrationTable[], exceptions: readonly RowException[],
): Map<string, ChecksumPlan> {
  const chunkRows = options.chunkRows ?? 5000;
  const plans = new Map<string, ChecksumPlan>();
  const quiet = <T>(p: Promise<T>): Promise<T> => (p.catch(() => undefined), p);
  // One query at a time on the connection, in table order.
  let previous: Promise<unknown> = Promise.resolve();
  for (const table of tables) {
    const bounds = quiet(reader.request({ type: 'checksum-bounds', table: table.name, chunkRows }, 'checksum-bounds').then((r) => r.bounds));
    const sql = postgresChunkedChecksumSql(options.pgSchema, table);
    const postgres = quiet(Promise.all([bounds, previous.catch(() => undefined)]).then(async ([b]) => {
      const { rows } = await client.query<{ c: number; n: number; h: string | null }>(sql, [b]);
      return new Map(rows.map((r) => [r.c, { n: r.n, h: r.h }]));
    }));
    previous = postgres;
    plans.set(table.name, { bounds, sqlite: undefined as unknown as Promise<TableChecksums>, postgres });
  }
  for (const table of tables) {
    const plan = plans.get(table.name)!;
    // Rows the backfill skipped by the operator's choice are not in PostgreSQL: left out of SQLite's sums.
    const skipped = exceptions.filter((e) => e.table === table.name && e.column === null).map((e) => e.key);
    if (!helper) {
      plan.sqlite = quiet(reader.request({ type: 'checksum-table', table: table.name, skipped }, 'checksum-table').then((r) => r.checksums));
      continue;
    }
    // Two threads, each its own connection to the same snapshot, sum half the table's rows each.
    const lower = reader.request({ type: 'checksum-table', table: table.name, half: 'lower', skipped }, 'checksum-table');
    const upper = plan.bounds.then((bounds) => helper.request({ type: 'checksum-table', table: table.name, bounds, half: 'upper', skipped }, 'checksum-table'));
    plan.sqlite = quiet(Promise.all([lower, upper]).then(([a, b]) => addChecksums(a.checksums, b.checksums)));
  }
  return plans;
}

/**
 * The fast path: each side sums each key range up itself; only differing ranges bring rows over.
 * The operator's backfill exceptions: a skipped row is left out of SQLite's sums, and a range
 * holding a nulled value differs and is compared row by row with the value as NULL.
 */
async function compareByChecksums(
  client: PgClient, reader: SnapshotReader, options: VerifyOptions, table: MigrationTable, plan: ChecksumPlan, exceptions: readonly RowException[], finder: ProblemFinder,
  keepRanges: (r: KeyRange[]) => void,
): Promise<TableVerify> {
  const own = exceptions.filter((e) => e.table === table.name);
  const result: TableVerify = { table: table.name, sqliteRows: 0, postgresRows: 0, missing: 0, extra: 0, different: 0, samples: [], exceptions: own.length };
  const ranges: KeyRange[] = [];
  const bounds = await plan.bounds;
  const [sqlite, postgresSums] = await Promise.all([plan.sqlite, plan.postgres]);
  for (let c = 0; c <= bounds.length; c++) {
    const afterKey = c > 0 ? bounds[c - 1]! : null;
    const upTo = c < bounds.length ? bounds[c]! : null;
    const postgres = postgresSums.get(c) ?? { n: 0, h: null };
    result.sqliteRows += sqlite.counts[c]!;
    result.postgresRows += postgres.n;
    if (postgres.n !== sqlite.counts[c] || sumToHex(postgres.h) !== sqlite.hashes[c]) {
      // Different texts can still be equal values (JSON 1.0 and 1): compare the rows by value.
      const { rows: sqliteRows } = await reader.request({ type: 'verify-rows', table: table.name, afterKey, upToKey: upTo, ...(own.length ? { exceptions: own } : {}) }, 'verify-rows');
      const theirs = await postgresRows(client, options.pgSchema, table, afterKey, upTo);
      const found = diffRows(table, sqliteRows, theirs, result, options.sampleLimit ?? 3);
      finder.add(table, found, theirs);
      if (found.missing.length + found.extra.length + found.different.length > 0) ranges.push({ afterKey, upToKey: upTo });
    }
    options.onProgress?.({ table: table.name, done: result.sqliteRows, total: 0 });
  }
  result.sqliteRows += sqlite.skipped;
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
