/**
 * The facade: better-sqlite3's `Database`, in every backend. It checks arguments exactly as
 * better-sqlite3 does, then forwards to the backend chosen at open time (src/adapter/open.ts).
 * Like better-sqlite3's, it is a plain function, callable with or without `new`.
 */
import { learnStatement, redactError } from '../policy/secrets';
import type { Backend, SqliteOnlyMember, TransactionFunction } from '../backends/backend';
import type { DatabaseOptions } from './config';
import { notSupportedOnPostgres } from './errors';
import { openBackend } from './open';

const kBackend = Symbol('backend');

export interface Database {
  readonly name: string;
  readonly open: boolean;
  readonly inTransaction: boolean;
  readonly readonly: boolean;
  readonly memory: boolean;
  prepare(source: string): Statement;
  exec(source: string): this;
  transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F>;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): this;
  function(name: string, ...args: unknown[]): this;
  aggregate(name: string, options: object): this;
  table(name: string, definition: object): this;
  backup(destination: string, options?: object): Promise<{ totalPages: number; remainingPages: number }>;
  serialize(options?: { attached?: string }): Buffer;
  loadExtension(path: string, entryPoint?: string): this;
  defaultSafeIntegers(toggle?: boolean): this;
  unsafeMode(toggle?: boolean): this;
  /** Shadow mode's counters (SPEC §7); undefined in the other modes. */
  shadowStats(): unknown;
}

/** A prepared statement (better-sqlite3's API). */
export interface Statement<BindParameters extends unknown[] = unknown[], Result = unknown> {
  readonly database: Database;
  readonly source: string;
  readonly reader: boolean;
  readonly readonly: boolean;
  readonly busy: boolean;
  run(...params: BindParameters): { changes: number; lastInsertRowid: number | bigint };
  get(...params: BindParameters): Result | undefined;
  all(...params: BindParameters): Result[];
  iterate(...params: BindParameters): IterableIterator<Result>;
  pluck(toggle?: boolean): this;
  expand(toggle?: boolean): this;
  raw(toggle?: boolean): this;
  bind(...params: BindParameters): this;
  columns(): Array<{ name: string; column: string | null; table: string | null; database: string | null; type: string | null }>;
  safeIntegers(toggle?: boolean): this;
}

export type Transaction<F extends (...args: never[]) => unknown> = {
  (...args: Parameters<F>): ReturnType<F>;
  default: Transaction<F>;
  deferred: Transaction<F>;
  immediate: Transaction<F>;
  exclusive: Transaction<F>;
  database: Database;
};

export interface DatabaseConstructor {
  new (filename?: string | Buffer, options?: DatabaseOptions): Database;
  (filename?: string | Buffer, options?: DatabaseOptions): Database;
  readonly prototype: Database;
}

interface Internal {
  [kBackend]: Backend;
}

function backendOf(db: object): Backend {
  const backend = (db as Partial<Internal>)[kBackend];
  if (!backend) throw new TypeError('Illegal invocation');
  return backend;
}

const getters: PropertyDescriptorMap = {
  name: { get(this: Internal) { return this[kBackend].name; }, enumerable: true },
  open: { get(this: Internal) { return this[kBackend].open; }, enumerable: true },
  inTransaction: { get(this: Internal) { return this[kBackend].inTransaction; }, enumerable: true },
  readonly: { get(this: Internal) { return this[kBackend].readonly; }, enumerable: true },
  memory: { get(this: Internal) { return this[kBackend].memory; }, enumerable: true },
};

export const Database = function Database(this: Database | undefined, filename?: string | Buffer, options?: DatabaseOptions): Database {
  if (new.target == null) return new (Database as DatabaseConstructor)(filename, options);
  const self = this as Database;
  // The backend is created before the getters exist: an error while opening leaves no half-open object behind.
  const backend = openBackend(filename, options, self);
  Object.defineProperty(self, kBackend, { value: backend });
  Object.defineProperties(self, getters);
  return self;
} as unknown as DatabaseConstructor;

const proto = Database.prototype as unknown as Record<string | symbol, unknown>;

proto.prepare = function prepare(this: Database, source: string): unknown {
  try {
    return backendOf(this).prepare(source, this);
  } catch (error) {
    throw secretFree(error, source);
  }
};

proto.exec = function exec(this: Database, source: string): Database {
  try {
    backendOf(this).exec(source);
  } catch (error) {
    throw secretFree(error, source);
  }
  return this;
};

/** An error about `source` with the secrets it wrote or compared (its literals) and any known secret hashed. */
function secretFree(error: unknown, source: unknown): unknown {
  if (typeof source !== 'string') return error;
  try {
    learnStatement(source, []);
    return redactError(error, { sql: source });
  } catch {
    return error;
  }
}

proto.close = function close(this: Database): Database {
  backendOf(this).close();
  return this;
};

proto.transaction = function transaction(this: Database, fn: (...args: unknown[]) => unknown): TransactionFunction {
  if (typeof fn !== 'function') throw new TypeError('Expected first argument to be a function');
  return backendOf(this).transaction(fn, this);
};

proto.pragma = function pragma(this: Database, source: string, options?: { simple?: boolean } | null): unknown {
  if (options == null) options = {};
  if (typeof source !== 'string') throw new TypeError('Expected first argument to be a string');
  if (typeof options !== 'object') throw new TypeError('Expected second argument to be an options object');
  let simple: unknown = false;
  if ('simple' in options && typeof (simple = options.simple) !== 'boolean') {
    throw new TypeError('Expected the "simple" option to be a boolean');
  }
  return backendOf(this).pragma(source, simple as boolean, this);
};

proto.shadowStats = function shadowStats(this: Database): unknown {
  return backendOf(this).shadowStats?.();
};

const SQLITE_ONLY: SqliteOnlyMember[] = [
  'function',
  'aggregate',
  'table',
  'backup',
  'serialize',
  'loadExtension',
  'defaultSafeIntegers',
  'unsafeMode',
];

for (const member of SQLITE_ONLY) {
  proto[member] = {
    [member](this: Database, ...args: unknown[]): unknown {
      const backend = backendOf(this);
      if (!backend.sqliteOnly) {
        const error = notSupportedOnPostgres(`Database#${member}()`);
        // backup() returns a promise in better-sqlite3: fail the same way it fails.
        return member === 'backup' ? Promise.reject(error) : throwError(error);
      }
      return backend.sqliteOnly(member, this, args);
    },
  }[member];
}

function throwError(error: Error): never {
  throw error;
}

proto[Symbol.for('nodejs.util.inspect.custom')] = function inspect(this: Database): object {
  const DatabaseInspection = function Database() {} as unknown as new () => object;
  return Object.assign(new DatabaseInspection(), this);
};
