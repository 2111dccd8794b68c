/**
 * `swarm-registry backfill` (docs/cli.md, backfill): every row of the 8 tables from the SQLite registry into
 * PostgreSQL, from one consistent snapshot (held by the snapshot worker), profiled first,
 * resumable, streamed chunk by chunk so that memory stays flat whatever the table size. The worker
 * reads the next chunk while PostgreSQL stores the current one. When foreign keys are checked in
 * bulk afterwards (no per-row triggers), the tables load over two connections at once, split so
 * that each carries about half the rows: PostgreSQL's parsing (JSONB, timestamps) and index upkeep
 * is the larger half of the work, and one backend process can only use one core.
 */
import { setTimestampFormats } from '../../schema';
import { danglingReferences, restoreRowTriggers, skipRowTriggers } from './checks';
import { commitChunk, isAlreadyPresent, type CopyMode } from './copy';
import { advanceProgress, clearExceptions, ensureBackfillState, readProgress, recordExceptions, resetProgress } from './state';
import { emptyTables, handOver, startingPoint, type StartingPoint } from './hand-off';
import { MIGRATION_TABLES, type MigrationTable, requireRegistryFile } from '../core';
import { connectPostgres, type PgClient, requireRegistrySchema } from '../postgres';
import { asMigrationError, type BackfillResult, MigrationError, type TableBackfill } from '../results';
import { type Choices, mergeProfiles, type RegistryProfile } from '../profile';
import { openSecondReader, SnapshotReader, SNAPSHOT_CACHE_KIB } from '../snapshot';
export type { TableBackfill, BackfillResult };

export interface BackfillOptions {
  registryDb: string;
  databaseUrl: string;
  pgSchema: string;
  choices?: Choices;
  /** Forget the progress of earlier runs and go over every row again (present rows are kept). */
  restart?: boolean;
  chunkRows?: number;
  /** Called once the data is profiled, before anything is written. */
  onProfile?: (profile: RegistryProfile) => void;
  onProgress?: (progress: BackfillProgress) => void;
}

export interface BackfillProgress {
  table: string;
  /** Rows dealt with so far (copied, present, skipped, or copied by an earlier run). */
  done: number;
  total: number;
}



export async function runBackfill(options: BackfillOptions): Promise<BackfillResult> {
  requireRegistryFile(options.registryDb);
  const client = await connectPostgres(options.databaseUrl, { asyncCommit: true });
  const reader = new SnapshotReader();
  let helper: SnapshotReader | undefined;
  let secondLaneClient: PgClient | undefined;
  try {
    await requireRegistrySchema(client, options.pgSchema, options.databaseUrl);
    const started = process.hrtime.bigint();
    const opened = await reader.request({ type: 'open', registryDb: options.registryDb, cacheKib: SNAPSHOT_CACHE_KIB }, 'opened');
    const { journalMode } = opened;
    // A second reader of the same snapshot profiles half of the tables, while nothing else runs.
    // It stops before the copy: there, PostgreSQL's two connections keep both cores busy already.
    const second = await openSecondReader(options.registryDb, reader);
    if (second) helper = second.helper;
    const logPosition = second ? second.logPosition : opened.logPosition;
    const profile = mergeProfiles(await profileTables(helper ? [reader, helper] : [reader]));
    await helper?.close();
    const planned = await reader.request({ type: 'plan', profile, choices: options.choices ?? {} }, 'planned');
    const { exceptions } = planned;
    options.onProfile?.(profile);
    if (planned.refusal) throw new MigrationError(planned.refusal, 1, { details: { profile } });

    const timestampFormats = Object.fromEntries(profile.timestamps.map((t) => [`${t.table}.${t.column}`, t.format]));
    await ensureBackfillState(client, options.pgSchema);
    const start = await startingPoint(client, options.pgSchema, logPosition, options.restart === true);
    if (start.action === 'recopy') {
      // Rows of another snapshot miss what was logged since: the copy starts over from this one.
      await emptyTables(client, options.pgSchema);
      await clearExceptions(client, options.pgSchema);
    }
    if (options.restart || start.action === 'recopy') await resetProgress(client, options.pgSchema);
    const copying = start.action === 'copy' || start.action === 'recopy';
    if (copying) {
      await setTimestampFormats(client, options.pgSchema, timestampFormats);
      await recordExceptions(client, options.pgSchema, exceptions);
    }

    const rowTriggers = copying ? !(await skipRowTriggers(client)) : false;
    const progress = { done: 0, total: profile.totalRows };
    // With per-row foreign-key checks, parents must be committed before their children: one lane.
    if (!rowTriggers) secondLaneClient = await secondLane(options.databaseUrl);
    const lanes = !copying ? [] : secondLaneClient ? splitLanes(profile.rowsByTable) : [MIGRATION_TABLES];
    const copied = await Promise.all(lanes.map(async (laneTables, i) => {
      const laneClient = i === 0 ? client : secondLaneClient!;
      const out: TableBackfill[] = [];
      for (const table of laneTables) out.push(await copyTable(laneClient, reader, table, options, progress, logPosition));
      return out;
    }));
    const tables = MIGRATION_TABLES.map((t) => copied.flat().find((r) => r.table === t.name) ?? { table: t.name, copied: 0, alreadyPresent: 0, skipped: 0, copiedEarlier: 0 });
    if (copying && !rowTriggers) await restoreRowTriggers(client);
    const dangling = copying ? await danglingReferences(client, options.pgSchema) : [];
    // Shadow mode's applier starts from the snapshot copied: what was logged after it, and only that.
    if (start.action === 'hand-over-earlier') await handOver(client, options.pgSchema, start.position);
    else if (copying) await handOver(client, options.pgSchema, logPosition ?? 0);
    await reader.close();

    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const total = tables.reduce((n, t) => n + t.copied, 0);
    const handedOverAt = start.action === 'copy' || start.action === 'recopy' ? logPosition ?? 0 : start.position;
    return { profile, journalMode, logPosition: handedOverAt, start: describeStart(start, logPosition), timestampFormats, exceptions, tables, copied: total, rowTriggers, danglingReferences: dangling, seconds, rowsPerSecond: total / seconds };
  } catch (error) {
    throw asMigrationError(error, options.databaseUrl, 'The backfill');
  } finally {
    await reader.close();
    await helper?.close();
    await client.end().catch(() => undefined);
    await secondLaneClient?.end().catch(() => undefined);
  }
}

