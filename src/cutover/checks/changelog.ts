/**
 * "Change log applied": shadow mode's log of committed writes against the applied position, read
 * from the two databases themselves, not from a process's report: with SQLite answering, the log in
 * the registry file and the position in PostgreSQL; with PostgreSQL answering (stage
 * shadow-postgres), the log in the schema and the position in the registry file. It says how many
 * logged transactions wait and for how long, and whether an applier is alive (its heartbeat in
 * PostgreSQL, beaten every second, is less than 10 s old). Transactions waiting with no live
 * applier, or too long, fail the check at once; so does a log waiting for its starting point.
 */
import fs from 'node:fs';
import { openRegistryFile, type PgClient } from '../../migrate';
import { quoteIdent } from '../../policy';
import { APPLIED_TABLE, APPLIER_TABLE, CHANGES_TABLE, pgLogSql, POSTGRES_LOG, SQLITE_LOG, SQLITE_POSITION_SQL } from '../../shadow/shared';
import { failed, passed, skipped, sqliteFrozen, type CheckResult, type CutoverStage } from '../stage';

const TITLE = 'Change log applied';
/** An applier whose heartbeat is older than this is dead. */
export const APPLIER_DEAD_MS = 10_000;
/** Logged transactions waiting longer than this: the secondary is too far behind to go on. */
export const LOG_LAG_LIMIT_MS = 60_000;

interface LogState {
  end: number;
  /** `at` (ms) of the first logged transaction after `position`, when there is one. */
  firstPendingAt: number | null;
  rows: number;
}

export async function checkChangeLog(client: PgClient, schema: string, registryDb: string, now: Date, stage?: CutoverStage): Promise<CheckResult> {
  if (!fs.existsSync(registryDb)) return skipped('changelog', TITLE, `REGISTRY_DB=${registryDb} is not there: no change log to read.`);
  const pgPrimary = stage === 'shadow-postgres';
  const source = pgPrimary ? POSTGRES_LOG : SQLITE_LOG;
  const secondary = pgPrimary ? 'SQLite' : 'PostgreSQL';
  let position: number | null;
  let log: LogState | null;
  try {
    position = pgPrimary ? readFilePosition(registryDb) : await readPosition(client, schema);
    log = pgPrimary ? await readPgLog(client, schema, position ?? 0) : readLog(registryDb, position ?? 0);
  } catch (error) {
    return skipped('changelog', TITLE, `Cannot read the change log ${pgPrimary ? `in ${schema}` : `in REGISTRY_DB=${registryDb}`}: ${(error as Error).message}`);
  }
  if (!pgPrimary && (stage === undefined || !sqliteFrozen(stage))) {
    // A rollback (SQLite answering again) before PostgreSQL's log reached the registry file: those
    // writes are only in PostgreSQL, and SQLite answers without them.
    try {
      const pgEnd = (await readPgLog(client, schema, 0))?.end;
      const applied = pgEnd === undefined ? 0 : readFilePosition(registryDb) ?? 0;
      if (pgEnd !== undefined && pgEnd > applied) {
        return failed('changelog', TITLE, `PostgreSQL's change log holds ${pgEnd - applied} transaction(s), written while PostgreSQL answered, that SQLite has not received: SQLite answers without them. Run the engine with REGISTRY_BACKEND=shadow REGISTRY_PRIMARY=postgres again (its applier passes them on) until this line passes, then roll back.`, { pgLogEnd: pgEnd, position: applied });
      }
    } catch (error) {
      return skipped('changelog', TITLE, `Cannot read PostgreSQL's change log in ${schema}: ${(error as Error).message}`);
    }
  }
  if (log === null) return skipped('changelog', TITLE, `Shadow mode (${pgPrimary ? 'PostgreSQL' : 'SQLite'} answering) has not run on this registry: no change log yet.`);
  if (position === null) {
    const waiting = log.end;
    if (pgPrimary) {
      return failed('changelog', TITLE, `${waiting} logged transaction(s) wait for SQLite's own change log (before the flip) to be applied to PostgreSQL: the applier starts after it. Run every process with REGISTRY_PRIMARY=postgres, and check that one of them is running.`, { end: log.end, position: null });
    }
    return failed('changelog', TITLE, `${waiting} logged transaction(s) wait for the backfill's hand-off: run swarm-registry backfill (shadow mode applies what follows its snapshot).`, { end: log.end, position: null });
  }
  const pending = Math.max(0, log.end - position);
  const ageMs = log.firstPendingAt === null ? 0 : Math.max(0, now.getTime() - log.firstPendingAt);
  const applier = await readApplier(client, schema, source);
  const beatMs = applier ? now.getTime() - applier.updatedAt.getTime() : null;
  const alive = beatMs !== null && beatMs < APPLIER_DEAD_MS;
  const details = { position, end: log.end, pending, lagSeconds: Math.round(ageMs / 1000), logRows: log.rows, applier: applier ? { ...applier, alive } : null };
  const behind = `${pending} transaction(s) behind (${(ageMs / 1000).toFixed(1)} s)`;
  if (pending > 0 && !alive) {
    const last = applier ? `its last heartbeat (pid ${applier.pid} on ${applier.host}) is ${(beatMs! / 1000).toFixed(0)} s old` : 'none has ever run';
    return failed('changelog', TITLE, `No applier is running and ${secondary} is ${behind}: ${last}. Start the engine (or any process) in shadow mode: it applies them, none is lost.`, details);
  }
  if (ageMs > LOG_LAG_LIMIT_MS) {
    return failed('changelog', TITLE, `${secondary} is ${behind}: wait for the applier to catch up, or find out why it is slow, before going on.`, details);
  }
  return passed('changelog', TITLE, `Position ${position} of ${log.end}: ${pending === 0 ? 'every logged transaction applied' : behind}; ${alive ? `applier alive (pid ${applier!.pid} on ${applier!.host})` : 'no applier running'}; ${log.rows} row(s) in the log.`, details);
}

