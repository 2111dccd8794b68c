/**
 * The facade: better-sqlite3's `Database`, in every backend. It checks arguments exactly as
 * better-sqlite3 does, then forwards to the backend chosen at open time (src/adapter/open.ts).
 * Like better-sqlite3's, it is a plain function, callable with or without `new`.
 */
import { learnStatement, redactError } from '../policy/secrets';
import { SQLITE_ONLY_MEMBERS, type Backend, type TransactionFunction } from '../contracts';
import type { Database as Connection } from './api';
import type { DatabaseOptions } from './config';
import type { ShadowStats } from '../shadow';
import { notSupportedOnPostgres } from './errors';
import { openBackend } from './open';

const kBackend = Symbol('backend');

export interface DatabaseConstructor {
  new (filename?: string | Buffer, options?: DatabaseOptions): Connection;
  (filename?: string | Buffer, options?: DatabaseOptions): Connection;
  readonly prototype: Connection;
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

export const Database = function Database(this: Connection | undefined, filename?: string | Buffer, options?: DatabaseOptions): Connection {
  if (new.target == null) return new (Database as DatabaseConstructor)(filename, options);
  const self = this as Connection;
  // The backend is created before the getters exist: an error while opening leaves no half-open object behind.
  const backend = openBackend(filename, options, self);
  Object.defineProperty(self, kBackend, { value: backend });
  Object.defineProperties(self, getters);
  return self;
} as unknown as DatabaseConstructor;

const proto = Database.prototype as unknown as Record<string | symbol, unknown>;

proto.prepare = function prepare(this: Connection, source: string): unknown {
  try {
    return backendOf(this).prepare(source, this);
  } catch (error) {
    throw secretFree(error, source);
  }
};

proto.exec = function exec(this: Connection, source: string): Connection {
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

proto.close = function close(this: Connection): Connection {
  backendOf(this).close();
  return this;
};

proto.transaction = function transaction(this: Connection, fn: (...args: unknown[]) => unknown): TransactionFunction {
  if (typeof fn !== 'function') throw new TypeError('Expected first argument to be a function');
  return backendOf(this).transaction(fn, this);
};

proto.pragma = function pragma(this: Connection, source: string, options?: { simple?: boolean } | null): unknown {
  if (options == null) options = {};
  if (typeof source !== 'string') throw new TypeError('Expected first argument to be a string');
  if (typeof options !== 'object') throw new TypeError('Expected second argument to be an options object');
  let simple: unknown = false;
  if ('simple' in options && typeof (simple = options.simple) !== 'boolean') {
    throw new TypeError('Expected the "simple" option to be a boolean');
  }
  return backendOf(this).pragma(source, simple as boolean, this);
};

proto.shadowStats = function shadowStats(this: Connection): ShadowStats | undefined {
  const backend = backendOf(this);
  return backend.capabilities.shadowStats ? (backend.shadowStats!() as ShadowStats) : undefined;
};

for (const member of SQLITE_ONLY_MEMBERS) {
  proto[member] = {
    [member](this: Connection, ...args: unknown[]): unknown {
      const backend = backendOf(this);
      if (!backend.capabilities.sqliteNative) {
        const error = notSupportedOnPostgres(`Database#${member}()`);
        // backup() returns a promise in better-sqlite3: fail the same way it fails.
        return member === 'backup' ? Promise.reject(error) : throwError(error);
      }
      return backend.sqliteOnly!(member, this, args);
    },
  }[member];
}

function throwError(error: Error): never {
  throw error;
}

proto[Symbol.for('nodejs.util.inspect.custom')] = function inspect(this: Connection): object {
  const DatabaseInspection = function Database() {} as unknown as new () => object;
  return Object.assign(new DatabaseInspection(), this);
};
