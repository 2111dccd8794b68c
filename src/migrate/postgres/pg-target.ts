/**
 * The PostgreSQL side of the migration tools: one connection per job with the session settings the
 * value shaping relies on (UTC, ISO dates, hex bytea), and the check that `init` has been run.
 */
import pg from 'pg';
import { SESSION_OPTIONS } from '../../backends/postgres/values';
import { quoteSchema } from '../../schema';
import { connectionError, describeUrl, MigrationError } from '../results';
import { MIGRATION_TABLES } from '../core';

export type PgClient = pg.Client;

export interface ConnectOptions {
  /** Commits need not wait for the WAL flush: a chunk and its progress row are lost or kept together. */
  asyncCommit?: boolean;
}

export async function connectPostgres(url: string, options: ConnectOptions = {}): Promise<PgClient> {
  const extra = options.asyncCommit ? ' -c synchronous_commit=off' : '';
  const client = new pg.Client({
    connectionString: url,
    options: SESSION_OPTIONS + extra,
    connectionTimeoutMillis: 15000,
    application_name: 'swarm-registry',
  });
  // An idle connection that dies must not crash the process with an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectionError(error, url);
  }
  return client;
}

/** Fails with "run swarm-registry init first" when the schema or one of its tables is missing. */
export async function requireRegistrySchema(client: PgClient, schema: string, url: string): Promise<void> {
  quoteSchema(schema);
  const { rows } = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
    [schema],
  );
  const present = new Set(rows.map((r) => r.relname));
  const missing = MIGRATION_TABLES.map((t) => t.name).filter((name) => !present.has(name));
  if (missing.length === MIGRATION_TABLES.length) {
    throw new MigrationError(`Schema ${schema} does not exist in ${describeUrl(url)}: run swarm-registry init first.`);
  }
  if (missing.length > 0) {
    throw new MigrationError(`Schema ${schema} in ${describeUrl(url)} lacks the table(s) ${missing.join(', ')}: run swarm-registry init first.`);
  }
}
