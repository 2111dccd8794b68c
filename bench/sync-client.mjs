#!/usr/bin/env node
// Round trip of SyncPgClient (worker thread + Atomics.wait) against raw `await client.query()` on
// the main thread, for a single-row SELECT by primary key. Median µs per query.
// Usage: npx tsc -p . && node bench/sync-client.mjs [N]   (DATABASE_URL, or an embedded server)
import { createRequire } from 'node:module';
import pg from 'pg';
import { startEmbeddedPostgres } from '../test/helpers/embedded-server.mjs';

const require = createRequire(import.meta.url);
const { SyncPgClient } = require('../dist/backends/postgres/sync/index.js');

const N = Number(process.argv[2] ?? 5000);
const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres();
const url = process.env.DATABASE_URL ?? embedded.url;
const TEXT = 'SELECT id, name, payload FROM bench_sync WHERE id = $1';

const raw = new pg.Client({ connectionString: url });
await raw.connect();
await raw.query('DROP TABLE IF EXISTS bench_sync');
await raw.query('CREATE TABLE bench_sync (id BIGINT PRIMARY KEY, name TEXT NOT NULL, payload JSONB)');
await raw.query(`INSERT INTO bench_sync SELECT g, 'agent-' || g, '{"a":1}' FROM generate_series(1, 1000) g`);

function median(times) {
  times.sort((a, b) => a - b);
  return times[times.length >> 1] / 1000;
}
async function measureAsync(fn) {
  for (let i = 0; i < 1000; i++) await fn(i);
  const times = new Array(N);
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    times[i] = Number(process.hrtime.bigint() - t);
  }
  return median(times);
}
function measureSync(fn) {
  for (let i = 0; i < 1000; i++) fn(i);
  const times = new Array(N);
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    fn(i);
    times[i] = Number(process.hrtime.bigint() - t);
  }
  return median(times);
}

const sync = new SyncPgClient({ connectionString: url, timeoutMs: 5000 });
const key = (i) => (i % 1000) + 1;
const results = {};
// Interleaved rounds, so that a noisy neighbour hurts every variant alike.
for (let round = 0; round < 3; round++) {
  const r = {
    'raw pg, unnamed': await measureAsync((i) => raw.query(TEXT, [key(i)])),
    'raw pg, named': await measureAsync((i) => raw.query({ name: 'bench', text: TEXT, values: [key(i)] })),
    'sync client, unnamed': measureSync((i) => sync.query(TEXT, [key(i)])),
    'sync client, named': measureSync((i) => sync.query(TEXT, [key(i)], { name: 'bench' })),
    'sync client, named, in a transaction (statement savepoint)': (() => {
      sync.begin();
      try {
        return measureSync((i) => sync.query(TEXT, [key(i)], { name: 'bench' }));
      } finally {
        sync.rollback();
      }
    })(),
  };
  for (const [k, v] of Object.entries(r)) (results[k] ??= []).push(v);
}
console.log(`median µs per query (${N} queries × 3 rounds; best round shown, all rounds in brackets)`);
for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(60)} ${Math.min(...v).toFixed(1).padStart(8)}   [${v.map((x) => x.toFixed(1)).join(', ')}]`);
const base = Math.min(...results['raw pg, unnamed']);
console.log(`sync named / raw unnamed: ${(Math.min(...results['sync client, named']) / base).toFixed(2)}×`);
sync.close();
await raw.query('DROP TABLE bench_sync');
await raw.end();
if (embedded) await embedded.stop();
