/**
 * The registry's schema on both sides: its SQLite DDL (as the engine creates it) and the
 * PostgreSQL schema `engine_registry` (docs/cli.md, init), created idempotently.
 * The mirror's progress table will join the statements of `registryDdl` here.
 */
import { createTableDdl, quoteSchema } from './registry-ddl';
import { REGISTRY_TABLE_DEFS } from './registry-tables';
import type { Queryable } from './registry-timestamps';

export { REGISTRY_SQLITE_DDL } from './registry-sqlite';
export { REGISTRY_TABLE_DEFS, type RegistryColumn, type RegistryTable } from './registry-tables';
export { quoteSchema } from './registry-ddl';
export { learnTimestampFormat, setTimestampFormats, timestampFormatFromComment, type Queryable } from './registry-timestamps';

export const DEFAULT_REGISTRY_SCHEMA = 'engine_registry';

/** The 8 tables, parents before children: safe order to create, copy into, or verify. */
export const REGISTRY_TABLES: readonly string[] = REGISTRY_TABLE_DEFS.map((t) => t.name);

/**
 * Advisory lock key (first half of the two-int4 form) that serialises schema creation across
 * processes; the second half is hashtext(schema).
 */
export const SCHEMA_LOCK_CLASS = 0x53524144; // 'SRAD'

/** CREATE SCHEMA IF NOT EXISTS and CREATE TABLE IF NOT EXISTS for every table: safe to rerun. */
export function registryDdl(schema: string = DEFAULT_REGISTRY_SCHEMA): string[] {
  const quoted = quoteSchema(schema);
  return [`CREATE SCHEMA IF NOT EXISTS ${quoted}`, ...REGISTRY_TABLE_DEFS.flatMap((t) => createTableDdl(t, quoted))];
}

/**
 * Creates the schema in one transaction. Concurrent callers (two processes starting at once)
 * wait for each other on an advisory lock, since CREATE ... IF NOT EXISTS alone can still fail
 * with a duplicate-key error when two sessions race. `client` must be one connection.
 */
export async function createRegistrySchema(client: Queryable, schema: string = DEFAULT_REGISTRY_SCHEMA): Promise<void> {
  const statements = registryDdl(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SCHEMA_LOCK_CLASS, schema]);
    for (const sql of statements) await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
