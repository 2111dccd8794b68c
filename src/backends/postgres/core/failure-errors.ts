/**
 * The errors `SyncPgClient` throws. PostgreSQL's own errors come back as `PgServerError`, with pg's
 * DatabaseError field names, for `mapPgError` to turn into SqliteErrors; what the bridge itself
 * detects (timeouts, a dead worker or connection, an unknown COMMIT outcome) is a SqliteError
 * already.
 *
 * Codes: a timeout is SQLITE_INTERRUPT, the code PostgreSQL's own cancellation (57014) maps to, so
 * the caller sees one code whichever side stopped the statement first; a lost worker, connection
 * or server is SQLITE_IOERR; no connection at all is SQLITE_CANTOPEN.
 */
import { sqliteError, type SqliteError } from '../../../adapter/errors';
import type { Failure, SerializedPgError } from './protocol';

/** An error PostgreSQL answered with. Enumerable fields are pg's; `toJSON()` gives them as data. */
export class PgServerError extends Error {
  override name = 'PgServerError';
  declare code?: string;
  declare severity?: string;
  declare detail?: string;
  declare hint?: string;
  declare position?: string;
  declare internalPosition?: string;
  declare internalQuery?: string;
  declare where?: string;
  declare schema?: string;
  declare table?: string;
  declare column?: string;
  declare dataType?: string;
  declare constraint?: string;
  declare file?: string;
  declare line?: string;
  declare routine?: string;

  constructor(fields: SerializedPgError) {
    super(fields.message);
    Object.assign(this, fields);
  }

  toJSON(): SerializedPgError {
    const { name: _name, stack: _stack, ...fields } = this;
    return { ...fields, message: this.message };
  }
}

export interface ErrorContext {
  /** What was asked, for the message: "query", "COMMIT", ... */
  operation: string;
  timeoutMs: number;
  /** `host:port/database` without credentials. */
  target: string;
  inTransaction: boolean;
}

export function timeoutError(ctx: ErrorContext, cause?: unknown): SqliteError {
  return sqliteError(
    `interrupted: PostgreSQL did not finish the ${ctx.operation} within ${ctx.timeoutMs} ms ` +
      '(REGISTRY_PG_TIMEOUT_MS), so it was cancelled on the server. Make the statement faster, ' +
      'look for a transaction holding a lock it needs, or raise REGISTRY_PG_TIMEOUT_MS.',
    'SQLITE_INTERRUPT',
    cause,
  );
}

export function workerLostError(ctx: ErrorContext, how: string): SqliteError {
  return sqliteError(
    `disk I/O error: the PostgreSQL worker thread ${how} during the ${ctx.operation}; its outcome is unknown` +
      `${ctx.inTransaction ? ' and the open transaction was rolled back' : ''}. ` +
      'The next call starts a new worker.',
    'SQLITE_IOERR',
  );
}

export function serverSilentError(ctx: ErrorContext): SqliteError {
  return sqliteError(
    `disk I/O error: PostgreSQL at ${ctx.target} did not answer the ${ctx.operation} within ${ctx.timeoutMs} ms ` +
      '(REGISTRY_PG_TIMEOUT_MS) nor its cancellation, so the connection was dropped; the outcome is unknown' +
      `${ctx.inTransaction ? ' and the open transaction is lost' : ''}. Check that the server is up and reachable.`,
    'SQLITE_IOERR',
  );
}

export function commitOutcomeUnknown(reason: string, cause?: unknown): SqliteError {
  return sqliteError(
    'disk I/O error: the outcome of COMMIT is unknown: ' +
      `${reason}, so the transaction may or may not have been committed. ` +
      'Check whether its changes are in the database (or run `swarm-registry verify`) before retrying it.',
    'SQLITE_IOERR',
    cause,
  );
}

/** The error for a failed reply (the worker answered). */
export function failureError(failure: Failure, ctx: ErrorContext): Error {
  const cause = failure.pg ? new PgServerError(failure.pg) : undefined;
  switch (failure.kind) {
    case 'server':
      // The server's own statement_timeout (the same ms) fired first: the same error as ours.
      if (failure.pg?.code === '57014' && /statement timeout/.test(failure.message)) return timeoutError(ctx, cause);
      return cause ?? new PgServerError({ message: failure.message });
    case 'cancelled':
      return timeoutError(ctx);
    case 'connection':
      if (ctx.operation === 'COMMIT') {
        return commitOutcomeUnknown(`the connection to PostgreSQL was lost while it ran (${failure.message})`, cause);
      }
      return sqliteError(
        `disk I/O error: the connection to PostgreSQL at ${ctx.target} was lost during the ${ctx.operation} ` +
          `(${failure.message}); its outcome is unknown` +
          `${ctx.inTransaction ? ' and the open transaction was rolled back by the server' : ''}. ` +
          'The next call opens a new connection.',
        'SQLITE_IOERR',
        cause,
      );
    case 'connect':
      return sqliteError(
        `unable to open database: could not connect to PostgreSQL at ${ctx.target}: ${failure.message}. ` +
          'Check DATABASE_URL (host, port, database, user, password) and that the server accepts connections.',
        'SQLITE_CANTOPEN',
        cause,
      );
    case 'sqlite':
      return sqliteError(failure.message, failure.sqliteCode ?? 'SQLITE_ERROR');
    case 'client':
      return sqliteError(`The ${ctx.operation} could not be sent to PostgreSQL: ${failure.message}`, 'SQLITE_MISUSE');
  }
}
