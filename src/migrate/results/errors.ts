/**
 * Errors of the migration tools: one sentence saying what went wrong, to what, and what to do,
 * with every password removed. The CLI prints `message` as is; no stack trace reaches the operator.
 */
import { redactSecrets, redactUrl } from '../../adapter';

export class MigrationError extends Error {
  override name = 'MigrationError';
  /** Structured facts for `--json` (e.g. the profile behind a refusal). */
  details?: Record<string, unknown>;
  constructor(message: string, readonly exitCode = 1, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.details) this.details = options.details;
  }
}

interface ErrorLike {
  code?: string;
  message?: string;
}

/** Where a URL points, without its password: `postgres://user:***@host:5432/db`. */
export function describeUrl(url: string): string {
  return redactUrl(url);
}

/** A failure to connect or log in, as one sentence naming the server and what to check. */
export function connectionError(error: unknown, url: string): MigrationError {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorLike;
  const where = describeUrl(url);
  const reason = redactSecrets(e.message ?? String(error), url).replace(/\.$/, '');
  let message: string;
  switch (e.code) {
    case '28P01':
    case '28000':
      message = `PostgreSQL at ${where} refused the login (${reason}): check the user and password in DATABASE_URL.`;
      break;
    case '3D000':
      message = `PostgreSQL at ${where} has no such database (${reason}): create it or fix the database name in DATABASE_URL.`;
      break;
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      message = `Cannot reach PostgreSQL at ${where} (${e.code}): check that the server is running and that DATABASE_URL names the right host and port.`;
      break;
    default:
      message = `Cannot connect to PostgreSQL at ${where} (${reason}): check DATABASE_URL and the server.`;
  }
  return new MigrationError(message, 1, { cause: error });
}

/** Any other failure, made into one redacted sentence with a hint of what to do. */
export function asMigrationError(error: unknown, url: string | null, doing: string): MigrationError {
  if (error instanceof MigrationError) return error;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorLike;
  const reason = redactSecrets(oneLine(e.message ?? String(error)), url ?? undefined).replace(/\.$/, '');
  const code = e.code ? ` [${e.code}]` : '';
  return new MigrationError(`${doing} failed${code}: ${reason}; fix the cause and run the command again (it is safe to rerun).`, 1, { cause: error });
}

function oneLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
