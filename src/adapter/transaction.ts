/**
 * `db.transaction(fn)` for backends that are not SQLite itself: better-sqlite3's own algorithm
 * (lib/methods/transaction.js, MIT, Joshua Wise), over the backend's transaction statements, so
 * nesting, rollback on throw and the refusal of promises behave exactly alike.
 */
import type { TransactionFunction, TransactionMode } from '../contracts';

/** A statement that controls the transaction (BEGIN, COMMIT, SAVEPOINT, ...). */
export interface ControlStatement {
  run(): unknown;
}

export interface TransactionControls {
  readonly inTransaction: boolean;
  prepareControl(source: string): ControlStatement;
}

interface Controller {
  begin: ControlStatement;
  commit: ControlStatement;
  rollback: ControlStatement;
  savepoint: ControlStatement;
  release: ControlStatement;
  rollbackTo: ControlStatement;
}

const controllers = new WeakMap<TransactionControls, Record<'default' | TransactionMode, Controller>>();

function controllersOf(db: TransactionControls) {
  let found = controllers.get(db);
  if (!found) {
    const shared = {
      commit: db.prepareControl('COMMIT'),
      rollback: db.prepareControl('ROLLBACK'),
      savepoint: db.prepareControl('SAVEPOINT "\t_bs3.\t"'),
      release: db.prepareControl('RELEASE "\t_bs3.\t"'),
      rollbackTo: db.prepareControl('ROLLBACK TO "\t_bs3.\t"'),
    };
    found = {
      default: { begin: db.prepareControl('BEGIN'), ...shared },
      deferred: { begin: db.prepareControl('BEGIN DEFERRED'), ...shared },
      immediate: { begin: db.prepareControl('BEGIN IMMEDIATE'), ...shared },
      exclusive: { begin: db.prepareControl('BEGIN EXCLUSIVE'), ...shared },
    };
    controllers.set(db, found);
  }
  return found;
}

function wrap(fn: (...args: unknown[]) => unknown, db: TransactionControls, c: Controller) {
  return function sqliteTransaction(this: unknown, ...args: unknown[]): unknown {
    let before: ControlStatement, after: ControlStatement, undo: ControlStatement;
    if (db.inTransaction) {
      before = c.savepoint;
      after = c.release;
      undo = c.rollbackTo;
    } else {
      before = c.begin;
      after = c.commit;
      undo = c.rollback;
    }
    before.run();
    try {
      const result = fn.apply(this, args) as { then?: unknown } | undefined;
      if (result && typeof result.then === 'function') {
        throw new TypeError('Transaction function cannot return a promise');
      }
      after.run();
      return result;
    } catch (ex) {
      if (db.inTransaction) {
        undo.run();
        if (undo !== c.rollback) after.run();
      }
      throw ex;
    }
  };
}

export function createTransaction(fn: (...args: unknown[]) => unknown, db: TransactionControls, database: object): TransactionFunction {
  const c = controllersOf(db);
  const properties: PropertyDescriptorMap = {
    default: { value: wrap(fn, db, c.default) },
    deferred: { value: wrap(fn, db, c.deferred) },
    immediate: { value: wrap(fn, db, c.immediate) },
    exclusive: { value: wrap(fn, db, c.exclusive) },
    database: { value: database, enumerable: true },
  };
  for (const key of ['default', 'deferred', 'immediate', 'exclusive']) Object.defineProperties(properties[key].value, properties);
  return properties.default.value as TransactionFunction;
}
