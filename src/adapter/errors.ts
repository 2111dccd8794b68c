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

/** A copy of better-sqlite3's SqliteError (MIT, Joshua Wise), for installations without it. */
function ownSqliteError(): SqliteErrorConstructor {
  const descriptor = { value: 'SqliteError', writable: true, enumerable: false, configurable: true };
  function SqliteError(this: SqliteError, message: string, code: string): SqliteError | void {
    if (new.target !== SqliteError) return new (SqliteError as unknown as SqliteErrorConstructor)(message, code);
    if (typeof code !== 'string') throw new TypeError('Expected second argument to be a string');
    Error.call(this, message);
    descriptor.value = '' + message;
    Object.defineProperty(this, 'message', descriptor);
    Error.captureStackTrace(this, SqliteError);
    this.code = code;
  }
  Object.setPrototypeOf(SqliteError, Error);
  Object.setPrototypeOf(SqliteError.prototype, Error.prototype);
  Object.defineProperty(SqliteError.prototype, 'name', descriptor);
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
