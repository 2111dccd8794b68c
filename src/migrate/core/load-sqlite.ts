/** better-sqlite3 is an optional dependency: loaded only when a command reads the SQLite file. */
import type BetterSqlite3 from 'better-sqlite3';
import { MigrationError } from '../results';

export function loadBetterSqlite3(): typeof BetterSqlite3 {
  try {
    return require('better-sqlite3') as typeof BetterSqlite3;
  } catch (error) {
    throw new MigrationError(
      'better-sqlite3 is not installed, and this command reads the SQLite registry: install it with `npm install better-sqlite3@12`.',
      1,
      { cause: error },
    );
  }
}
