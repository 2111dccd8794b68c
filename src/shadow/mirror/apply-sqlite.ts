/**
 * The SQLite secondary (PostgreSQL primary), in the mirror worker: better-sqlite3 on the registry
 * file, so after the flip SQLite still gets every write and a rollback is one variable away. A
 * group is one SQLite transaction; a failing statement fails alone, as it does in SQLite.
 */
import { loadBetterSqlite3 } from '../../adapter';
import {
  type Answer, C_NATIVE, C_STOP, type MirrorConfig, type MirrorOp, type NativeStatement, NOW_FUNCTION,
  rewriteNow, sqliteNowText,
} from '../shared';
import { errorAnswer, reviveArgs, SecondaryDown, type Applier, type GroupFrame, type OpResult } from './applier';

interface SqliteDatabase {
  prepare(sql: string): NativeStatement;
  exec(sql: string): void;
  function(name: string, options: object, fn: () => unknown): void;
  close(): void;
  readonly inTransaction: boolean;
}

/** How long the secondary waits for another writer's lock before the group is tried again. */
const SECONDARY_BUSY_TIMEOUT_MS = 1000;

export class SqliteApplier implements Applier {
  #db: SqliteDatabase | undefined;
  #nowText = '';
  readonly #statements = new Map<string, NativeStatement>();
  readonly #control: Int32Array;

  constructor(private readonly config: MirrorConfig) {
    this.#control = new Int32Array(config.control);
  }

  /**
   * `frame` (the change log): its statements run in the group's transaction, `last` after the ops;
   * a `check` that throws rolls the group back. A snapshot group (reads) takes no write lock.
   */
  async applyGroup(ops: MirrorOp[], frame?: GroupFrame): Promise<OpResult[]> {
    return this.#native(() => {
      const db = this.#open();
      try {
        db.exec(frame?.snapshot ? 'BEGIN' : 'BEGIN IMMEDIATE');
      } catch (error) {
        throw new SecondaryDown(error); // locked by another process: try again later
      }
      let results: OpResult[];
      try {
        if (frame?.first) frame.firstRows = (this.#statement(db, frame.first.text).raw(true) as NativeStatement).all(...frame.first.values).map((row) => (row as unknown[]).map((v) => (v === null || v === undefined ? null : String(v))));
        results = ops.map((op) => this.#apply(db, op));
        if (frame?.last) {
          const { changes } = this.#statement(db, frame.last.text).run(...frame.last.values);
          frame.last.check?.(changes);
        }
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
      try {
        db.exec('COMMIT');
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw new SecondaryDown(error);
      }
      return results;
    });
  }

  #statement(db: SqliteDatabase, sql: string): NativeStatement {
    let stmt = this.#statements.get(sql);
    if (!stmt) this.#statements.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  }

  async close(): Promise<void> {
    this.#native(() => {
      this.#db?.close();
      this.#db = undefined;
    });
  }

  /**
   * Runs `work` (synchronous, in better-sqlite3) with C_NATIVE set, unless the caller's thread is
   * stopping this worker (C_STOP): then nothing starts, and the group stays unapplied.
   */
  #native<T>(work: () => T): T {
    Atomics.store(this.#control, C_NATIVE, 1);
    try {
      if (Atomics.load(this.#control, C_STOP) === 1) throw new SecondaryDown(new Error('the mirror is stopping'));
      return work();
    } finally {
      Atomics.store(this.#control, C_NATIVE, 0);
      Atomics.notify(this.#control, C_NATIVE);
    }
  }

  #open(): SqliteDatabase {
    if (this.#db) return this.#db;
    const BetterSqlite3 = loadBetterSqlite3() as unknown as new (file: string, options: { timeout: number }) => SqliteDatabase;
    let db: SqliteDatabase;
    try {
      // A file locked by another writer fails BEGIN IMMEDIATE after 1 s (the group is tried again
      // later), not better-sqlite3's 5 s: the worker then leaves SQLite within the 2 s the caller's
      // thread waits for it when it stops the worker (see C_NATIVE).
      db = new BetterSqlite3(this.config.sqliteFile, { timeout: SECONDARY_BUSY_TIMEOUT_MS });
      db.function(NOW_FUNCTION, { deterministic: false }, () => this.#nowText);
    } catch (error) {
      throw new SecondaryDown(error);
    }
    this.#db = db;
    return db;
  }

  #apply(db: SqliteDatabase, op: MirrorOp): OpResult {
    const reasons = op.notMirrorable ?? op.meta?.notMirrorable;
    if (reasons) return { notMirrorable: reasons };
    this.#nowText = sqliteNowText(op.now ?? new Date().toISOString());
    const sql = rewriteNow(op.sql).sql;
    try {
      if (op.method === 'exec' || op.method === 'pragma') {
        db.exec(sql);
        return op.answer ? { answer: { type: 'run', changes: 0 } } : {};
      }
      let stmt = this.#statements.get(sql);
      if (!stmt) this.#statements.set(sql, (stmt = db.prepare(sql)));
      const args = reviveArgs(op.args);
      if (op.method === 'run') {
        const answer: Answer = { type: 'run', changes: stmt.run(...args).changes };
        return op.answer ? { answer } : {};
      }
      if (op.shape !== 'object') stmt[op.shape](true);
      else stmt.raw(false), stmt.pluck(false), stmt.expand(false);
      stmt.safeIntegers(op.safeIntegers);
      const rows = stmt.all(...args);
      // Names by position: raw and plucked rows carry none, and the secrecy policy needs them.
      return op.answer ? { answer: { type: 'rows', rows }, columnNames: stmt.columns().map((c) => c.name) } : {};
    } catch (error) {
      return op.answer ? { answer: errorAnswer(error) } : {};
    }
  }
}
