/**
 * The async engine's errors: the same SqliteErrors the synchronous backend raises for the same
 * failure (one mapping, `toFailure` → `failureError` → `mapPgError`), plus the two failures only a
 * shared pool has: no free connection in time, and a transaction whose connection was lost.
 */
import { sqliteError, type SqliteError } from '../../../adapter/errors';
import type { SchemaCatalog } from '../../../schema/catalog';
import { mapPgError } from '../core/errors';
import { commitOutcomeUnknown, failureError, serverSilentError, type ErrorContext } from '../core/failure-errors';
import { toFailure } from '../core/failures';

export interface AsyncErrorContext extends ErrorContext {
  url: string;
  catalog: SchemaCatalog | undefined;
  poolSize: number;
  /** A batch of the request reached a connection (else it failed while getting one). */
  ran: boolean;
  /** The watchdog dropped the connection: the server answered nothing in time. */
  silent: boolean;
}

export function asyncError(err: unknown, ctx: AsyncErrorContext): SqliteError {
  if (err instanceof Error && err.name === 'SqliteError') return err as SqliteError;
  if (ctx.silent) {
    if (ctx.operation === 'COMMIT') {
      return commitOutcomeUnknown(`PostgreSQL at ${ctx.target} did not answer it within ${ctx.timeoutMs} ms (REGISTRY_PG_TIMEOUT_MS)`, err);
    }
    return serverSilentError(ctx);
  }
  if (!ctx.ran && err instanceof Error && /timeout exceeded when trying to connect/.test(err.message)) return poolBusy(ctx, err);
  const mapped = failureError(toFailure(err, ctx.ran ? 'run' : 'connect', ctx.url), ctx);
  if (mapped.name === 'SqliteError') return mapped as SqliteError;
  return mapPgError(mapped, { catalog: ctx.catalog, url: ctx.url });
}

/** Every connection of the pool stayed busy (transactions, open iterations) for the whole timeout. */
function poolBusy(ctx: AsyncErrorContext, cause: Error): SqliteError {
  return sqliteError(
    `database is locked: no connection of the pool to ${ctx.target} became free within ${ctx.timeoutMs} ms ` +
      `(all ${ctx.poolSize} are held by transactions, open iterations or running statements). ` +
      'Finish or close what holds them, or raise REGISTRY_PG_POOL_SIZE.',
    'SQLITE_BUSY',
    cause,
  );
}

/** A call made inside transaction(fn) after the transaction's connection was lost. */
export function transactionLostError(): SqliteError {
  return sqliteError(
    'disk I/O error: the connection of this transaction was lost and PostgreSQL rolled the transaction back; ' +
      'nothing of it was committed. Let transaction(fn) reject and run it again.',
    'SQLITE_IOERR',
  );
}

/** A call made with the context of a transaction that has already committed or rolled back. */
export function transactionEndedError(): TypeError {
  return new TypeError(
    'This call belongs to a transaction that has already ended (a promise of transaction(fn) was not awaited): ' +
      'await every call inside fn.',
  );
}
