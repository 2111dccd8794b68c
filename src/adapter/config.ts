/**
 * Configuration (docs/runbook.md, Configuration): the environment, each variable overridable by a constructor option,
 * parsed and validated in one place at open time. A bad value is a ConfigurationError naming the
 * variable (or option), the value and what is allowed. Passwords never reach a message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { normalizeStatement } from '../translator/normalize';
import { ConfigurationError } from './errors';
import { logLevel } from './log';
import { redactUrl } from './redact';

export type BackendName = 'sqlite' | 'shadow' | 'postgres';
export type PrimaryName = 'sqlite' | 'postgres';
/** What sits between the adapter and PostgreSQL: nothing (or a session-mode pooler), or a transaction-mode pooler. */
export type PoolerMode = 'none' | 'transaction';

/** Options of `new Database(path, options)`: better-sqlite3's own, plus ours. */
export interface DatabaseOptions {
  readonly?: boolean | undefined;
  fileMustExist?: boolean | undefined;
  timeout?: number | undefined;
  verbose?: ((message?: unknown, ...additionalArgs: unknown[]) => void) | null | undefined;
  nativeBinding?: string | object | undefined;
  /** REGISTRY_BACKEND for this instance (applies to this file even when it is not REGISTRY_DB). */
  backend?: BackendName | undefined;
  /** REGISTRY_PRIMARY */
  primary?: PrimaryName | undefined;
  /** DATABASE_URL */
  databaseUrl?: string | undefined;
  /** REGISTRY_PG_SCHEMA */
  pgSchema?: string | undefined;
  /** REGISTRY_SHADOW_SAMPLE */
  shadowSample?: number | undefined;
  /** REGISTRY_DIVERGENCE_LOG */
  divergenceLog?: string | undefined;
  /** REGISTRY_PG_TIMEOUT_MS */
  pgTimeoutMs?: number | undefined;
  /** REGISTRY_PG_POOL_SIZE */
  pgPoolSize?: number | undefined;
  /** REGISTRY_PG_POOLER */
  pgPooler?: PoolerMode | undefined;
  /** REGISTRY_SQL_OVERRIDES (a path), or the overrides themselves */
  sqlOverrides?: string | Record<string, string> | undefined;
  /** REGISTRY_SQLITE_RETIRED */
  sqliteRetired?: boolean | undefined;
  /** REGISTRY_SHADOW_QUEUE_SIZE (read by src/shadow/caller/settings.ts, as the two below) */
  shadowQueueSize?: number | undefined;
  /** REGISTRY_SHADOW_CLOSE_TIMEOUT_MS */
  shadowCloseTimeoutMs?: number | undefined;
  /** REGISTRY_SHADOW_GROUP_SIZE */
  shadowGroupSize?: number | undefined;
}

export interface RegistryConfig {
  backend: BackendName;
  primary: PrimaryName;
  databaseUrl: string | null;
  pgSchema: string;
  shadowSample: number;
  divergenceLog: string;
  pgTimeoutMs: number;
  /** better-sqlite3's `timeout` option: how long a writer waits for the write lock (default 5000 ms). */
  busyTimeoutMs: number;
  pgPoolSize: number;
  pgPooler: PoolerMode;
  sqlOverrides: Map<string, string>;
  sqliteRetired: boolean;
}

/** What one `new Database(filename)` opens. */
export type OpenPlan =
  | { managed: false; backend: 'sqlite' }
  | ({ managed: true } & RegistryConfig);

export const DEFAULT_REGISTRY_DB = '/opt/swarm-registry/registry.db';

/** The constructor options of ours, each with the environment variable it overrides. */
export const OPTION_VARIABLES = {
  backend: 'REGISTRY_BACKEND',
  primary: 'REGISTRY_PRIMARY',
  databaseUrl: 'DATABASE_URL',
  pgSchema: 'REGISTRY_PG_SCHEMA',
  shadowSample: 'REGISTRY_SHADOW_SAMPLE',
  divergenceLog: 'REGISTRY_DIVERGENCE_LOG',
  pgTimeoutMs: 'REGISTRY_PG_TIMEOUT_MS',
  pgPoolSize: 'REGISTRY_PG_POOL_SIZE',
  pgPooler: 'REGISTRY_PG_POOLER',
  sqlOverrides: 'REGISTRY_SQL_OVERRIDES',
  sqliteRetired: 'REGISTRY_SQLITE_RETIRED',
} as const;

