/**
 * better-sqlite3's Statement, for backends that are not SQLite itself (PostgreSQL, shadow mode).
 * It keeps better-sqlite3's rules — argument checks, row modes, bind-once, busy while iterating —
 * and leaves the work to a StatementEngine. The SQLite backend does not use it: there the caller
 * gets better-sqlite3's native statement.
 */
import { metricsRecorder, secondsSince } from '../metrics/record';
import type { ColumnDefinition, ConnectionState, ReadMode, RowIterator, RowShape, RunResult, StatementEngine } from '../contracts';
import { learnRows, learnStatement, redactError, statementSecrets, type StatementSecretInfo } from '../policy/secrets';
import { BIND_TWICE, DB_BUSY, NOT_OPEN, STMT_BUSY, callArguments, requireColumns, requireReader, withSafeIntegers, withShape } from './statement-checks';

export class Statement<Bound = unknown> {
  readonly #engine: StatementEngine<Bound>;
  readonly #state: ConnectionState;
  readonly #database: object;
  #mode: ReadMode;
  #bound: { value: Bound } | undefined;
  #busy = false;
  /** What the statement does with secret columns (the secrecy policy's reading, made once per SQL). */
  readonly #secrets: StatementSecretInfo;
  #columnNames: string[] | undefined;

  constructor(engine: StatementEngine<Bound>, state: ConnectionState, database: object) {
    this.#engine = engine;
    this.#secrets = statementSecrets(engine.source);
    this.#state = state;
    this.#database = database;
    this.#mode = { shape: 'object', safeIntegers: state.safeIntegers };
  }

  get database(): object {
    return this.#database;
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
  get busy(): boolean {
    return this.#busy;
  }

  run(...args: unknown[]): RunResult {
    const bound = this.#prepareCall(args);
    const start = this.#timer();
    try {
      return this.#engine.run(bound);
    } catch (error) {
      throw this.#secretFree(error);
    } finally {
      if (start >= 0) this.#timed(start);
    }
  }

  get(...args: unknown[]): unknown {
    this.#requireReader();
    const bound = this.#prepareCall(args);
    const start = this.#timer();
    let row: unknown;
    try {
      row = this.#engine.get(bound, this.#mode);
    } catch (error) {
      throw this.#secretFree(error);
    } finally {
      if (start >= 0) this.#timed(start);
    }
    if (this.#secrets.touches && row !== undefined) this.#learn([row]);
    return row;
  }

  all(...args: unknown[]): unknown[] {
    this.#requireReader();
    const bound = this.#prepareCall(args);
    const start = this.#timer();
    let rows: unknown[];
    try {
      rows = this.#engine.all(bound, this.#mode);
    } catch (error) {
      throw this.#secretFree(error);
    } finally {
      if (start >= 0) this.#timed(start);
    }
    if (this.#secrets.touches) this.#learn(rows);
    return rows;
  }

  /** performance.now(), or -1 when no SDK records the duration (then nothing is timed). */
  #timer(): number {
    return this.#state.answeredBy && metricsRecorder().enabled ? performance.now() : -1;
  }

  #timed(start: number): void {
    const by = this.#state.answeredBy!;
    metricsRecorder().statement(by.backend, by.role, secondsSince(start));
  }

  iterate(...args: unknown[]): IterableIterator<unknown> {
    this.#requireReader();
    const bound = this.#prepareCall(args);
    const start = this.#timer();
    let rows: RowIterator;
    try {
      rows = this.#engine.iterate(bound, this.#mode);
    } catch (error) {
      throw this.#secretFree(error);
    } finally {
      if (start >= 0) this.#timed(start); // the first batch of rows is fetched by now
    }
    const learns = this.#secrets.touches;
    const state = this.#state;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      this.#busy = false;
      state.iterating--;
    };
    this.#busy = true;
    state.iterating++;
    const iterator: IterableIterator<unknown> = {
      next: (): IteratorResult<unknown> => {
        if (done) return { done: true, value: undefined };
        if (!state.open) throw new TypeError(NOT_OPEN);
        let result: IteratorResult<unknown, undefined>;
        try {
          result = rows.next();
        } catch (error) {
          finish();
          throw this.#secretFree(error);
        }
        if (result.done) finish();
        else if (learns) this.#learn([result.value]);
        return result;
      },
      return: (): IteratorResult<unknown> => {
        if (!done) {
          finish();
          rows.return();
        }
        return { done: true, value: undefined };
      },
      [Symbol.iterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  pluck(toggle?: unknown): this {
    return this.#setShape('pluck', toggle);
  }
  raw(toggle?: unknown): this {
    return this.#setShape('raw', toggle);
  }
  expand(toggle?: unknown): this {
    return this.#setShape('expand', toggle);
  }

  safeIntegers(toggle?: unknown): this {
    const mode = withSafeIntegers(this.#mode, toggle);
    if (this.#busy) throw new TypeError(STMT_BUSY);
    this.#mode = mode;
    return this;
  }

  bind(...args: unknown[]): this {
    if (!this.#state.open) throw new TypeError(NOT_OPEN);
    if (this.#busy) throw new TypeError(STMT_BUSY);
    if (this.#bound) throw new TypeError(BIND_TWICE);
    this.#bound = { value: this.#engine.bind(args) };
    learnStatement(this.#engine.source, args);
    return this;
  }

  columns(): ColumnDefinition[] {
    requireColumns(this.#engine.reader);
    if (!this.#state.open) throw new TypeError(NOT_OPEN);
    return this.#engine.columns();
  }

  /** Remembers the values of secret result columns read, so they are hidden wherever they appear later. */
  #learn(rows: unknown[]): void {
    try {
      if (this.#mode.shape === 'raw' || this.#mode.shape === 'pluck') this.#columnNames ??= this.#engine.columns().map((c) => c.name);
      learnRows(this.#secrets, rows, this.#mode.shape === 'raw' || this.#mode.shape === 'pluck' ? this.#columnNames : undefined);
    } catch {
      // Learning is best effort: the answer is the caller's either way.
    }
  }

  /** The error with every secret known to the process hashed (message, stack, PostgreSQL's fields in `cause`). */
  #secretFree(error: unknown): unknown {
    try {
      return redactError(error, { sql: this.#engine.source });
    } catch {
      return error;
    }
  }

  #prepareCall(args: unknown[]): Bound {
    if (!this.#state.open) throw new TypeError(NOT_OPEN);
    if (this.#busy) throw new TypeError(STMT_BUSY);
    if (this.#state.iterating > 0 && !this.#engine.readonly) throw new TypeError(DB_BUSY);
    return callArguments(this.#bound, args, (given) => {
      const bound = this.#engine.bind(given);
      if (this.#secrets.positional.size > 0 || this.#secrets.named.size > 0 || this.#secrets.literals.length > 0) learnStatement(this.#engine.source, given);
      return bound;
    });
  }

  #requireReader(): void {
    requireReader(this.#engine.reader);
  }

  #setShape(shape: RowShape, toggle: unknown): this {
    const mode = withShape(this.#mode, shape, toggle, this.#engine.reader);
    if (this.#busy) throw new TypeError(STMT_BUSY);
    this.#mode = mode;
    return this;
  }
}
