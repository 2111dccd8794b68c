/**
 * The PostgreSQL backend: the engine's SQLite SQL, translated once per statement, answered
 * synchronously from `REGISTRY_PG_SCHEMA` through a worker thread (SyncPgClient), with values and
 * errors shaped as SQLite's.
 */
import type { OpenPlan } from '../adapter/config';
import { Statement } from '../adapter/statement';
import type { ConnectionState } from '../contracts';
import { createTransaction, type ControlStatement } from '../adapter/transaction';
import { createTranslator, splitStatements, type Translator } from '../translator';
import { capabilities, type Backend, type BackendCapabilities, type ClockedStatement, type StatementFacts, type TransactionFunction } from '../contracts';
import { PgConnection } from './postgres/sync/connection';
import { PreparedCache, translateOne } from './postgres/statement/prepared-cache';
import { isDescribable, PgStatementEngine, preparedStatement, systemClock, withNow, type PreparedStatement, type Specialise } from './postgres/statement/prepared';
import { describeTyped, sameStatement, translateVariant } from './postgres/statement/variants';

type ManagedPlan = Extract<OpenPlan, { managed: true }>;

const CAPABILITIES: BackendCapabilities = capabilities({ dialect: 'postgres', clockedStatements: true });
const NOT_OPEN = 'The database connection is not open';

export class PostgresBackend implements Backend {
  readonly capabilities = CAPABILITIES;
  readonly name: string;
  readonly memory = false;
  readonly readonly: boolean;
  readonly #connection: PgConnection;
  readonly #translator: Translator;
  readonly #state: ConnectionState;
  /** Prepared statements of this connection by SQL text, for the current catalog. */
  readonly #prepared = new PreparedCache();
  #open = true;

