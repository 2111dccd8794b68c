// npm run bench: ratios measured side by side in one run. PostgreSQL is DATABASE_URL when set,
// else an embedded server started here and removed afterwards.
// `npm run bench -- sqlite|postgres|open|shadow|pooler` runs only the parts named (pooler only when named).
import { printTable } from './lib.mjs';
import { benchPostgres } from './postgres.mjs';
import { benchSqlite } from './sqlite.mjs';
import { startEmbeddedPostgres } from '../test/helpers/embedded-server.mjs';

const PARTS = ['sqlite', 'postgres', 'open', 'shadow', 'pooler'];
const named = process.argv.slice(2);
for (const part of named) if (!PARTS.includes(part)) throw new Error(`Unknown bench part "${part}": use ${PARTS.join(', ')} (or none for all).`);
// The pooler part runs only when named: it needs PgBouncer.
const runs = (part) => named.includes(part) || (named.length === 0 && part !== 'pooler');

const embedded = process.env.DATABASE_URL || !(runs('postgres') || runs('open')) ? null : await startEmbeddedPostgres();
const url = process.env.DATABASE_URL ?? embedded?.url;
try {
  if (runs('sqlite')) {
    const sqliteRows = await benchSqlite();
    printTable('SQLite: raw better-sqlite3 vs the facade in sqlite mode (median of 41 alternating rounds)', sqliteRows, 'better-sqlite3');
  }
  if (runs('postgres')) {
    const postgresRows = await benchPostgres(url);
    printTable('PostgreSQL: raw pg vs the facade (postgres mode) and AsyncDatabase (median of 15 alternating rounds)', postgresRows, 'pg named');
    const one = postgresRows.find((r) => r.name === 'SELECT 1').results;
    console.log(`the synchronous bridge's own cost on SELECT 1: facade (sync) − pg named = ${(one['facade (sync)'] - one['pg named']).toFixed(1)} µs`);
  }
  if (runs('open')) {
    const { benchOpen, printOpen } = await import('./open.mjs');
    printOpen(await benchOpen(url));
  }
  if (runs('pooler')) {
    const { benchPooler } = await import('./pooler.mjs');
    const pooler = await benchPooler(url);
    printTable(`REGISTRY_PG_POOLER: the cost of pooler=transaction, direct${pooler.through ? ' and through PgBouncer (transaction mode)' : ` (PgBouncer: ${pooler.skipped})`} (median of ${pooler.rounds} alternating rounds)`, pooler.rows, 'sync');
  }
} finally {
  if (embedded) await embedded.stop();
}
if (runs('shadow')) await (await import('./shadow.mjs')).benchShadow(process.env.DATABASE_URL); // starts its own PostgreSQL when DATABASE_URL is unset (the one above is stopped by now)
