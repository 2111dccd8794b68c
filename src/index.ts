/**
 * swarm-registry-adapter: a drop-in replacement for better-sqlite3.
 *
 *   import Database from 'swarm-registry-adapter';   // instead of 'better-sqlite3'
 */
import { Database as DatabaseFn, type DatabaseConstructor } from './adapter/database';
import { SqliteError as SqliteErrorClass, TranslationError as TranslationErrorClass, ConfigurationError as ConfigurationErrorClass } from './adapter/errors';
import { AsyncDatabase as AsyncDatabaseClass } from './adapter/async-database';

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
  export type Database = import('./adapter/database').Database;
  export type Statement = import('./adapter/database').Statement;
  export type Transaction<F extends (...args: never[]) => unknown> = import('./adapter/database').Transaction<F>;
  export type Options = import('./adapter/config').DatabaseOptions;
  export type SqliteError = import('./adapter/errors').SqliteError;
  export type TranslationError = import('./adapter/errors').TranslationError;
  export type ConfigurationError = import('./adapter/errors').ConfigurationError;
  export type AsyncDatabase = import('./adapter/async-database').AsyncDatabase;
}

export = exported;
