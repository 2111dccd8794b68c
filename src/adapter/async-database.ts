/**
 * AsyncDatabase: the facade's methods returning promises, for code that moves to async.
 *
 * On PostgreSQL it runs straight on a `pg` pool (no worker thread); on SQLite it runs the
 * synchronous calls one at a time. `transaction(async fn)` holds the database's transaction lock
 * for the whole of `fn`; calls made inside `fn` (found through AsyncLocalStorage, so they need no
 * extra argument) go to the transaction, calls from elsewhere wait until it ends.
 */
import { learnRows, learnStatement, redactError, statementSecrets } from '../policy/secrets';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Mutex } from 'async-mutex';
import type { ColumnDefinition, RunResult } from '../backends/backend';
import type { ArgumentsOf, BindParameters, PragmaOptions } from './api';
import type { DatabaseOptions } from './config';
import { openAsyncEngine, type AsyncEngine, type AsyncStatementEngine, type RowMode } from './async-engine';

export type TransactionMode = 'deferred' | 'immediate' | 'exclusive';

/** A prepared statement whose calls return promises; typed as `Statement<P, Result>` is. */
export class AsyncStatement<P extends BindParameters = unknown[], Result = unknown> {
  readonly #engine: AsyncStatementEngine;
  readonly #owner: AsyncDatabase;
  #mode: RowMode = { pluck: false, raw: false, expand: false };
  #bound: unknown[] | undefined;

  constructor(engine: AsyncStatementEngine, owner: AsyncDatabase) {
    this.#engine = engine;
    this.#owner = owner;
  }

  get database(): AsyncDatabase {
    return this.#owner;
  }
  get source(): string {
    return this.#engine.source;
  }
  get reader(): boolean {
    return this.#engine.reader;
  }
  get readonly(): boolean {
    return this.#engine.readonly;
  }

  pluck(toggle = true): this {
    this.#setMode('pluck', toggle);
    return this;
  }
  raw(toggle = true): this {
    this.#setMode('raw', toggle);
    return this;
  }
  expand(toggle = true): this {
    this.#setMode('expand', toggle);
    return this;
  }

