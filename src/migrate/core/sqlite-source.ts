/**
 * The registry's SQLite file as the migration tools read it: opened only when it exists, checked
 * to hold the registry's tables, and read inside one transaction so that every query sees the same
 * snapshot (in WAL mode the engine keeps writing meanwhile; in rollback-journal mode it waits).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { loadBetterSqlite3 } from './load-sqlite';
import { MigrationError } from '../results';
import { requireRegistryFile } from './settings';
import { MIGRATION_TABLES } from './columns';

export type SqliteDatabase = BetterSqlite3.Database;

export interface SourceOptions {
  /** Open for writing (the repair of SQLite from PostgreSQL); read-only otherwise. */
  writable?: boolean;
}

export function openRegistryFile(registryDb: string, options: SourceOptions = {}): SqliteDatabase {
  requireRegistryFile(registryDb);
  const Database = loadBetterSqlite3();
  let db: SqliteDatabase;
  try {
    db = new Database(registryDb, { readonly: !options.writable, fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    const present = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    const missing = MIGRATION_TABLES.map((t) => t.name).filter((name) => !present.has(name));
    if (missing.length > 0) {
      db.close();
      throw new MigrationError(
        `REGISTRY_DB=${registryDb} has no table ${missing.join(', ')}: point REGISTRY_DB at the swarm engine's registry file.`,
      );
    }
    return db;
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(
      `Cannot read REGISTRY_DB=${registryDb} as SQLite (${(error as Error).message}): point REGISTRY_DB at the registry's SQLite file.`,
      1,
      { cause: error },
    );
  }
}

/** Starts a read transaction and pins its snapshot (SQLite takes it at the first read). */
export function beginSnapshot(db: SqliteDatabase): void {
  db.exec('BEGIN DEFERRED');
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}

export function endSnapshot(db: SqliteDatabase): void {
  if (db.open && db.inTransaction) db.exec('COMMIT');
}

/**
 * The change log's position in the snapshot (the last transaction shadow mode logged before it),
 * or null when shadow mode never ran on this file. The table is shadow mode's change log
 * (`CHANGES_TABLE` of src/shadow/shared/changelog-tables.ts).
 */
export function logPosition(db: SqliteDatabase): number | null {
  const present = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_registry_changes'").get();
  if (!present) return null;
  return Number(db.prepare('SELECT max(seq) FROM _registry_changes').pluck().get() ?? 0);
}

/** `wal` lets the engine keep writing during a long read; other modes make it wait. */
export function journalMode(db: SqliteDatabase): string {
  return String(db.pragma('journal_mode', { simple: true }));
}
