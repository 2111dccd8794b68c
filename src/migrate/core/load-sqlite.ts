/**
 * better-sqlite3 for the migration commands, loaded by the adapter's one loader (loaded only when
 * a command reads the SQLite file); a missing module becomes the CLI's error, with its exit code.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { loadBetterSqlite3 as loadModule } from '../../adapter';
import { MigrationError } from '../results';

export function loadBetterSqlite3(): typeof BetterSqlite3 {
  try {
    return loadModule() as unknown as typeof BetterSqlite3;
  } catch (error) {
    throw new MigrationError(
      'better-sqlite3 is not installed, and this command reads the SQLite registry: install it with `npm install better-sqlite3@12`.',
      1,
      { cause: error },
    );
  }
}
