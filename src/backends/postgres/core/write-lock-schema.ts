/**
 * What opening the PostgreSQL backend creates when it is missing: the schema and the write lock's
 * objects. Several processes may open an empty schema at the same moment (the engine's start-up),
 * and `CREATE ... IF NOT EXISTS` racing another session can still fail on PostgreSQL's catalog
 * (`duplicate key value violates unique constraint "pg_type_typname_nsp_index"`), so the creation
 * runs under the same advisory lock as the CLI's schema creation, in one transaction.
 */
import { SCHEMA_LOCK_CLASS } from '../../../schema/registry';
import { quoteIdent } from '../../../policy/identifiers';
import { writeLockDdl, writeLockExistsSql } from './write-lock';

export interface EnsureSchemaSql {
  /** One row, one boolean: the schema and the lock's objects exist. */
  exists: string;
  /** Creates what is missing (a simple-protocol text: one implicit transaction). */
  create: string;
}

export function ensureSchemaSql(schema: string): EnsureSchemaSql {
  const quoted = quoteIdent(schema);
  const literal = schema.replace(/'/g, "''");
  return {
    exists: writeLockExistsSql(quoted),
    create: [
      `SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_CLASS}, hashtext('${literal}'))`,
      `CREATE SCHEMA IF NOT EXISTS ${quoted}`,
      ...writeLockDdl(quoted),
    ].join(';\n'),
  };
}