async function readPosition(client: PgClient, schema: string): Promise<number | null> {
  try {
    const { rows } = await client.query<{ position: string }>(`SELECT position::text FROM ${quoteIdent(schema)}.${APPLIED_TABLE} WHERE source = $1`, [SQLITE_LOG]);
    return rows.length === 0 ? null : Number(rows[0]!.position);
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return null;
    throw error;
  }
}

async function readApplier(client: PgClient, schema: string, source: string): Promise<{ pid: number; host: string; updatedAt: Date } | null> {
  try {
    const { rows } = await client.query<{ pid: number; host: string; updated_at: Date }>(`SELECT pid, host, updated_at FROM ${quoteIdent(schema)}.${APPLIER_TABLE} WHERE source = $1`, [source]);
    return rows.length === 0 ? null : { pid: rows[0]!.pid, host: rows[0]!.host, updatedAt: rows[0]!.updated_at };
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return null;
    throw error;
  }
}

function readLog(registryDb: string, position: number): LogState | null {
  const db = openRegistryFile(registryDb);
  try {
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '${CHANGES_TABLE}'`).get()) return null;
    const end = Number(db.prepare(`SELECT max(seq) FROM ${CHANGES_TABLE}`).pluck().get() ?? 0);
    const first = db.prepare(`SELECT at FROM ${CHANGES_TABLE} WHERE seq > ? ORDER BY seq LIMIT 1`).pluck().get(position) as number | undefined;
    const rows = Number(db.prepare(`SELECT count(*) FROM ${CHANGES_TABLE}`).pluck().get());
    return { end, firstPendingAt: first ?? null, rows };
  } finally {
    db.close();
  }
}

/** The applied position of PostgreSQL's log, in the registry file (null: none yet). */
function readFilePosition(registryDb: string): number | null {
  const db = openRegistryFile(registryDb);
  try {
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '${APPLIED_TABLE}'`).get()) return null;
    const row = db.prepare(SQLITE_POSITION_SQL.read).get(POSTGRES_LOG) as { position: number } | undefined;
    return row === undefined ? null : Number(row.position);
  } finally {
    db.close();
  }
}

/** PostgreSQL's log (PostgreSQL answering), or null when shadow mode never began one. */
async function readPgLog(client: PgClient, schema: string, position: number): Promise<LogState | null> {
  const sql = pgLogSql(schema);
  const { rows: [present] } = await client.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [`${quoteIdent(schema)}.${CHANGES_TABLE}`]);
  if (!present?.ok) return null;
  const end = Number((await client.query<{ max_seq: string | null }>(sql.end)).rows[0]?.max_seq ?? 0);
  const first = (await client.query<{ at_text: string }>(sql.first, [position])).rows[0];
  const rows = Number((await client.query<{ n: string }>(sql.count)).rows[0]!.n);
  return { end, firstPendingAt: first ? Number(first.at_text) : null, rows };
}
