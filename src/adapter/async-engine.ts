/**
 * Opens the engine AsyncDatabase runs on (the contract is AsyncEngine in src/contracts/): the
 * PostgreSQL engine (src/backends/postgres/async/engine.ts, on a pg pool), or, for SQLite and shadow
 * mode, the synchronous facade's calls run one at a time.
 */
import type { AsyncEngine, AsyncStatementEngine, ColumnDefinition, ReadMode, RunResult, TransactionMode } from '../contracts';
import { planOpen, type DatabaseOptions, type OpenPlan } from './config';
import type { Database as Connection, Statement } from './api';
import { Database } from './database';

type ManagedPlan = Extract<OpenPlan, { managed: true }>;
type AsyncOpener = (plan: ManagedPlan, filename: string, options: DatabaseOptions) => AsyncEngine;

/** The PostgreSQL engine, required on first use (a SQLite-only process never loads pg). */
let postgresOpener: (() => AsyncOpener) | undefined = () => {
  const { openPostgresAsyncEngine } = require('../backends/postgres/async') as typeof import('../backends/postgres/async');
  return openPostgresAsyncEngine;
};

/** Replaces the PostgreSQL engine (a test seam). */
export function registerAsyncPostgres(load: () => AsyncOpener): void {
  postgresOpener = load;
}

export function openAsyncEngine(filename: string | undefined, options: DatabaseOptions): AsyncEngine {
  const name = (filename ?? '').trim();
  const plan = planOpen(name, options);
  if (plan.managed && plan.backend === 'postgres') {
    if (!postgresOpener) throw new Error('REGISTRY_BACKEND=postgres is not available in this build.');
    return postgresOpener()(plan, name, options);
  }
  // SQLite and shadow mode run the synchronous facade: shadow mode's mirror works the same either way.
  return new SyncFacadeEngine(new Database(filename, options));
}

function shaped(stmt: Statement, mode: ReadMode): Statement {
  if (!stmt.reader) return stmt;
  stmt.safeIntegers(mode.safeIntegers);
  return mode.shape === 'object' ? stmt.pluck(false).raw(false).expand(false) : stmt[mode.shape](true);
}

class SyncStatementEngine implements AsyncStatementEngine {
  constructor(private readonly stmt: Statement) {}
  get source(): string {
    return this.stmt.source;
  }
  get reader(): boolean {
    return this.stmt.reader;
  }
  get readonly(): boolean {
    return this.stmt.readonly;
  }
  run(params: unknown[]): RunResult {
    return this.stmt.run(...params);
  }
  get(params: unknown[], mode: ReadMode): unknown {
    return shaped(this.stmt, mode).get(...params);
  }
  all(params: unknown[], mode: ReadMode): unknown[] {
    return shaped(this.stmt, mode).all(...params);
  }
  columns(): ColumnDefinition[] {
    return this.stmt.columns();
  }
}

class SyncFacadeEngine implements AsyncEngine {
  readonly needsExclusiveCalls = true;
  #savepoints = 0;
  constructor(private readonly db: Connection) {}
  get name(): string {
    return this.db.name;
  }
  get open(): boolean {
    return this.db.open;
  }
  get inTransaction(): boolean {
    return this.db.inTransaction;
  }
  prepare(source: string): AsyncStatementEngine {
    return new SyncStatementEngine(this.db.prepare(source));
  }
  exec(source: string): void {
    this.db.exec(source);
  }
  pragma(source: string, simple: boolean): unknown {
    return this.db.pragma(source, { simple });
  }
  async transaction<T>(fn: () => Promise<T>, mode: TransactionMode): Promise<T> {
    this.db.exec(`BEGIN ${mode.toUpperCase()}`);
    return this.#settle(fn, 'COMMIT', 'ROLLBACK');
  }
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const name = `"_async_sp${++this.#savepoints}"`;
    this.db.exec(`SAVEPOINT ${name}`);
    return this.#settle(fn, `RELEASE ${name}`, `ROLLBACK TO ${name}; RELEASE ${name}`);
  }
  close(): void {
    this.db.close();
  }
  async #settle<T>(fn: () => Promise<T>, done: string, undo: string): Promise<T> {
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      if (this.db.inTransaction) this.db.exec(undo);
      throw error;
    }
    this.db.exec(done);
    return result;
  }
}
