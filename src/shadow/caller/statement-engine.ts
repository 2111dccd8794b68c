/**
 * The statement engine of shadow mode: runs the primary's statement, gives the caller the
 * primary's answer untouched, and enqueues the mirror work (every write, failed ones included, and
 * the sampled reads, each with the primary's answer for the comparison).
 */
import type { ColumnDefinition, ReadMode, RowIterator, RowShape, RunResult, StatementEngine } from '../../contracts';
import type { TransactionOp } from '../../translator';
import type { Answer, MirrorMethod, MirrorOp, StatementMeta } from '../shared';
import { referencedNames } from '../shared';
import { columnsOf, copyArgs, copyRow, copyRows, flattenRows } from './row-copy';
import type { ShadowSession } from './session';

export interface ShadowBound {
  args: unknown[];
  primary: unknown;
}

/** What the backend learnt about the statement at prepare. */
export interface StatementInfo {
  /** The SQL as the caller gave it (Statement#source). */
  source: string;
  /** The SQL both sides run: `source`, with omitted now-defaults named (now-defaults.ts). */
  sql: string;
  control?: TransactionOp;
  usesNow: boolean;
  /** Facts from the primary's translation, sent with the first op (PostgreSQL primary). */
  meta?: () => StatementMeta;
  /** Throws for arguments the secondary cannot hold (unholdable-args.ts), before the primary binds them. */
  checkArgs?: (args: readonly unknown[]) => void;
}

const RUN_MODE: ReadMode = { shape: 'object', safeIntegers: false };

export class ShadowStatementEngine implements StatementEngine<ShadowBound> {
  #metaSent = false;
  #namesVersion = 0;
  #reasons: string[] | undefined;
  #names: Set<string> | undefined;
  /** The column names of this statement's object rows (their own keys, in order), once seen. */
  #columns: string[] | undefined;

  constructor(
    private readonly primary: StatementEngine<unknown>,
    private readonly session: ShadowSession,
    private readonly info: StatementInfo,
  ) {}

  get source(): string {
    return this.info.source;
  }
  get reader(): boolean {
    return this.primary.reader;
  }
  get readonly(): boolean {
    return this.primary.readonly;
  }

  bind(args: unknown[]): ShadowBound {
    this.info.checkArgs?.(args);
    return { args, primary: this.primary.bind(args) };
  }

  columns(): ColumnDefinition[] {
    return this.primary.columns();
  }

  run(bound: ShadowBound): RunResult {
    const control = this.info.control;
    if (control) return this.session.control(control, () => this.primary.run(bound.primary));
    if (this.primary.readonly) return this.primary.run(bound.primary);
    return this.session.autocommit(() => this.#run(bound));
  }

  #run(bound: ShadowBound): RunResult {
    this.#stamp();
    let result: RunResult;
    try {
      result = this.primary.run(bound.primary);
    } catch (error) {
      this.#failed(error, 'run', bound, RUN_MODE);
      throw error;
    }
    this.#mirror('run', bound, RUN_MODE, { type: 'run', changes: result.changes });
    return result;
  }

  get(bound: ShadowBound, mode: ReadMode): unknown {
    if (this.primary.readonly) {
      if (!this.session.sampled()) return this.primary.get(bound.primary, mode);
      this.session.markRead();
      return this.#get(bound, mode);
    }
    return this.session.autocommit(() => this.#get(bound, mode));
  }

  #get(bound: ShadowBound, mode: ReadMode): unknown {
    this.#stamp();
    let row: unknown;
    try {
      row = this.primary.get(bound.primary, mode);
    } catch (error) {
      this.#failed(error, 'get', bound, mode);
      throw error;
    }
    this.#mirrorRows('get', bound, mode, row === undefined ? [] : [row]);
    return row;
  }

  all(bound: ShadowBound, mode: ReadMode): unknown[] {
    if (this.primary.readonly) {
      if (!this.session.sampled()) return this.primary.all(bound.primary, mode);
      this.session.markRead();
      return this.#all(bound, mode);
    }
    return this.session.autocommit(() => this.#all(bound, mode));
  }

  #all(bound: ShadowBound, mode: ReadMode): unknown[] {
    this.#stamp();
    let rows: unknown[];
    try {
      rows = this.primary.all(bound.primary, mode);
    } catch (error) {
      this.#failed(error, 'all', bound, mode);
      throw error;
    }
    this.#mirrorRows('all', bound, mode, rows);
    return rows;
  }

