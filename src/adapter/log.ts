/**
 * The adapter's own lines in the engine's log (stdout), such as `Database initialized (PostgreSQL)`,
 * which operators look for after a switch of backend. REGISTRY_LOG_LEVEL decides what is written:
 * `info` (the default) writes them, `silent` writes nothing (the test suite runs silent).
 */
import { ConfigurationError } from './errors';

const LEVELS = ['silent', 'info'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** The level REGISTRY_LOG_LEVEL sets; checked with the other settings when the registry opens. */
export function logLevel(env: Record<string, string | undefined> = process.env): LogLevel {
  const value = (env.REGISTRY_LOG_LEVEL ?? '').trim().toLowerCase();
  if (value === '') return 'info';
  if ((LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new ConfigurationError(`REGISTRY_LOG_LEVEL=${JSON.stringify(env.REGISTRY_LOG_LEVEL)} is not valid: use info (the default) or silent.`, 'REGISTRY_LOG_LEVEL');
}

/** Writes an informational line, unless REGISTRY_LOG_LEVEL=silent. */
export function info(message: string): void {
  if ((process.env.REGISTRY_LOG_LEVEL ?? '').trim().toLowerCase() !== 'silent') console.log(message);
}
