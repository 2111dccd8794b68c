/**
 * "Change log applied": shadow mode's log of committed writes (in the SQLite registry file) against
 * the applied position in PostgreSQL, read from the two databases themselves, not from a process's
 * report: how many logged transactions wait and for how long, and whether an applier is alive
 * (its heartbeat, beaten every second, is less than 10 s old). Transactions waiting with no live
 * applier, or too long, fail the check at once; so does a log waiting for the backfill's hand-off.
 */
import fs from 'node:fs';
import { openRegistryFile, type PgClient } from '../../migrate';
import { quoteIdent } from '../../policy';
import { APPLIED_TABLE, APPLIER_TABLE, CHANGES_TABLE, SQLITE_LOG } from '../../shadow/shared';
import { failed, passed, skipped, type CheckResult } from '../stage';

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

export async function checkChangeLog(client: PgClient, schema: string, registryDb: string, now: Date): Promise<CheckResult> {
  if (!fs.existsSync(registryDb)) return skipped('changelog', TITLE, `REGISTRY_DB=${registryDb} is not there: no change log to read.`);
  const position = await readPosition(client, schema);
  let log: LogState | null;
  try {
    log = readLog(registryDb, position ?? 0);
  } catch (error) {
    return skipped('changelog', TITLE, `Cannot read the change log in REGISTRY_DB=${registryDb}: ${(error as Error).message}`);
  }
  if (log === null) return skipped('changelog', TITLE, 'Shadow mode (SQLite answering) has not run on this registry: no change log yet.');
  if (position === null) {
    const waiting = log.end;
    return failed('changelog', TITLE, `${waiting} logged transaction(s) wait for the backfill's hand-off: run swarm-registry backfill (shadow mode applies what follows its snapshot).`, { end: log.end, position: null });
  }
  const pending = Math.max(0, log.end - position);
  const ageMs = log.firstPendingAt === null ? 0 : Math.max(0, now.getTime() - log.firstPendingAt);
  const applier = await readApplier(client, schema);
  const beatMs = applier ? now.getTime() - applier.updatedAt.getTime() : null;
  const alive = beatMs !== null && beatMs < APPLIER_DEAD_MS;
  const details = { position, end: log.end, pending, lagSeconds: Math.round(ageMs / 1000), logRows: log.rows, applier: applier ? { ...applier, alive } : null };
  const behind = `${pending} transaction(s) behind (${(ageMs / 1000).toFixed(1)} s)`;
  if (pending > 0 && !alive) {
    const last = applier ? `its last heartbeat (pid ${applier.pid} on ${applier.host}) is ${(beatMs! / 1000).toFixed(0)} s old` : 'none has ever run';
    return failed('changelog', TITLE, `No applier is running and PostgreSQL is ${behind}: ${last}. Start the engine (or any process) in shadow mode: it applies them, none is lost.`, details);
  }
  if (ageMs > LOG_LAG_LIMIT_MS) {
    return failed('changelog', TITLE, `PostgreSQL is ${behind}: wait for the applier to catch up, or find out why it is slow, before going on.`, details);
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

async function readApplier(client: PgClient, schema: string): Promise<{ pid: number; host: string; updatedAt: Date } | null> {
  try {
    const { rows } = await client.query<{ pid: number; host: string; updated_at: Date }>(`SELECT pid, host, updated_at FROM ${quoteIdent(schema)}.${APPLIER_TABLE} WHERE source = $1`, [SQLITE_LOG]);
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
