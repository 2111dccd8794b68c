/**
 * better-sqlite3 is an optional dependency, required only when a SQLite file is opened: after the
 * registry's SQLite is retired, an installation without it works.
 */

export interface BetterSqlite3Module {
  new (filename?: string | Buffer, options?: object): object;
}

let loaded: BetterSqlite3Module | undefined;
let cppdbSymbol: symbol | undefined;

export function loadBetterSqlite3(): BetterSqlite3Module {
  if (loaded) return loaded;
  try {
    loaded = require('better-sqlite3') as BetterSqlite3Module;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND') {
      throw new Error(
        'better-sqlite3 is not installed, but a SQLite database was opened. Install it (npm install better-sqlite3@12), ' +
          'or, for the registry after the cutover, set REGISTRY_BACKEND=postgres.',
        { cause: error },
      );
    }
    throw error;
  }
  return loaded;
}

/** better-sqlite3's private key of the native connection on its Database objects. */
export function nativeKey(): symbol {
  if (!cppdbSymbol) cppdbSymbol = (require('better-sqlite3/lib/util') as { cppdb: symbol }).cppdb;
  return cppdbSymbol;
}
