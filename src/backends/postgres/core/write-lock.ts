/**
 * SQLite's write lock on PostgreSQL: one writer at a time across every process using the schema,
 * and no write based on a stale read.
 *
 * - The lock is `LOCK TABLE <schema>._registry_write_lock IN EXCLUSIVE MODE` on a view that
 *   nothing reads. LOCK is one of the few statements that takes no snapshot, so a REPEATABLE READ
 *   transaction whose first statement is a write takes its snapshot *after* the lock is granted and
 *   sees the last writer's commit (an advisory-lock function call would take it before waiting).
 * - Every writer records its transaction id in the sequence `<schema>._registry_last_writer` when
 *   it takes the lock (setval is not transactional: every snapshot sees the latest value).
 * - A deferred transaction runs in REPEATABLE READ: its snapshot is taken by its first statement,
 *   as SQLite's read transaction starts at its first read. At its first write it takes the lock,
 *   then checks that the last writer is visible in its snapshot; if that writer committed after
 *   the snapshot was taken, the write fails with SQLITE_BUSY (SQLite's SQLITE_BUSY_SNAPSHOT): the
 *   transaction must roll back and start again, its reads are out of date.
 * - The wait for the lock is bounded by `lock_timeout`, which the connections set to the busy
 *   timeout: then SQLITE_BUSY. Any other lock wait on these connections is bounded the same way,
 *   as SQLite's busy timeout bounds every lock wait.
 */
import type { WriteLockObjects } from './protocol';
import type { WireStep } from './wire-query';
import { SqliteUsageError } from './failures';

export type { WriteLockObjects };

export const WRITE_LOCK_VIEW = '_registry_write_lock';
export const LAST_WRITER_SEQUENCE = '_registry_last_writer';
export const TAKE_WRITE_LOCK_FUNCTION = '_registry_take_write_lock';

/** What the check raises when the snapshot is stale: a cast error whose text names it. */
const STALE_MARKER = 'sra_busy_snapshot';

export function writeLockObjects(quotedSchema: string): WriteLockObjects {
  return {
    table: `${quotedSchema}.${WRITE_LOCK_VIEW}`,
    lastWriter: `${quotedSchema}.${LAST_WRITER_SEQUENCE}`,
    take: `${quotedSchema}.${TAKE_WRITE_LOCK_FUNCTION}`,
  };
}

/** The statement that records the current transaction as the last writer. */
function recordSql(objects: WriteLockObjects): string {
  return `setval('${literal(objects.lastWriter)}'::regclass, CAST(CAST(pg_current_xact_id() AS text) AS bigint))`;
}

/** The DDL that creates the lock's objects (idempotent; run under the schema-creation lock). */
export function writeLockDdl(quotedSchema: string): string[] {
  const objects = writeLockObjects(quotedSchema);
  return [
    `CREATE SEQUENCE IF NOT EXISTS ${objects.lastWriter}`,
    `CREATE OR REPLACE VIEW ${objects.table} AS SELECT 1 AS locked`,
    // LOCK outside a transaction block is refused at top level only: inside a function it works
    // in the implicit transaction of a write sent without BEGIN (one statement instead of three).
    `CREATE OR REPLACE FUNCTION ${objects.take}() RETURNS void LANGUAGE plpgsql AS $sra$ BEGIN ` +
      `LOCK TABLE ${objects.table} IN EXCLUSIVE MODE; PERFORM ${recordSql(objects)}; END $sra$`,
  ];
}

/** Every object exists (a query returning one boolean). */
export function writeLockExistsSql(quotedSchema: string): string {
  const objects = writeLockObjects(quotedSchema);
  return (
    `SELECT to_regclass('${literal(objects.table)}') IS NOT NULL AND to_regclass('${literal(objects.lastWriter)}') IS NOT NULL ` +
    `AND to_regprocedure('${literal(objects.take)}()') IS NOT NULL`
  );
}

/**
 * The statements a batch runs before its own, by what the transaction still needs. The wait for
 * the lock is bounded by the connection's `lock_timeout`, set to the busy timeout when the
 * connection is opened (ConnectionPool).
 */
export class WriteLockSql {
  /** Takes the lock inside a transaction (no snapshot taken). */
  readonly acquire: WireStep;
  /** After `acquire` in a transaction that may have read: the stale-snapshot check, and the record. */
  readonly checkAndRecord: WireStep;
  /** Records the transaction as the last writer (it took the lock at BEGIN IMMEDIATE). */
  readonly record: WireStep;
  /** A write outside a transaction: lock and record in its implicit transaction. */
  readonly autocommit: WireStep;

  constructor(objects: WriteLockObjects) {
    this.acquire = { text: `LOCK TABLE ${objects.table} IN EXCLUSIVE MODE`, name: 'sra_write_lock' };
    // The last writer is this transaction itself (it took the lock before, inside a savepoint it
    // rolled back), or committed before this transaction's snapshot: else the snapshot is stale.
    // The check comes first in the select list, so a stale transaction records nothing.
    const seq = `'${literal(objects.lastWriter)}'::regclass`;
    this.checkAndRecord = {
      text:
        `SELECT CAST(CASE WHEN w IS NULL OR w = pg_current_xact_id_if_assigned() OR pg_visible_in_snapshot(w, pg_current_snapshot()) ` +
        `THEN '0' ELSE '${STALE_MARKER}' END AS integer), ${recordSql(objects)} ` +
        `FROM (SELECT CAST(CAST(pg_sequence_last_value(${seq}) AS text) AS xid8) AS w) AS last_writer`,
      name: 'sra_write_check',
    };
    this.record = { text: `SELECT ${recordSql(objects)}`, name: 'sra_write_record' };
    this.autocommit = { text: `SELECT ${objects.take}()`, name: 'sra_write_take' };
  }

  /** The same statements as one simple-protocol text. */
  static simple(steps: readonly WireStep[]): string {
    return steps.map((s) => `${s.text};\n`).join('');
  }
}

/** The check's failure becomes SQLite's answer to a write on a stale snapshot. */
export function staleSnapshotError(err: unknown): SqliteUsageError | null {
  const e = err as { code?: string; message?: string };
  if (e?.code !== '22P02' || typeof e.message !== 'string' || !e.message.includes(STALE_MARKER)) return null;
  return new SqliteUsageError(
    'database is locked: another connection wrote to the database after this transaction read it, so this ' +
      'transaction cannot write (SQLite\'s SQLITE_BUSY_SNAPSHOT). Roll the transaction back and run it again.',
    'SQLITE_BUSY',
  );
}

function literal(text: string): string {
  return text.replace(/'/g, "''");
}