  bind(...params: ArgumentsOf<P>): this {
    if (this.#bound) throw new TypeError('The bind() method can only be invoked once per statement object');
    this.#bound = params;
    return this;
  }

  run(...params: ArgumentsOf<P>): Promise<RunResult> {
    return this.#secretFree(this.#owner.schedule(() => this.#engine.run(this.#args(params))));
  }
  get(...params: ArgumentsOf<P>): Promise<Result | undefined> {
    this.#requireReader('get');
    return this.#secretFree(this.#owner.schedule(() => this.#engine.get(this.#args(params), this.#mode) as Promise<Result | undefined> | Result | undefined)).then((row) => {
      if (row !== undefined) this.#learn([row]);
      return row;
    });
  }
  all(...params: ArgumentsOf<P>): Promise<Result[]> {
    this.#requireReader('all');
    return this.#secretFree(this.#owner.schedule(() => this.#engine.all(this.#args(params), this.#mode) as Promise<Result[]> | Result[])).then((rows) => {
      this.#learn(rows);
      return rows;
    });
  }

  /**
   * Remembers the values of secret result columns read (see Statement). Raw and plucked rows carry
   * no names: under a `*` their positions are unknown, and nothing is learnt from them.
   */
  #learn(rows: unknown[]): void {
    const info = statementSecrets(this.#engine.source);
    if (!info.touches) return;
    if ((this.#mode.raw || this.#mode.pluck) && info.byName) return;
    try {
      learnRows(info, rows, undefined);
    } catch {
      // Best effort: the rows are the caller's either way.
    }
  }

  /** Errors with every secret known to the process hashed, as the synchronous API throws them. */
  #secretFree<T>(promise: Promise<T>): Promise<T> {
    return promise.catch((error: unknown) => {
      throw redactError(error, { sql: this.#engine.source });
    });
  }
  /** Rows in batches through a cursor (PostgreSQL) or a statement iterator (SQLite). */
  async *iterate(...params: ArgumentsOf<P>): AsyncGenerator<Result, void, undefined> {
    this.#requireReader('iterate');
    const engine = this.#engine;
    const mode = this.#mode;
    if (!engine.iterate) {
      yield* (await this.#owner.schedule(() => engine.all(this.#args(params), mode))) as Result[];
      return;
    }
    const cursor = await this.#owner.schedule(() => engine.iterate!(this.#args(params), mode));
    try {
      for (let rows = await cursor.next(); rows.length > 0; rows = await cursor.next()) yield* rows as Result[];
    } finally {
      // Also reached when the loop stops early (break, return, throw): the cursor is closed then.
      await cursor.close();
    }
  }
  columns(): Promise<ColumnDefinition[]> {
    return this.#owner.schedule(() => this.#engine.columns());
  }

  #args(params: unknown[]): unknown[] {
    if (this.#bound) {
      if (params.length > 0) throw new TypeError('This statement already has bound parameters');
      return this.#bound;
    }
    learnStatement(this.#engine.source, params);
    return params;
  }

  #requireReader(method: string): void {
    if (!this.#engine.reader) throw new TypeError(`This statement does not return data. Use run() instead (called ${method}())`);
  }

  #setMode(name: keyof RowMode, toggle: boolean): void {
    if (typeof toggle !== 'boolean') throw new TypeError('Expected first argument to be a boolean');
    if (!this.#engine.reader) throw new TypeError(`The ${name}() method is only for statements that return data`);
    this.#mode = { pluck: false, raw: false, expand: false, [name]: toggle };
  }
}

export class AsyncDatabase {
  readonly #engine: AsyncEngine;
  readonly #lock = new Mutex();
  readonly #inside = new AsyncLocalStorage<AsyncDatabase>();

  constructor(filename?: string, options?: DatabaseOptions) {
    this.#engine = openAsyncEngine(filename, options ?? {});
  }

  get name(): string {
    return this.#engine.name;
  }
  get open(): boolean {
    return this.#engine.open;
  }
  get inTransaction(): boolean {
    return this.#engine.inTransaction;
  }

  async prepare<P extends BindParameters = unknown[], Result = unknown>(source: string): Promise<AsyncStatement<P, Result>> {
    if (typeof source !== 'string') throw new TypeError('Expected first argument to be a string');
    try {
      const engine = await this.schedule(() => this.#engine.prepare(source));
      return new AsyncStatement<P, Result>(engine, this);
    } catch (error) {
      learnStatement(source, []);
      throw redactError(error, { sql: source });
    }
  }

  async exec(source: string): Promise<this> {
    if (typeof source !== 'string') throw new TypeError('Expected first argument to be a string');
    try {
      await this.schedule(() => this.#engine.exec(source));
    } catch (error) {
      learnStatement(source, []);
      throw redactError(error, { sql: source });
    }
    return this;
  }

  pragma(source: string, options: PragmaOptions = {}): Promise<unknown> {
    if (typeof source !== 'string') throw new TypeError('Expected first argument to be a string');
    return this.schedule(() => this.#engine.pragma(source, options.simple === true));
  }

  /**
   * Runs `fn` in a transaction (a savepoint when already inside one): committed when its promise
   * resolves, rolled back when it rejects. Calls made inside `fn` run in the transaction.
   */
  async transaction<T>(fn: () => Promise<T> | T, mode: TransactionMode = 'deferred'): Promise<T> {
    if (typeof fn !== 'function') throw new TypeError('Expected first argument to be a function');
    if (this.#inside.getStore() === this) {
      return this.#engine.savepoint(async () => fn());
    }
    const run = (): Promise<T> => this.#inside.run(this, () => this.#engine.transaction(async () => fn(), mode));
    return this.#engine.needsExclusiveCalls ? this.#lock.runExclusive(run) : run();
  }

  async close(): Promise<void> {
    await this.#lock.runExclusive(() => this.#engine.close());
  }

  /** Runs one call: at once inside this database's transaction, else after any transaction ends. */
  schedule<T>(call: () => Promise<T> | T): Promise<T> {
    if (this.#inside.getStore() === this || !this.#engine.needsExclusiveCalls) return Promise.resolve().then(call);
    return this.#lock.runExclusive(call);
  }
}
