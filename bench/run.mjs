// npm run bench: ratios measured side by side in one run.
import { printTable } from './lib.mjs';
import { benchSqlite } from './sqlite.mjs';

const sqliteRows = await benchSqlite();
printTable('SQLite: raw better-sqlite3 vs the facade in sqlite mode (median of 21 alternating rounds)', sqliteRows, 'better-sqlite3');
