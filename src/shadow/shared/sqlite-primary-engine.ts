/**
 * better-sqlite3's native statement seen as a StatementEngine, for shadow mode with SQLite as the
 * primary: the facade's Statement does the API's checks, this runs the native statement in the
 * caller's row mode. Binding errors come from better-sqlite3 itself, when the statement runs.
 */
import type { ColumnDefinition, ReadMode, RowIterator, RowShape, RunResult, StatementEngine } from '../../contracts';

/** The parts of better-sqlite3's Statement used here. */
export interface NativeStatement {
  readonly reader: boolean;
  readonly readonly: boolean;
  run(...args: unknown[]): RunResult;
  get(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown[];
  iterate(...args: unknown[]): IterableIterator<unknown>;
  pluck(toggle: boolean): unknown;
  raw(toggle: boolean): unknown;
  expand(toggle: boolean): unknown;
  safeIntegers(toggle: boolean): unknown;
  columns(): ColumnDefinition[];
}

export class SqlitePrimaryEngine implements StatementEngine<unknown[]> {
  #shape: RowShape = 'object';
  #safeIntegers: boolean;

  constructor(
    private readonly native: NativeStatement,
    readonly source: string,
    defaultSafeIntegers: boolean,
  ) {
    this.#safeIntegers = defaultSafeIntegers;
  }

  get reader(): boolean {
    return this.native.reader;
  }
  get readonly(): boolean {
    return this.native.readonly;
  }

  bind(args: unknown[]): unknown[] {
    return args;
  }

  run(args: unknown[]): RunResult {
    return this.native.run(...args);
  }

  get(args: unknown[], mode: ReadMode): unknown {
    this.#mode(mode);
    return this.native.get(...args);
  }

  all(args: unknown[], mode: ReadMode): unknown[] {
    this.#mode(mode);
    return this.native.all(...args);
  }

  iterate(args: unknown[], mode: ReadMode): RowIterator {
    this.#mode(mode);
    const iterator = this.native.iterate(...args);
    return {
      next: () => iterator.next() as IteratorResult<unknown, undefined>,
      return: () => {
        iterator.return?.();
      },
    };
  }

  columns(): ColumnDefinition[] {
    return this.native.columns();
  }

  /** Sets the native statement's row mode when it differs from the last one used. */
  #mode(mode: ReadMode): void {
    if (mode.shape !== this.#shape) {
      if (mode.shape === 'object') this.native[this.#shape as Exclude<RowShape, 'object'>](false);
      else this.native[mode.shape](true);
      this.#shape = mode.shape;
    }
    if (mode.safeIntegers !== this.#safeIntegers) {
      this.native.safeIntegers(mode.safeIntegers);
      this.#safeIntegers = mode.safeIntegers;
    }
  }
}
