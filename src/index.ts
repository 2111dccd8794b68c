/// <reference types="node" preserve="true" />
/**
 * swarm-registry-adapter: a drop-in replacement for better-sqlite3.
 *
 *   import Database from 'swarm-registry-adapter';   // instead of 'better-sqlite3'
 *
 * The export has better-sqlite3's shape, types included: a constructor that is also a namespace
 * of types (`Database.Database`, `Database.Statement<[string], Row>`, `Database.RunResult`, ...),
 * so a TypeScript program changes its import line and nothing else. The reference to Node's
 * types above is kept in the published declarations (Buffer appears in the API), so consumers
 * need no `"types": ["node"]` of their own.
 */
import { Database as DatabaseFn, type DatabaseConstructor } from './adapter/database';
import { SqliteError as SqliteErrorClass, TranslationError as TranslationErrorClass, ConfigurationError as ConfigurationErrorClass } from './adapter/errors';
import { AsyncDatabase as AsyncDatabaseClass, AsyncStatement as AsyncStatementClass } from './adapter/async-database';

type Exported = DatabaseConstructor & {
  Database: DatabaseConstructor;
  SqliteError: typeof SqliteErrorClass;
  TranslationError: typeof TranslationErrorClass;
  ConfigurationError: typeof ConfigurationErrorClass;
  AsyncDatabase: typeof AsyncDatabaseClass;
  default: DatabaseConstructor;
};

const exported = DatabaseFn as Exported;
exported.Database = DatabaseFn;
exported.SqliteError = SqliteErrorClass;
exported.TranslationError = TranslationErrorClass;
exported.ConfigurationError = ConfigurationErrorClass;
exported.AsyncDatabase = AsyncDatabaseClass;
exported.default = DatabaseFn;

declare namespace exported {
  // The synchronous API, named as @types/better-sqlite3 names it.
  export type Database = import('./adapter/api').Database;
  export type Statement<P extends BindParameters = unknown[], Result = unknown> = import('./adapter/api').Statement<P, Result>;
  export type Transaction<F extends import('./adapter/api').TransactionBody = import('./adapter/api').TransactionBody> = import('./adapter/api').Transaction<F>;
  export type BindParameters = import('./adapter/api').BindParameters;
  export type RunResult = import('./adapter/api').RunResult;
  export type ColumnDefinition = import('./adapter/api').ColumnDefinition;
  export type Options = import('./adapter/config').DatabaseOptions;
  export type PragmaOptions = import('./adapter/api').PragmaOptions;
  export type RegistrationOptions = import('./adapter/api').RegistrationOptions;
  export type AggregateOptions<T = unknown> = import('./adapter/api').AggregateOptions<T>;
  export type VirtualTableOptions = import('./adapter/api').VirtualTableOptions;
  export type BackupMetadata = import('./adapter/api').BackupMetadata;
  export type BackupOptions = import('./adapter/api').BackupOptions;
  export type SerializeOptions = import('./adapter/api').SerializeOptions;
  export type SqliteError = import('./adapter/errors').SqliteError;
  // Ours: errors, shadow mode's counters, the promise API.
  export type TranslationError = import('./adapter/errors').TranslationError;
  export type ConfigurationError = import('./adapter/errors').ConfigurationError;
  export type ShadowStats = import('./adapter/api').ShadowStats;
  export type AsyncDatabase = AsyncDatabaseClass;
  export type AsyncStatement<P extends BindParameters = unknown[], Result = unknown> = AsyncStatementClass<P, Result>;
  export type TransactionMode = import('./contracts').TransactionMode;
  // What `swarm-registry <command> --json` prints.
  export type InitJson = import('./cli/output/documents').InitJson;
  export type InitPrintJson = import('./cli/output/documents').InitPrintJson;
  export type BackfillJson = import('./cli/output/documents').BackfillJson;
  export type BackfillDryRunJson = import('./cli/output/documents').BackfillDryRunJson;
  export type VerifyJson = import('./cli/output/documents').VerifyJson;
  export type ReportJson = import('./cli/output/documents').ReportJson;
  export type StatusJson = import('./cli/output/documents').StatusJson;
  export type TranslateJson = import('./cli/output/documents').TranslateJson;
  export type FailureJson = import('./cli/output/documents').FailureJson;
}

export = exported;