type Env = Record<string, string | undefined>;
type OurOption = keyof typeof OPTION_VARIABLES;

/** A setting's raw value and the name to blame in an error: the option when given, else the variable. */
interface Raw {
  value: unknown;
  label: string;
}

function raw(options: DatabaseOptions, env: Env, option: OurOption): Raw | undefined {
  if (options[option] !== undefined) return { value: options[option], label: `option "${option}"` };
  const variable = OPTION_VARIABLES[option];
  const value = env[variable];
  if (value === undefined || value === '') return undefined;
  return { value, label: variable };
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function oneOf<T extends string>(r: Raw | undefined, allowed: readonly T[], fallback: T): T {
  if (r === undefined) return fallback;
  if (typeof r.value === 'string' && (allowed as readonly string[]).includes(r.value)) return r.value as T;
  throw new ConfigurationError(
    `${r.label}=${show(r.value)} is not valid: use one of ${allowed.join(', ')}.`,
    r.label,
  );
}

function flag(r: Raw | undefined): boolean {
  if (r === undefined) return false;
  if (typeof r.value === 'boolean') return r.value;
  const v = String(r.value).trim().toLowerCase();
  if (v === '1' || v === 'true' || v === 'yes' || v === 'on') return true;
  if (v === '0' || v === 'false' || v === 'no' || v === 'off') return false;
  throw new ConfigurationError(`${r.label}=${show(r.value)} is not valid: use 1 or true (on), 0 or false (off).`, r.label);
}

function integer(r: Raw | undefined, fallback: number, min: number, max: number): number {
  if (r === undefined) return fallback;
  const n = typeof r.value === 'number' ? r.value : /^\s*\d+\s*$/.test(String(r.value)) ? Number(r.value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigurationError(`${r.label}=${show(r.value)} is not valid: use a whole number from ${min} to ${max}.`, r.label);
  }
  return n;
}

const DECIMAL = /^\s*(?:\d+(?:\.\d*)?|\.\d+)\s*$/;

function fraction(r: Raw | undefined): number {
  if (r === undefined) return 1;
  // A decimal number only: Number() would also take '0x1', '1e-1' and ' ' (as 0).
  const n = typeof r.value === 'number' ? r.value : DECIMAL.test(String(r.value)) ? Number(r.value) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new ConfigurationError(`${r.label}=${show(r.value)} is not valid: use a number from 0 to 1 (the fraction of reads compared).`, r.label);
  }
  return n;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function identifier(r: Raw | undefined): string {
  if (r === undefined) return 'engine_registry';
  if (typeof r.value === 'string' && IDENTIFIER.test(r.value)) return r.value;
  throw new ConfigurationError(
    `${r.label}=${show(r.value)} is not valid: use a PostgreSQL identifier (letters, digits and _, not starting with a digit, at most 63 characters).`,
    r.label,
  );
}

function databaseUrl(r: Raw | undefined, backend: BackendName, needsUrlBecause: string): string | null {
  if (r === undefined) {
    if (backend === 'sqlite') return null;
    throw new ConfigurationError(
      `DATABASE_URL is not set: ${needsUrlBecause} needs it. Set DATABASE_URL=postgresql://user:password@host:5432/db (or the option "databaseUrl").`,
      'DATABASE_URL',
    );
  }
  const text = typeof r.value === 'string' ? r.value : '';
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    throw new ConfigurationError(
      `${r.label}=${JSON.stringify(redactUrl(text))} is not valid: use a URL like postgresql://user:password@host:5432/db.`,
      r.label,
    );
  }
  return text;
}

function sqlOverrides(r: Raw | undefined): Map<string, string> {
  const overrides = new Map<string, string>();
  if (r === undefined) return overrides;
  let parsed: unknown = r.value;
  if (typeof r.value === 'string') {
    let text: string;
    try {
      text = fs.readFileSync(r.value, 'utf8');
    } catch (error) {
      throw new ConfigurationError(`${r.label}=${show(r.value)} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): point it at a JSON file of SQLite statement → PostgreSQL statement.`, r.label);
    }
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ConfigurationError(`${r.label}=${show(r.value)} is not valid JSON (${(error as Error).message}): it must hold one object of SQLite statement → PostgreSQL statement.`, r.label);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigurationError(`${r.label} must hold one JSON object of SQLite statement → PostgreSQL statement.`, r.label);
  }
  for (const [from, to] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof to !== 'string') {
      throw new ConfigurationError(`${r.label}: the override for ${JSON.stringify(from)} must be a string of PostgreSQL SQL.`, r.label);
    }
    overrides.set(normalizeStatement(from), to);
  }
  return overrides;
}

