/**
 * The SQLite backend: better-sqlite3 itself. Statements are better-sqlite3's native statements,
 * handed to the caller unchanged (with the facade as their `database`), and every Database method
 * is better-sqlite3's own, run with the facade as `this`: the facade in SQLite mode behaves, and
 * costs, exactly as better-sqlite3 does.
 */
import { loadBetterSqlite3, nativeKey } from '../adapter/load-sqlite';
import { capabilities, type Backend, type BackendCapabilities, type SqliteOnlyMember, type TransactionFunction } from '../contracts';

/** better-sqlite3's native connection (its `cppdb`), as far as we call it. */
interface NativeConnection {
  readonly name: string;
  readonly open: boolean;
  readonly inTransaction: boolean;
  readonly readonly: boolean;
  readonly memory: boolean;
  prepare(source: string, database: object, pragmaMode: boolean): { pluck(): { get(): unknown }; all(): unknown[] };
  exec(source: string): void;
  close(): void;
}

type Prototype = Record<string, (...args: unknown[]) => unknown>;

const CAPABILITIES: BackendCapabilities = capabilities({ dialect: 'sqlite', sqliteNative: true });

export class SqliteBackend implements Backend {
  readonly capabilities = CAPABILITIES;
  readonly #native: NativeConnection;
  readonly #prototype: Prototype;

  /** Opens `filename` with better-sqlite3 (its own argument checks apply) for the facade `database`. */
  constructor(filename: string | Buffer | undefined, options: object | undefined, database: object) {
    const BetterSqlite3 = loadBetterSqlite3();
    const key = nativeKey();
    const opened = new BetterSqlite3(filename, options) as Record<symbol, NativeConnection>;
    this.#native = opened[key];
    this.#prototype = BetterSqlite3.prototype as Prototype;
    // better-sqlite3's methods find the connection under this key: with it, they run on the facade.
    Object.defineProperty(database, key, { value: this.#native });
  }

  get name(): string {
    return this.#native.name;
  }
  get open(): boolean {
    return this.#native.open;
  }
  get inTransaction(): boolean {
    return this.#native.inTransaction;
  }
  get readonly(): boolean {
    return this.#native.readonly;
  }
  get memory(): boolean {
    return this.#native.memory;
  }

  prepare(source: string, database: object): unknown {
    return this.#native.prepare(source, database, false);
  }

  exec(source: string): void {
    this.#native.exec(source);
  }

  pragma(source: string, simple: boolean, database: object): unknown {
    const stmt = this.#native.prepare(`PRAGMA ${source}`, database, true);
    return simple ? stmt.pluck().get() : stmt.all();
  }

  transaction(fn: (...args: unknown[]) => unknown, database: object): TransactionFunction {
    return this.#prototype.transaction.call(database, fn) as TransactionFunction;
  }

  sqliteOnly(member: SqliteOnlyMember, database: object, args: unknown[]): unknown {
    return this.#prototype[member].apply(database, args);
  }

  close(): void {
    this.#native.close();
  }
}
