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
import { OBJECT_ROWS, type AsyncEngine, type AsyncStatementEngine, type ColumnDefinition, type ReadMode, type RowShape, type RunResult, type TransactionMode } from '../contracts';
import type { ArgumentsOf, BindParameters, PragmaOptions } from './api';
import type { DatabaseOptions } from './config';
import { openAsyncEngine } from './async-engine';
import { BIND_TWICE, callArguments, requireColumns, requireReader, withSafeIntegers, withShape } from './statement-checks';

/** A prepared statement whose calls return promises; typed as `Statement<P, Result>` is. */
export class AsyncStatement<P extends BindParameters = unknown[], Result = unknown> {
  readonly #engine: AsyncStatementEngine;
  readonly #owner: AsyncDatabase;
  #mode: ReadMode = OBJECT_ROWS;
  #bound: { value: unknown[] } | undefined;

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

  pluck(toggle?: boolean): this {
    return this.#setShape('pluck', toggle);
  }
  raw(toggle?: boolean): this {
    return this.#setShape('raw', toggle);
  }
  expand(toggle?: boolean): this {
    return this.#setShape('expand', toggle);
  }
  /** Integers come back as BigInt (and BOOLEAN columns as 0n/1n), as better-sqlite3's `safeIntegers()`. */
  safeIntegers(toggle?: boolean): this {
    this.#mode = withSafeIntegers(this.#mode, toggle);
    return this;
  }

  bind(...params: ArgumentsOf<P>): this {
    if (this.#bound) throw new TypeError(BIND_TWICE);
    this.#bound = { value: params };
    return this;
  }

  run(...params: ArgumentsOf<P>): Promise<RunResult> {
    return this.#secretFree(this.#owner.schedule(() => this.#engine.run(this.#args(params))));
  }
  get(...params: ArgumentsOf<P>): Promise<Result | undefined> {
    requireReader(this.#engine.reader);
    return this.#secretFree(this.#owner.schedule(() => this.#engine.get(this.#args(params), this.#mode) as Promise<Result | undefined> | Result | undefined)).then((row) => {
      if (row !== undefined) this.#learn([row]);
      return row;
    });
  }
  all(...params: ArgumentsOf<P>): Promise<Result[]> {
    requireReader(this.#engine.reader);
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
    if ((this.#mode.shape === 'raw' || this.#mode.shape === 'pluck') && info.byName) return;
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
    requireReader(this.#engine.reader);
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
    requireColumns(this.#engine.reader);
    return this.#owner.schedule(() => this.#engine.columns());
  }

  #args(params: unknown[]): unknown[] {
    return callArguments(this.#bound, params, (given) => {
      learnStatement(this.#engine.source, given);
      return given;
    });
  }

  #setShape(shape: RowShape, toggle: unknown): this {
    this.#mode = withShape(this.#mode, shape, toggle, this.#engine.reader);
    return this;
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