/** The file a path names, for comparing with REGISTRY_DB (`file:` URIs and in-memory names never match). */
function resolveFile(filename: string): string {
  return path.resolve(filename);
}

function isManaged(filename: string, registryDb: string): boolean {
  if (registryDb === '*') return true;
  const anonymous = filename === '' || filename === ':memory:' || filename.startsWith('file:');
  return !anonymous && resolveFile(filename) === resolveFile(registryDb);
}

const OUR_OPTIONS = Object.keys(OPTION_VARIABLES) as OurOption[];

/** Catches misspelt options of ours (`databaseURL`), as better-sqlite3 catches `readOnly`. */
function checkSpelling(options: object): void {
  for (const key of Object.keys(options)) {
    if ((OUR_OPTIONS as string[]).includes(key)) continue;
    const right = OUR_OPTIONS.find((o) => o.toLowerCase() === key.toLowerCase());
    if (right) throw new TypeError(`Misspelled option "${key}" should be "${right}"`);
  }
}

/** Decides what `new Database(filename, options)` opens. Throws ConfigurationError for bad values. */
export function planOpen(filename: string, options: DatabaseOptions, env: Env = process.env): OpenPlan {
  checkSpelling(options);
  const registryDb = env.REGISTRY_DB || DEFAULT_REGISTRY_DB;
  const explicit = options.backend !== undefined;
  if (!explicit && !isManaged(filename, registryDb)) return { managed: false, backend: 'sqlite' };

  const sqliteRetired = flag(raw(options, env, 'sqliteRetired'));
  const backendRaw = raw(options, env, 'backend');
  const backend = oneOf(backendRaw, ['sqlite', 'shadow', 'postgres'] as const, 'sqlite');
  if (sqliteRetired && backend !== 'postgres') {
    const named = backendRaw ? `${backendRaw.label}=${backend}` : 'REGISTRY_BACKEND is unset (sqlite)';
    throw new ConfigurationError(
      `REGISTRY_SQLITE_RETIRED is set, so the registry's SQLite is gone, but ${named}: set REGISTRY_BACKEND=postgres, or unset REGISTRY_SQLITE_RETIRED to roll back.`,
      backendRaw?.label ?? 'REGISTRY_BACKEND',
    );
  }
  logLevel(env); // a bad REGISTRY_LOG_LEVEL is refused at open, like any other setting
  const memoryName = filename === '' || filename === ':memory:' ? 'memory' : resolveFile(filename);
  const divergenceRaw = raw(options, env, 'divergenceLog');
  return {
    managed: true,
    backend,
    primary: oneOf(raw(options, env, 'primary'), ['sqlite', 'postgres'] as const, 'sqlite'),
    databaseUrl: databaseUrl(raw(options, env, 'databaseUrl'), backend, backendRaw ? `${backendRaw.label}=${backend}` : `the ${backend} backend`),
    pgSchema: identifier(raw(options, env, 'pgSchema')),
    shadowSample: fraction(raw(options, env, 'shadowSample')),
    divergenceLog: divergenceRaw ? String(divergenceRaw.value) : `${registryDb === '*' ? memoryName : resolveFile(registryDb)}.divergence.jsonl`,
    pgTimeoutMs: integer(raw(options, env, 'pgTimeoutMs'), 30000, 1, 2147483647),
    busyTimeoutMs: integer(options.timeout === undefined ? undefined : { value: options.timeout, label: 'option "timeout"' }, 5000, 0, 2147483647),
    pgPoolSize: integer(raw(options, env, 'pgPoolSize'), 10, 1, 1000),
    pgPooler: oneOf(raw(options, env, 'pgPooler'), ['none', 'transaction'] as const, 'none'),
    sqlOverrides: sqlOverrides(raw(options, env, 'sqlOverrides')),
    sqliteRetired,
  };
}
