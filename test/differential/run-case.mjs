// Runs one differential case on a real SQLite file (better-sqlite3 itself) and through the facade on
// PostgreSQL, and returns both answers in one comparable shape. One Pair per worker: one SQLite file
// and one PostgreSQL schema, reset table by table after a case that wrote.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Database from 'swarm-registry-adapter';
import { fullDdl, resetFamily, resetStatements, TABLES } from './schema.mjs';

/**
 * A case: { sql, params: [] (positional values, or one object of named ones), write: table name
 * when the statement may change that table (the whole table is read after it), order: how to compare
 * row order (see compare.mjs) }.
 */

/** The error as the two sides can be compared: its class, its code, where it was thrown. */
function errorAnswer(error, phase) {
  return {
    error: true,
    phase,
    name: error?.name ?? typeof error,
    code: error?.code,
    message: String(error?.message ?? error),
  };
}

/** Runs `sql` with `params` on one database: the answer is rows (with column names) or `changes`. */
export function runOn(db, sql, params) {
  let stmt;
  try {
    stmt = db.prepare(sql);
  } catch (error) {
    return errorAnswer(error, 'prepare');
  }
  try {
    if (stmt.reader) {
      const columns = stmt.columns().map((c) => c.name);
      const rows = stmt.raw(true).all(...params);
      return { reader: true, columns, rows };
    }
    const info = stmt.run(...params);
    return { reader: false, changes: info.changes };
  } catch (error) {
    return errorAnswer(error, 'run');
  }
}

function readTable(db, table) {
  const stmt = db.prepare(`SELECT * FROM ${table}`);
  return { reader: true, columns: stmt.columns().map((c) => c.name), rows: stmt.raw(true).all() };
}

export class Pair {
  /** Opens both sides and creates the schema with its datasets. `pg` is the facade's options. */
  constructor({ databaseUrl, pgSchema }) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-diff-'));
    this.sqlite = new BetterSqlite3(path.join(this.dir, 'registry.db'));
    this.sqlite.pragma('journal_mode = WAL');
    this.pg = new Database(path.join(this.dir, 'unused.db'), { backend: 'postgres', databaseUrl, pgSchema, pgTimeoutMs: 20000 });
    for (const db of [this.sqlite, this.pg]) {
      db.exec(fullDdl());
      for (const table of ['mix', 'mix2', 'agents', 'workflows']) this.reset(db, table);
    }
  }

  /** Puts `table` back to its dataset; the tables referencing it too (foreign keys are enforced). */
  reset(db, table) {
    const family = resetFamily(table);
    for (const t of [...family].reverse()) db.prepare(resetStatements(t).clear).run();
    for (const t of family) {
      const { insert, params } = resetStatements(t);
      db.prepare(insert).run(...params);
    }
  }

  /** Runs one case on both sides: { sqlite, pg } answers, each with `table` (the read after a write). */
  run(c) {
    const answers = {};
    for (const [side, db] of [['sqlite', this.sqlite], ['pg', this.pg]]) {
      let answer = runOn(db, c.sql, c.params);
      if (side === 'pg' && answer.code === 'SQLITE_IOERR') {
        // The server did not answer in time (an overloaded machine): not an answer to compare. The
        // outcome of a write is unknown, so its table is reset before the one retry.
        if (c.write) this.reset(db, c.write);
        answer = runOn(db, c.sql, c.params);
      }
      if (c.write) {
        try {
          answer.table = readTable(db, c.write);
        } catch (error) {
          answer.table = errorAnswer(error, 'read');
        }
        this.reset(db, c.write);
      }
      answers[side] = answer;
    }
    return answers;
  }

  close() {
    this.sqlite.close();
    if (this.pg.open) this.pg.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
