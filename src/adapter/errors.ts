/**
 * Error classes. `SqliteError` is better-sqlite3's own class whenever the package is installed (its
 * `lib/sqlite-error.js` is plain JavaScript: requiring it loads no native code), so an error thrown
 * by SQLite and one mapped from PostgreSQL pass the same `instanceof` check. After SQLite's
 * retirement, with better-sqlite3 gone, an identical class takes its place.
 */

export interface SqliteError extends Error {
  code: string;
  cause?: unknown;
}

export interface SqliteErrorConstructor {
  new (message: string, code: string): SqliteError;
  (message: string, code: string): SqliteError;
  readonly prototype: SqliteError;
}

function loadSqliteError(): SqliteErrorConstructor {
  // After the retirement nothing may load better-sqlite3 for the registry, not even its error class.
  if (/^(1|true|yes|on)$/i.test((process.env.REGISTRY_SQLITE_RETIRED ?? '').trim())) return ownSqliteError();
  try {
    return require('better-sqlite3/lib/sqlite-error') as SqliteErrorConstructor;
  } catch {
    return ownSqliteError();
  }
}

/**
 * The error class for installations without better-sqlite3 (after the retirement): an Error with
 * better-sqlite3's name, message and `code`, so code that reads `error.code` works the same.
 */
function ownSqliteError(): SqliteErrorConstructor {
  class SqliteError extends Error {
    code: string;
    constructor(message: string, code: string) {
      if (typeof code !== 'string') throw new TypeError('Expected second argument to be a string');
      super(String(message));
      this.code = code;
    }
  }
  Object.defineProperty(SqliteError.prototype, 'name', { value: 'SqliteError', writable: true, enumerable: false, configurable: true });
  return SqliteError as unknown as SqliteErrorConstructor;
}

export const SqliteError: SqliteErrorConstructor = loadSqliteError();

/** Creates a SqliteError with a cause (the PostgreSQL error it was mapped from). */
export function sqliteError(message: string, code: string, cause?: unknown): SqliteError {
  const error = new SqliteError(message, code);
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, writable: true, enumerable: false, configurable: true });
  return error;
}

/**
 * SQL the PostgreSQL backend cannot translate; thrown by `prepare`, naming the construct. It is
 * also a SqliteError (code SQLITE_ERROR), so code that catches prepare()'s errors as SQLite's
 * still catches it.
 */
export class TranslationError extends Error {
  override name = 'TranslationError';
  readonly code = 'SQLITE_ERROR';
  constructor(message: string, readonly construct: string, readonly sql: string) {
    super(message);
  }
}
Object.setPrototypeOf(TranslationError.prototype, SqliteError.prototype);

/** A bad configuration value: names the variable, the value and what is allowed. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
  constructor(message: string, readonly variable: string) {
    super(message);
  }
}

/** A member of better-sqlite3's API that only exists inside SQLite, called on PostgreSQL. */
export function notSupportedOnPostgres(member: string): TypeError {
  return new TypeError(
    `${member} is not supported on PostgreSQL: it only exists inside SQLite. ` +
      `Open this database with backend 'sqlite' to use it, or move the logic into SQL.`,
  );
}
