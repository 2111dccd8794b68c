// npm run bench: ratios measured side by side in one run. PostgreSQL is DATABASE_URL when set,
// else an embedded server started here and removed afterwards.
import { printTable } from './lib.mjs';
import { benchPostgres } from './postgres.mjs';
import { benchSqlite } from './sqlite.mjs';
import { startEmbeddedPostgres } from '../test/helpers/embedded-server.mjs';

const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres();
const url = process.env.DATABASE_URL ?? embedded.url;
try {
  const sqliteRows = await benchSqlite();
  printTable('SQLite: raw better-sqlite3 vs the facade in sqlite mode (median of 41 alternating rounds)', sqliteRows, 'better-sqlite3');

  const postgresRows = await benchPostgres(url);
  printTable('PostgreSQL: raw pg vs the facade (postgres mode) and AsyncDatabase (median of 15 alternating rounds)', postgresRows, 'pg unnamed');

  const { benchPooler } = await import('./pooler.mjs');
  const pooler = await benchPooler(url);
  printTable(`REGISTRY_PG_POOLER: the cost of pooler=transaction, direct${pooler.through ? ' and through PgBouncer (transaction mode)' : ` (PgBouncer: ${pooler.skipped})`} (median of ${pooler.rounds} alternating rounds)`, pooler.rows, 'sync');
} finally {
  if (embedded) await embedded.stop();
}
await (await import('./shadow.mjs')).benchShadow(process.env.DATABASE_URL); // starts its own PostgreSQL when DATABASE_URL is unset (the one above is stopped by now)
