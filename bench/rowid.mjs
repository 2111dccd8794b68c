// What SQLite's rowid costs on PostgreSQL, on raw pg (no facade): a one-row INSERT into a table
// without a rowid, with the rowid assigned by the trigger, with it read in the INSERT's own VALUES
// (the facade's form) and given as a parameter (the facade's form for the next insert of a
// transaction, src/backends/postgres/core/next-rowid.ts); and a LIMIT without ORDER BY against the same
// in rowid order.
// `DATABASE_URL=postgres://... node bench/rowid.mjs` (after `npm run build`).
import pg from 'pg';
import { rowidSetupDdl } from '../dist/schema/index.js';

const ROUNDS = 21;
const PER_ROUND = 200;
const client = new pg.Client(process.env.DATABASE_URL);
await client.connect();
const columns = "vm_id text PRIMARY KEY, ticket_id text NOT NULL, assigned_at text NOT NULL, status text DEFAULT 'running'";
await client.query('DROP SCHEMA IF EXISTS bench_rowid CASCADE; CREATE SCHEMA bench_rowid');
await client.query(`CREATE TABLE bench_rowid.plain (${columns})`);
for (const t of ['by_trigger', 'inline', 'given']) {
  await client.query(`CREATE TABLE bench_rowid.${t} (${columns}, "_rowid_" bigint NOT NULL)`);
  await client.query(rowidSetupDdl('bench_rowid', t, '_rowid_'));
}
const INSERT = {
  plain: "INSERT INTO bench_rowid.plain (vm_id, ticket_id, assigned_at) VALUES ($1, 'T', 'x')",
  by_trigger: `INSERT INTO bench_rowid.by_trigger (vm_id, ticket_id, assigned_at) VALUES ($1, 'T', 'x') RETURNING "_rowid_"`,
  inline: `INSERT INTO bench_rowid.inline (vm_id, ticket_id, assigned_at, "_rowid_") VALUES ($1, 'T', 'x', (SELECT COALESCE(max("_rowid_"), 0) + 1 FROM bench_rowid.inline)) RETURNING "_rowid_"`,
  given: `INSERT INTO bench_rowid.given (vm_id, ticket_id, assigned_at, "_rowid_") VALUES ($1, 'T', 'x', $2)`,
};
const SELECT = {
  plain: "SELECT * FROM bench_rowid.plain WHERE ticket_id = $1 LIMIT 20",
  inline: `SELECT * FROM bench_rowid.inline WHERE ticket_id = $1 ORDER BY "_rowid_" LIMIT 20`,
};
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

async function measure(statements, values) {
  const times = Object.fromEntries(Object.keys(statements).map((k) => [k, []]));
  let n = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const order = Object.keys(statements);
    if (round % 2) order.reverse();
    for (const k of order) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < PER_ROUND; i++) {
        const text = statements[k];
        await client.query({ name: `${k}-${text.length}`, text, values: values(++n).slice(0, text.includes('$2') ? 2 : 1) });
      }
      times[k].push(Number(process.hrtime.bigint() - start) / PER_ROUND / 1000);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

const inserts = await measure(INSERT, (n) => [`vm-${n}`, n]);
const selects = await measure(SELECT, () => ['T']);
const line = (title, r, base) => console.log(`${title}: ${Object.entries(r).map(([k, v]) => `${k} ${v.toFixed(1)} µs (${(v / r[base]).toFixed(2)}×)`).join(', ')}`);
line(`one-row INSERT (median of ${ROUNDS} rounds of ${PER_ROUND})`, inserts, 'plain');
line(`SELECT ... LIMIT 20 of ${ROUNDS * PER_ROUND} rows`, selects, 'plain');
await client.query('DROP SCHEMA bench_rowid CASCADE');
await client.end();
