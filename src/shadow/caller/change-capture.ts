/**
 * The caller's end of the change log (SQLite primary; docs/shadow-mode.md, The change log): each
 * committed write transaction becomes one row of `_registry_changes` in the registry file, inserted inside that very transaction just
 * before its COMMIT, so the row commits or rolls back with the data. SQLite has one writer at a
 * time, so `seq` order is the commit order of every process writing the file. A new row's `seq`
 * is the largest plus one, and pruning always keeps the last row, so a `seq` is never reused
 * (AUTOINCREMENT would do the same at the cost of one more page written by every commit).
 *
 * It also tells the log position a read saw: the largest `seq` committed. This connection's own
 * commits are known without asking; other connections' are seen by `refresh()`, a `PRAGMA
 * data_version` (which changes only when another connection commits) and, only then, one look at
 * the end of the log. The session calls it once per batch of reads, not once per read.
 */
import { CHANGES_TABLE, encodeOps, type MirrorOp } from '../shared';

const APPEND_VIEW = `${CHANGES_TABLE}_append`;

/**
 * The log, and the view rows are appended through: its INSTEAD OF trigger does the insert, and an
 * insert made by a trigger leaves the connection's last_insert_rowid() and changes() as the
 * caller's own statement set them (better-sqlite3's lastInsertRowid of a later UPDATE reports it).
 */
export const CHANGES_DDL = `CREATE TABLE IF NOT EXISTS ${CHANGES_TABLE} (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, pid INTEGER NOT NULL, writes INTEGER NOT NULL, ops TEXT NOT NULL);
CREATE VIEW IF NOT EXISTS ${APPEND_VIEW} AS SELECT seq, at, pid, writes, ops FROM ${CHANGES_TABLE};
CREATE TRIGGER IF NOT EXISTS ${APPEND_VIEW} INSTEAD OF INSERT ON ${APPEND_VIEW} BEGIN
  INSERT INTO ${CHANGES_TABLE} (seq, at, pid, writes, ops) VALUES (NEW.seq, NEW.at, NEW.pid, NEW.writes, NEW.ops);
END;`;

interface Native {
  all(...args: unknown[]): unknown[];
  run(...args: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...args: unknown[]): unknown;
  pluck(toggle?: boolean): Native;
  safeIntegers(toggle?: boolean): Native;
}

export interface CaptureDatabase {
  prepare(sql: string): Native;
  exec(sql: string): void;
  readonly inTransaction: boolean;
}

/** The caller's end of a change log, whichever database answers (this file: SQLite; pg-change-capture.ts: PostgreSQL). */
export interface LogCapture {
  /** The log position as last read: a lower bound for a snapshot taken after this call. */
  readonly known: number;
  /** Catches up with other connections' commits: true when the log's end moved (then `known` is it). */
  refresh(): boolean;
  /** Appends one transaction's write ops inside the open transaction; returns its `seq`. */
  record(ops: readonly MirrorOp[], replacing?: number): number;
  /**
   * When the row goes with the COMMIT (PostgreSQL): its `seq`, known once that COMMIT succeeded
   * (`record` returned a stand-in).
   */
  afterCommit?(): number;
  committed(seq: number): void;
  /** Opens the transaction an autocommit write runs in, with its log row. */
  begin(): void;
  commit(): void;
  rollback(): void;
  readonly inTransaction: boolean;
}

export class ChangeCapture implements LogCapture {
  readonly #db: CaptureDatabase;
  readonly #insert: Native;
  readonly #update: Native;
  readonly #version: Native;
  readonly #max: Native;
  readonly #begin: Native;
  readonly #commit: Native;
  #seenVersion = -1;
  #position = 0;

  constructor(db: CaptureDatabase) {
    this.#db = db;
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '${CHANGES_TABLE}'`).pluck().get() !== undefined;
    if (!exists) {
      db.exec(`BEGIN IMMEDIATE; ${CHANGES_DDL}`);
      try {
        // A registry with no rows needs no backfill: row 0 says the log holds every write since it was empty.
        if (isEmpty(db)) db.prepare(`INSERT OR IGNORE INTO ${CHANGES_TABLE} (seq, at, pid, writes, ops) VALUES (0, ?, ?, 0, '[]')`).run(Date.now(), process.pid);
        db.exec('COMMIT');
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    }
    this.#insert = db.prepare(`INSERT INTO ${APPEND_VIEW} (seq, at, pid, writes, ops) VALUES (?, ?, ?, ?, ?)`);
    this.#update = db.prepare(`UPDATE ${CHANGES_TABLE} SET writes = ?, ops = ? WHERE seq = ?`);
    this.#version = db.prepare('PRAGMA data_version').pluck().safeIntegers(false);
    this.#max = db.prepare(`SELECT max(seq) FROM ${CHANGES_TABLE}`).pluck().safeIntegers(false);
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.refresh();
  }

  /**
   * The position as last read, without asking SQLite: at most the position of any snapshot taken
   * after this call (a lower bound for a read about to run).
   */
  get known(): number {
    return this.#position;
  }

  /**
   * Catches up with other connections' commits: true when one appended to the log since the last
   * call (then `known` is the log's end now), false when none did (every snapshot taken since the
   * last call was at `known` as it was then, or at this connection's own commits).
   */
  refresh(): boolean {
    const version = this.#version.get() as number;
    if (version === this.#seenVersion) return false;
    this.#seenVersion = version;
    // Another connection's commit that appended nothing (the applier pruning the log) moves no position.
    const max = this.#max.get() as number | null;
    if (max === null || max <= this.#position) return false;
    this.#position = max;
    return true;
  }

  /** Appends one transaction's write ops (inside the open transaction); returns its `seq`. */
  record(ops: readonly MirrorOp[], replacing?: number): number {
    const text = encodeOps(ops);
    if (replacing !== undefined && this.#update.run(ops.length, text, replacing).changes === 1) return replacing;
    // The write lock is held: nobody else can append before this commits.
    const seq = ((this.#max.get() as number | null) ?? 0) + 1;
    this.#insert.run(seq, Date.now(), process.pid, ops.length, text);
    return seq;
  }

  /** The transaction holding `seq` committed. */
  committed(seq: number): void {
    if (seq > this.#position) this.#position = seq;
  }

  begin(): void {
    this.#begin.run();
  }

  commit(): void {
    this.#commit.run();
  }

  rollback(): void {
    if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
  }

  get inTransaction(): boolean {
    return this.#db.inTransaction;
  }
}

/** Whether no table of the file holds a row (the log's own tables aside). */
function isEmpty(db: CaptureDatabase): boolean {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_registry\\_%' ESCAPE '\\'`).pluck();
  for (const name of tables.all() as string[]) {
    if (db.prepare(`SELECT 1 FROM "${name.replace(/"/g, '""')}" LIMIT 1`).get() !== undefined) return false;
  }
  return true;
}
