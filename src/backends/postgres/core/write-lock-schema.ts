/**
 * What opening the PostgreSQL backend creates when it is missing: the schema, the write lock's
 * objects, the function that writes a REAL as SQLite's text (real-text-function.ts), the store
 * functions and the sum of REALs (real-sum-aggregate.ts). Several processes may open an empty schema at the same moment (the engine's start-up),
 * and `CREATE ... IF NOT EXISTS` racing another session can still fail on PostgreSQL's catalog
 * (`duplicate key value violates unique constraint "pg_type_typname_nsp_index"`), so the creation
 * runs under the same advisory lock as the CLI's schema creation, in one transaction.
 */
import { SCHEMA_LOCK_CLASS } from '../../../schema/registry';
import { quoteIdent } from '../../../policy/identifiers';
import { writeLockDdl, writeLockExistsSql } from './write-lock';
import { realTextFunction, realTextFunctionDdl } from '../../../schema/real-text-function';
import { storeFunctionsCurrentSql, storeFunctionSignature, storeFunctionsDdl } from '../../../schema/store-functions';
import { realSumAggregateDdl, realSumAggregateExistsSql } from '../../../schema/real-sum-aggregate';

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
    exists: `${writeLockExistsSql(quoted)} AND to_regprocedure('${realTextFunction(quoted).replace(/'/g, "''")}(double precision)') IS NOT NULL AND to_regprocedure('${storeFunctionSignature(quoted).replace(/'/g, "''")}') IS NOT NULL AND ${storeFunctionsCurrentSql(quoted)} AND ${realSumAggregateExistsSql(quoted)}`,
    create: [
      `SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_CLASS}, hashtext('${literal}'))`,
      `CREATE SCHEMA IF NOT EXISTS ${quoted}`,
      ...writeLockDdl(quoted),
      realTextFunctionDdl(quoted),
      ...storeFunctionsDdl(quoted),
      ...realSumAggregateDdl(quoted),
    ].join(';\n'),
  };
}