  constructor(plan: ManagedPlan, filename: string, options: { readonly?: boolean }) {
    this.name = filename;
    this.readonly = options.readonly === true;
    this.#connection = new PgConnection(plan, { readonly: this.readonly });
    this.#translator = createTranslator(() => this.#connection.catalog, { overrides: plan.sqlOverrides });
    const backend = this;
    this.#state = {
      get open() {
        return backend.#open;
      },
      iterating: 0,
      safeIntegers: false,
      answeredBy: { backend: 'postgres', role: 'only' },
    };
  }

  get open(): boolean {
    return this.#open;
  }
  get inTransaction(): boolean {
    return this.#open && this.#connection.inTransaction;
  }

  prepare(source: string, database: object): unknown {
    const prepared = this.#prepare(source);
    return new Statement(new PgStatementEngine(this.#connection, prepared, undefined, this.#specialise), this.#state, database);
  }

  /** The engine under a statement, for a wrapper (shadow mode) that gives its own 'now'. */
  prepareClocked(source: string, clock: () => string): ClockedStatement {
    const engine = new PgStatementEngine(this.#connection, this.#prepare(source), clock, this.#specialise);
    const t = engine.translation;
    const facts: StatementFacts = { ordered: t.ordered, slots: t.slots, tables: t.tables, ...(t.columnNames ? { columnNames: t.columnNames } : {}), ...(t.notMirrorable ? { notMirrorable: t.notMirrorable } : {}) };
    return { engine, usesNow: engine.usesNow, facts };
  }

  /** PostgreSQL's own SQL on this connection, in its open transaction (shadow mode's change log; see PgConnection.internal). */
  internalQuery(text: string, values: unknown[], options: { name?: string; write?: boolean } = {}): Array<Array<string | null>> {
    this.#requireOpen();
    return this.#connection.internal(text, values as never, options) as Array<Array<string | null>>;
  }

  /**
   * PostgreSQL's own SQL sent with the COMMIT that ends the open transaction, in its round trip
   * (shadow mode's change log row); `committedRows` are its rows once that COMMIT succeeded.
   */
  internalOnCommit(text: string, values: unknown[], name?: string): void {
    this.#requireOpen();
    this.#connection.internalOnCommit(text, values as never, name);
  }

  get committedRows(): Array<Array<string | null>> | undefined {
    return this.#connection.committedRows as Array<Array<string | null>> | undefined;
  }

  /** The columns whose DEFAULT is now(), from the catalog (read at open and again after DDL). */
  nowDefaultColumns(table: string): string[] | undefined {
    return this.#connection.catalog.tables.get(table)?.columns.filter((c) => c.default !== null && /\bnow\(\)/i.test(c.default)).map((c) => c.name.toLowerCase());
  }

  exec(source: string): void {
    if (typeof source !== 'string') throw new TypeError('Expected first argument to be a string');
    this.#requireOpen();
    if (this.#state.iterating > 0) throw new TypeError('This database connection is busy executing a query');
    for (const sql of splitStatements(source)) {
      const prepared = this.#prepare(sql, { describe: false });
      this.#connection.execute(prepared, withNow(prepared.plan.pgValues([]), prepared.nowSlots, systemClock));
    }
  }

  /**
   * One statement of exec() with the caller's 'now' (shadow mode binds the same 'now' on both
   * sides): whether it reads 'now', and how to run it.
   */
  execClocked(source: string, clock: () => string): { usesNow: boolean; run(): void } {
    const prepared = this.#prepare(source, { describe: false });
    return {
      usesNow: prepared.nowSlots.length > 0,
      run: () => {
        this.#connection.execute(prepared, withNow(prepared.plan.pgValues([]), prepared.nowSlots, clock));
      },
    };
  }

  pragma(source: string, simple: boolean, database: object): unknown {
    const stmt = this.prepare(`PRAGMA ${source}`, database) as Statement;
    if (!stmt.reader) {
      stmt.run();
      return simple ? undefined : [];
    }
    return simple ? stmt.pluck().get() : stmt.all();
  }

  transaction(fn: (...args: unknown[]) => unknown, database: object): TransactionFunction {
    return createTransaction(fn, this.#controls(), database);
  }

  close(): void {
    if (!this.#open) return;
    if (this.#state.iterating > 0) throw new TypeError('This database connection is busy executing a query');
    this.#open = false;
    this.#connection.close();
  }

  #controls() {
    const backend = this;
    return {
      get inTransaction() {
        return backend.inTransaction;
      },
      prepareControl: (source: string): ControlStatement => {
        const prepared = this.#prepare(source, { describe: false });
        return { run: () => this.#connection.execute(prepared, []) };
      },
    };
  }

  #requireOpen(): void {
    if (!this.#open) throw new TypeError(NOT_OPEN);
  }

  /** The statement as translated and described for one class key of the values bound (variants.ts). */
  readonly #specialise: Specialise = (base, key) => {
    const cached = base.variants.get(key);
    if (cached) return cached;
    this.#requireOpen();
    const translation = translateVariant(this.#translator, base.translation, key);
    if (sameStatement(translation, base.translation)) return base.variants.set(key, base);
    const catalog = this.#connection.catalog;
    return base.variants.set(key, preparedStatement(translation, this.#connection.describe(translation), `sra_${this.#connection.nextStatementId()}`, catalog));
  };

  /** Translates and describes `source` once per catalog; the result is shared by its statements. */
  #prepare(source: string, { describe = true } = {}): PreparedStatement {
    if (typeof source !== 'string') throw new TypeError('Expected first argument to be a string');
    this.#requireOpen();
    const catalog = this.#connection.catalog;
    const cached = this.#prepared.get(source, catalog);
    if (cached) return cached;
    const translation = translateOne(source, this.#translator);
    const prepared = describe && isDescribable(translation)
      ? preparedStatement(translation, describeTyped(this.#translator, translation, (t) => this.#connection.describe(t)), `sra_${this.#connection.nextStatementId()}`, catalog)
      : preparedStatement(translation, null, undefined, catalog);
    if (prepared.name) this.#prepared.set(source, prepared);
    return prepared;
  }
}
