/**
 * The change log's tables (docs/shadow-mode.md, The change log). In the primary (SQLite: the
 * registry file): `_registry_changes`, one row per committed write transaction, written by the
 * caller's thread (caller/change-capture.ts). In the secondary (PostgreSQL for a SQLite primary):
 * `_registry_applied` holds the position (the last log `seq` applied) per log, moved in the same
 * transaction as the writes it covers, so a transaction is applied exactly once whatever crashes;
 * `_registry_applier` is the applier's heartbeat. Written by the mirror worker
 * (mirror/changelog-loop.ts) and `backfill` (the hand-off), read by `status`.
 */
import { quoteIdent } from '../../policy';

export const CHANGES_TABLE = '_registry_changes';
export const APPLIED_TABLE = '_registry_applied';
export const APPLIER_TABLE = '_registry_applier';
/** The rows the operator chose to leave out of the backfill (written by `backfill`, read by the comparator). */
export const BACKFILL_EXCEPTIONS_TABLE = '_registry_backfill_exceptions';
/** The log of a SQLite primary (the registry file's `_registry_changes`). */
export const SQLITE_LOG = 'sqlite';

/** The key of the applier's lease (a PostgreSQL advisory lock): the same text in every process. */
export function leaseKey(schema: string, source: string): string {
  return `swarm-registry applier ${schema} ${source}`;
}

/** The statements on the applied position and the heartbeat, in `schema`. */
export function positionSql(schema: string) {
  const applied = `${quoteIdent(schema)}.${APPLIED_TABLE}`;
  const applier = `${quoteIdent(schema)}.${APPLIER_TABLE}`;
  return {
    create: `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}; CREATE TABLE IF NOT EXISTS ${applied} (source text PRIMARY KEY, position bigint NOT NULL, applied_txns bigint NOT NULL DEFAULT 0, applied_at timestamptz, set_by text); CREATE TABLE IF NOT EXISTS ${applier} (source text PRIMARY KEY, holder text, host text, pid integer, started_at timestamptz, updated_at timestamptz, position bigint)`,
    /** The position, or no row: the log has no starting point yet. */
    read: `SELECT position::text FROM ${applied} WHERE source = $1`,
    start: `INSERT INTO ${applied} (source, position, applied_at, set_by) VALUES ($1, $2, now(), $3) ON CONFLICT (source) DO NOTHING`,
    /** The backfill's hand-off: never moves a position back (what the applier applied stays applied). */
    handoff: `INSERT INTO ${applied} (source, position, applied_at, set_by) VALUES ($1, $2, now(), 'backfill')
      ON CONFLICT (source) DO UPDATE SET position = GREATEST(${applied}.position, EXCLUDED.position), applied_at = now(), set_by = 'backfill'`,
    advance: `UPDATE ${applied} SET position = $1, applied_txns = applied_txns + $2, applied_at = now() WHERE source = $3 AND position = $4`,
    heartbeat: `INSERT INTO ${applier} (source, holder, host, pid, started_at, updated_at, position) VALUES ($1, $2, $3, $4, $5, now(), $6)
      ON CONFLICT (source) DO UPDATE SET holder = EXCLUDED.holder, host = EXCLUDED.host, pid = EXCLUDED.pid, started_at = EXCLUDED.started_at, updated_at = now(), position = EXCLUDED.position`,
  };
}

/** The log of a PostgreSQL primary (`"<schema>"._registry_changes`). */
export const POSTGRES_LOG = 'postgres';

/**
 * The change log of a PostgreSQL primary, in its schema: the same rows as the registry file's
 * (`seq, at, pid, writes, ops`). A new row's `seq` is the largest plus one, taken under the write
 * lock the appending transaction holds until it commits, so `seq` order is commit order.
 */
export function pgLogSql(schema: string) {
  const log = `${quoteIdent(schema)}.${CHANGES_TABLE}`;
  return {
    create: `CREATE TABLE IF NOT EXISTS ${log} (seq bigint PRIMARY KEY, at bigint NOT NULL, pid integer NOT NULL, writes integer NOT NULL, ops text NOT NULL)`,
    /** Row 0 of a new log: it holds every write since (see changelog-loop.ts for when the applier starts from it). */
    begin: `INSERT INTO ${log} (seq, at, pid, writes, ops) SELECT 0, $1, $2, 0, '[]' WHERE NOT EXISTS (SELECT 1 FROM ${log}) ON CONFLICT (seq) DO NOTHING`,
    append: `INSERT INTO ${log} (seq, at, pid, writes, ops) SELECT coalesce(max(seq), 0) + 1, $1, $2, $3, $4 FROM ${log} RETURNING seq::text`,
    end: `SELECT max(seq)::text AS max_seq FROM ${log}`,
    // Ordered by the column, not by its text (an output name would win in ORDER BY).
    rows: `SELECT seq::text AS seq_text, at::text AS at_text, ops FROM ${log} WHERE seq > $1 ORDER BY seq LIMIT $2`,
    one: `SELECT ops FROM ${log} WHERE seq = $1`,
    hasStart: `SELECT 1 FROM ${log} WHERE seq = 0`,
    prune: `DELETE FROM ${log} WHERE seq IN (SELECT seq FROM ${log} WHERE seq < $1 AND at < $2 ORDER BY seq LIMIT $3)`,
    first: `SELECT at::text AS at_text FROM ${log} WHERE seq > $1 ORDER BY seq LIMIT 1`,
    count: `SELECT count(*)::text AS n FROM ${log}`,
  };
}

/**
 * The applied position of a PostgreSQL primary's log, in the registry file (the secondary): the
 * same columns as `"<schema>"._registry_applied`, moved in the SQLite transaction of the group it
 * covers. The applier's heartbeat stays in PostgreSQL, where its lease is.
 */
export const SQLITE_POSITION_SQL = {
  create: `CREATE TABLE IF NOT EXISTS ${APPLIED_TABLE} (source TEXT PRIMARY KEY, position INTEGER NOT NULL, applied_txns INTEGER NOT NULL DEFAULT 0, applied_at TEXT, set_by TEXT)`,
  read: `SELECT position FROM ${APPLIED_TABLE} WHERE source = ?`,
  start: `INSERT INTO ${APPLIED_TABLE} (source, position, applied_at, set_by) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?) ON CONFLICT (source) DO NOTHING`,
  advance: `UPDATE ${APPLIED_TABLE} SET position = ?, applied_txns = applied_txns + ?, applied_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE source = ? AND position = ?`,
};
