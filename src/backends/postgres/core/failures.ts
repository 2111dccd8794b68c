/**
 * Turns whatever a request threw inside the worker into a `Failure`: plain data that crosses the
 * MessagePort, says whether the connection survived, and never carries the password.
 */
import { redactSecrets } from '../../../adapter/redact';
import type { Failure, SerializedPgError } from './protocol';

/** A request cancelled (timeout) before it reached the server. */
export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** A mistake the worker reports in SQLite's own words (e.g. `no such savepoint: x`). */
export class SqliteUsageError extends Error {
  override name = 'SqliteUsageError';
  constructor(message: string, readonly sqliteCode: string) {
    super(message);
  }
}

const PG_FIELDS = [
  'code', 'severity', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where',
  'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine',
] as const;

/**
 * `phase` is where it happened: opening a connection (`connect`) or using one (`run`). A server
 * error with severity FATAL/PANIC, or of class 08 (connection exception) or 57P0x (the server
 * shutting down or the backend terminated), ends the connection: it is not a statement's failure.
 */
export function toFailure(err: unknown, phase: 'connect' | 'run', url: string): Failure {
  const message = redactSecrets(errorMessage(err), url);
  if (err instanceof CancelledError) return { kind: 'cancelled', message };
  if (err instanceof SqliteUsageError) return { kind: 'sqlite', message, sqliteCode: err.sqliteCode };
  const pg = serializePgError(err, url);
  if (phase === 'connect') return { kind: 'connect', message, ...(pg && { pg }) };
  if (pg && isServerError(err) && !endsConnection(pg)) return { kind: 'server', message, pg };
  if (pg || isSocketError(err)) return { kind: 'connection', message, ...(pg && { pg }) };
  return { kind: 'client', message };
}

/** pg's DatabaseError (from pg-protocol) carries the server's `severity`; socket errors do not. */
function isServerError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && typeof (err as { severity?: unknown }).severity === 'string';
}

/**
 * The server ends the session with a FATAL or PANIC error. An ERROR leaves it usable, whatever its
 * code: a value bound that the server cannot read (08P01 "insufficient data left in message") is
 * such an ERROR.
 */
function endsConnection(pg: SerializedPgError): boolean {
  const code = pg.code ?? '';
  if (pg.severity === 'ERROR') return false;
  return pg.severity === 'FATAL' || pg.severity === 'PANIC' || code.startsWith('08') || code.startsWith('57P0');
}

/** pg reports a dead socket as a plain Error ("Connection terminated unexpectedly", ECONNRESET). */
function isSocketError(err: unknown): boolean {
  const message = errorMessage(err);
  return /Connection terminated|not queryable|ECONNRESET|EPIPE|ETIMEDOUT|socket/i.test(message);
}

function serializePgError(err: unknown, url: string): SerializedPgError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const source = err as Record<string, unknown>;
  if (typeof source.code !== 'string' && typeof source.severity !== 'string') return undefined;
  const out: SerializedPgError = { message: redactSecrets(errorMessage(err), url) };
  for (const field of PG_FIELDS) {
    const value = source[field];
    if (typeof value === 'string') out[field] = redactSecrets(value, url);
  }
  return out;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    return (err as { message: string }).message;
  }
  return String(err);
}
