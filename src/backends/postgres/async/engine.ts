/**
 * AsyncDatabase on PostgreSQL, straight on a `pg` pool (no worker thread): the same translation
 * (createTranslator over the schema's catalog, REGISTRY_SQL_OVERRIDES honoured), binding, row
 * shaping and error mapping as the synchronous backend, with named prepared statements so that a
 * repeated statement skips PostgreSQL's parse and plan. Calls outside a transaction run
 * concurrently on the pool; `transaction(fn)` pins one connection for the calls made inside fn.
 */
import { OBJECT_ROWS, type AsyncEngine, type AsyncStatementEngine, type TransactionMode } from '../../../contracts';
import type { OpenPlan } from '../../../adapter/config';
import { createTranslator, splitStatements, type Translator } from '../../../translator';
import { PgAsyncConnection } from './connection';
import { PgAsyncStatement } from './statement';
import { BindingPlan } from '../values/binding';
import { PreparedCache, translateOne } from '../statement/prepared-cache';
import { isDescribable, nowSlotsOf, preparedStatement, systemClock, withNow, type PreparedStatement } from '../statement/prepared';
import { describeTypedAsync, sameStatement, translateVariant } from '../statement/variants';

type ManagedPlan = Extract<OpenPlan, { managed: true }>;

export function openPostgresAsyncEngine(plan: ManagedPlan, filename: string, options: { readonly?: boolean } = {}): AsyncEngine {
  return new PgAsyncEngine(plan, filename, options.readonly === true);
}

export class PgAsyncEngine implements AsyncEngine {
  readonly needsExclusiveCalls = false;
  readonly name: string;
  readonly #connection: PgAsyncConnection;
  readonly #translator: Translator;
  /** Prepared statements by SQL text, for the current catalog (a new catalog starts afresh). */
  readonly #prepared = new PreparedCache();
  #statementIds = 0;

  constructor(plan: ManagedPlan, filename: string, readonly: boolean) {
    this.name = filename;
    this.#connection = new PgAsyncConnection(plan, { readonly });
    this.#translator = createTranslator(() => this.#connection.catalog, { overrides: plan.sqlOverrides });
  }

  get open(): boolean {
    return this.#connection.open;
  }
  get inTransaction(): boolean {
    return this.#connection.inTransaction;
  }

  async prepare(source: string): Promise<AsyncStatementEngine> {
    await this.#connection.ready();
    return new PgAsyncStatement(this.#connection, await this.#prepare(source), this.#specialise);
  }

  /** The statement as translated and described for one class key of the values bound (variants.ts). */
  readonly #specialise = async (base: PreparedStatement, key: string): Promise<PreparedStatement> => {
    const cached = base.variants.get(key);
    if (cached) return cached;
    const translation = translateVariant(this.#translator, base.translation, key);
    if (sameStatement(translation, base.translation)) return base.variants.set(key, base);
    const catalog = this.#connection.catalog;
    const fields = await this.#connection.describe(translation.text);
    return base.variants.set(key, preparedStatement(translation, fields, `sra_async_${++this.#statementIds}`, catalog));
  };

  async exec(source: string): Promise<void> {
    await this.#connection.ready();
    // One by one, each translated after the one before ran: a CREATE INDEX needs its table's catalog.
    for (const sql of splitStatements(source)) {
      const translation = this.#translator.translate(sql);
      await this.#connection.execute(translation, withNow(new BindingPlan(translation).pgValues([]), nowSlotsOf(translation), systemClock), undefined);
    }
  }

  async pragma(source: string, simple: boolean): Promise<unknown> {
    const stmt = await this.prepare(`PRAGMA ${source}`);
    if (!stmt.reader) {
      await stmt.run([]);
      return simple ? undefined : [];
    }
    const mode = simple ? { ...OBJECT_ROWS, shape: 'pluck' as const } : OBJECT_ROWS;
    return simple ? stmt.get([], mode) : stmt.all([], mode);
  }

  transaction<T>(fn: () => Promise<T>, mode: TransactionMode): Promise<T> {
    return this.#connection.transaction(fn, mode);
  }

  savepoint<T>(fn: () => Promise<T>): Promise<T> {
    return this.#connection.savepoint(fn);
  }

  close(): Promise<void> {
    return this.#connection.close();
  }

  /** Translates and describes `source` once per catalog; statements of the same SQL share it. */
  async #prepare(source: string): Promise<PreparedStatement> {
    const catalog = this.#connection.catalog;
    const cached = this.#prepared.get(source, catalog);
    if (cached) return cached;
    const translation = translateOne(source, this.#translator);
    if (!isDescribable(translation)) return preparedStatement(translation, null, undefined, catalog);
    const fields = await describeTypedAsync(this.#translator, translation, (t) => this.#connection.describe(t.text));
    const prepared = preparedStatement(translation, fields, `sra_async_${++this.#statementIds}`, catalog);
    // Described inside a transaction, it may name a table that transaction created: cache it only
    // when the catalog did not change meanwhile.
    if (this.#connection.catalog === catalog) this.#prepared.set(source, prepared);
    return prepared;
  }
}