  iterate(bound: ShadowBound, mode: ReadMode): RowIterator {
    if (this.primary.readonly) {
      if (!this.session.sampled()) return this.primary.iterate(bound.primary, mode);
      this.session.markRead();
    }
    this.#stamp();
    let source: RowIterator;
    try {
      source = this.primary.iterate(bound.primary, mode);
    } catch (error) {
      this.#failed(error, 'iterate', bound, mode);
      throw error;
    }
    const rows: unknown[] = [];
    let finished = false;
    const finish = (answer: Answer | undefined): void => {
      if (finished) return;
      finished = true;
      // A read stopped early is not compared; a write (RETURNING) is still mirrored.
      if (answer || !this.primary.readonly) this.#mirror('iterate', bound, mode, answer);
    };
    return {
      next: (): IteratorResult<unknown, undefined> => {
        let result: IteratorResult<unknown, undefined>;
        try {
          result = source.next();
        } catch (error) {
          finished = true;
          this.#failed(error, 'iterate', bound, mode);
          throw error;
        }
        if (result.done) finish({ type: 'rows', rows });
        else rows.push(copyRow(result.value, mode.shape));
        return result;
      },
      return: (): void => {
        source.return();
        finish(undefined);
      },
    };
  }

  #stamp(): void {
    if (this.info.usesNow) this.session.stampNow();
  }

  /** A statement the primary refused: a write is still tried on the secondary, and compared. */
  #failed(error: unknown, method: MirrorMethod, bound: ShadowBound, mode: ReadMode): void {
    if (!isSqliteError(error)) return; // argument errors never reached the database
    this.session.sync();
    this.#mirror(method, bound, mode, { type: 'error', code: error.code, message: error.message });
  }

  /**
   * A read's rows: object rows travel as the statement's column names (sent once, shared/mirror-wire.ts)
   * and one flat array of values, which is a snapshot too and much cheaper to clone than objects;
   * other shapes (and object rows whose keys cannot be rebuilt) as copies of the rows.
   */
  #mirrorRows(method: MirrorMethod, bound: ShadowBound, mode: ReadMode, rows: readonly unknown[]): void {
    if (mode.shape === 'object' && rows.length > 0) {
      let columns = this.#columns;
      let values = columns ? flattenRows(rows, columns) : undefined;
      if (!values) {
        columns = columnsOf(rows[0]);
        if (columns) {
          values = flattenRows(rows, columns);
          this.#columns = columns;
        }
      }
      if (values) {
        this.#mirror(method, bound, mode, { type: 'rows', rows: values }, columns);
        return;
      }
    }
    this.#mirror(method, bound, mode, { type: 'rows', rows: copyRows(rows as unknown[], mode.shape) });
  }

  #mirror(method: MirrorMethod, bound: ShadowBound, mode: ReadMode, answer: Answer | undefined, columns?: string[]): void {
    const session = this.session;
    let meta: StatementMeta | undefined;
    if (!this.#metaSent) {
      this.#metaSent = true;
      meta = { ...this.info.meta?.(), stack: callerStack() };
    }
    // Every property set, always in this order: one object shape for all ops.
    const op: MirrorOp = {
      sql: this.info.sql,
      method,
      args: copyArgs(bound.args),
      shape: mode.shape as RowShape,
      safeIntegers: mode.safeIntegers,
      write: !this.primary.readonly,
      t: Date.now(),
      answer,
      now: this.info.usesNow ? session.now : undefined,
      meta,
      notMirrorable: this.#notMirrorable(),
      columns,
      pos: undefined,
    };
    session.mirror(op);
  }

  /** The application's own SQLite functions or tables in this statement (checked again after each registration). */
  #notMirrorable(): string[] | undefined {
    const session = this.session;
    if (session.namesVersion === this.#namesVersion) return this.#reasons;
    this.#namesVersion = session.namesVersion;
    this.#names ??= referencedNames(this.info.sql);
    const reasons: string[] = [];
    for (const name of this.#names) {
      const reason = session.appNames.get(name);
      if (reason) reasons.push(reason);
    }
    this.#reasons = reasons.length > 0 ? reasons : undefined;
    return this.#reasons;
  }
}

function callerStack(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 25;
  try {
    return new Error().stack;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function isSqliteError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && error.name !== 'TypeError' && error.name !== 'RangeError';
}