/** What this run did with the earlier runs' progress, in one sentence (null: a first or same-snapshot run). */
function describeStart(start: StartingPoint, logPosition: number | null): string | null {
  switch (start.action) {
    case 'copy':
      return null;
    case 'recopy':
      return `Copied every table again from this snapshot (change log position ${logPosition}): an earlier run had copied rows from another one (${start.earlier.map((p) => (p < 0 ? 'unknown' : String(p))).join(', ')}), which miss the writes logged since.`;
    case 'hand-over-earlier':
      return `Every table was copied by an earlier run (change log position ${start.position}); handed over there, nothing copied.`;
    case 'handed-over':
      return `Nothing copied: shadow mode's change log has been applied since position ${start.position} (set by ${start.setBy ?? 'the applier'}), which keeps PostgreSQL up to date. swarm-registry verify checks it.`;
  }
}

/**
 * Every table's profile, each table asked of the first reader free: the readers hold the same
 * snapshot, and the parts come back in the tables' order.
 */
async function profileTables(readers: readonly SnapshotReader[]): Promise<RegistryProfile[]> {
  const parts: RegistryProfile[] = [];
  let next = 0;
  await Promise.all(readers.map(async (reader) => {
    while (next < MIGRATION_TABLES.length) {
      const i = next++;
      parts[i] = (await reader.request({ type: 'profile-table', table: MIGRATION_TABLES[i]!.name }, 'profiled-table')).profile;
    }
  }));
  return parts;
}

/** A second connection that also skips per-row triggers, or undefined (then one lane copies everything). */
async function secondLane(url: string): Promise<PgClient | undefined> {
  const client = await connectPostgres(url, { asyncCommit: true });
  if (await skipRowTriggers(client)) return client;
  await client.end().catch(() => undefined);
  return undefined;
}

/** Two lists of tables (each in parents-first order) holding about the same number of rows. */
export function splitLanes(rowsByTable: Readonly<Record<string, number>>): MigrationTable[][] {
  const lanes: MigrationTable[][] = [[], []];
  const load = [0, 0];
  const bySize = [...MIGRATION_TABLES].sort((a, b) => (rowsByTable[b.name] ?? 0) - (rowsByTable[a.name] ?? 0));
  for (const table of bySize) {
    const lane = load[0]! <= load[1]! ? 0 : 1;
    lanes[lane]!.push(table);
    load[lane]! += rowsByTable[table.name] ?? 0;
  }
  const order = (t: MigrationTable): number => MIGRATION_TABLES.indexOf(t);
  return lanes.filter((l) => l.length > 0).map((l) => l.sort((a, b) => order(a) - order(b)));
}

async function copyTable(client: PgClient, reader: SnapshotReader, table: MigrationTable, options: BackfillOptions, progress: { done: number; total: number }, snapshotPosition: number | null): Promise<TableBackfill> {
  const state = await readProgress(client, options.pgSchema, table.name);
  const result: TableBackfill = { table: table.name, copied: 0, alreadyPresent: 0, skipped: 0, copiedEarlier: state.rows };
  if (state.done) {
    progress.done += state.rows;
    options.onProgress?.({ table: table.name, ...progress });
    return result;
  }
  progress.done += state.rows;
  const chunkRows = options.chunkRows ?? 10000;
  // The buffers of chunks PostgreSQL has stored go back to the reader to be written over.
  const spare: ArrayBuffer[] = [];
  const ask = (afterKey: string | null) => {
    const buffer = spare.pop();
    return reader.request({ type: 'copy-chunk', table: table.name, afterKey, chunkRows, buffer }, 'copy-chunk', buffer ? [buffer] : []);
  };
  let mode: CopyMode = 'direct';
  let pending = ask(state.lastKey);
  for (;;) {
    const { chunk, data } = await pending;
    if (!chunk) break;
    pending = ask(chunk.lastKey); // read ahead while PostgreSQL stores this chunk
    const text = data ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.alloc(0);
    let inserted: number;
    try {
      inserted = await commitChunk(client, options.pgSchema, table, { ...chunk }, text, mode, snapshotPosition);
    } catch (error) {
      if (mode !== 'direct' || !isAlreadyPresent(error)) throw error;
      mode = 'staging'; // rows already there (the shadow mirror wrote them): keep them, add the rest
      inserted = await commitChunk(client, options.pgSchema, table, chunk, text, mode, snapshotPosition);
    }
    if (data) spare.push(data.buffer as ArrayBuffer); // stored: nothing reads these bytes any more
    result.copied += inserted;
    result.alreadyPresent += chunk.rows - inserted;
    result.skipped += chunk.skipped;
    progress.done += chunk.rows + chunk.skipped;
    options.onProgress?.({ table: table.name, ...progress });
  }
  await advanceProgress(client, options.pgSchema, table.name, null, 0, snapshotPosition, true);
  return result;
}
