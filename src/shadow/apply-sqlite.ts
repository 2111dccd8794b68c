/**
 * The SQLite secondary (PostgreSQL primary), in the mirror worker: better-sqlite3 on the registry
 * file, so after the flip SQLite still gets every write and a rollback is one variable away. A
 * group is one SQLite transaction; a failing statement fails alone, as it does in SQLite.
 */
import { loadBetterSqlite3 } from '../adapter/load-sqlite';
import type { Answer } from './answer';
import { errorAnswer, reviveArgs, SecondaryDown, type Applier, type OpResult } from './applier';
import type { MirrorConfig, MirrorOp } from './mirror-protocol';
import { NOW_FUNCTION, rewriteNow, sqliteNowText } from './now-rewrite';
import type { NativeStatement } from './sqlite-primary-engine';

interface SqliteDatabase {
  prepare(sql: string): NativeStatement;
  exec(sql: string): void;
  function(name: string, options: object, fn: () => unknown): void;
  close(): void;
  readonly inTransaction: boolean;
}

export class SqliteApplier implements Applier {
  #db: SqliteDatabase | undefined;
  #nowText = '';
  readonly #statements = new Map<string, NativeStatement>();

  constructor(private readonly config: MirrorConfig) {}

  async applyGroup(ops: MirrorOp[]): Promise<OpResult[]> {
    const db = this.#open();
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      throw new SecondaryDown(error); // locked by another process: try again later
    }
    const results = ops.map((op) => this.#apply(db, op));
    try {
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw new SecondaryDown(error);
    }
    return results;
  }

  async close(): Promise<void> {
    this.#db?.close();
    this.#db = undefined;
  }

  #open(): SqliteDatabase {
    if (this.#db) return this.#db;
    const BetterSqlite3 = loadBetterSqlite3() as unknown as new (file: string) => SqliteDatabase;
    let db: SqliteDatabase;
    try {
      db = new BetterSqlite3(this.config.sqliteFile);
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
