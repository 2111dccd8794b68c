// verify's checksums (src/migrate/canonical/checksum-sql.ts): PostgreSQL's hashtextextended computed in JavaScript,
// row texts summed modulo 2^64 on each side; against a real PostgreSQL and SQLite file: equal values
// sum equal, and every value SQLite holds that PostgreSQL's canonical form does not equal is found,
// while a value equal by canonical form but written differently (text '5' in an INTEGER column, a
// PostgreSQL instant with microseconds) is not reported.
import test from 'ava';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createTestDatabase, withClient } from './helpers/pg.mjs';
import { tempDir } from './helpers/backends.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { REGISTRY_SQLITE_DDL } = require('../dist/schema/index.js');
const { runInit, runBackfill, runVerify, hashTextExtended, HashSum, sumToHex } = require('../dist/migrate/index.js');

test("hashTextExtended is PostgreSQL's hashtextextended(text, 0), and HashSum its sum modulo 2^64", async (t) => {
  const { url } = await createTestDatabase(t);
  const samples = ['', 'é', '😀', '\u0001\n\t', 'x'.repeat(1000), ...Array.from({ length: 30 }, (_, i) => 'ab'.repeat(i).slice(0, i) + (i % 3 ? 'ü' : ''))];
  const sum = new HashSum();
  await withClient(url, async (c) => {
    for (const s of samples) {
      const expected = BigInt.asUintN(64, BigInt((await c.query('SELECT hashtextextended($1, 0)::text AS h', [s])).rows[0].h));
      const [high, low] = hashTextExtended(s);
      t.is((BigInt(high) << 32n) | BigInt(low), expected, JSON.stringify(s));
      sum.add(s);
    }
    const total = (await c.query('SELECT sum(hashtextextended(s, 0))::text AS h FROM unnest($1::text[]) s', [samples])).rows[0].h;
    t.is(sum.hex(), sumToHex(total));
    t.is(new HashSum().hex(), sumToHex(null), 'no rows: both sides sum to 0');
  });
});

function registry(t) {
  const file = path.join(tempDir(t), 'registry.db');
  const db = new Database(file);
  db.exec(REGISTRY_SQLITE_DDL);
  const wf = db.prepare(`INSERT INTO workflows (id, name, version, path, description, steps, variables, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (let i = 0; i < 7; i++) wf.run(`w${i}`, `n${i}`, '1', `/p;${i}:`, i % 2 ? '' : null, `[{"b": ${i}, "a": "x"}]`, i % 3 ? null : '{"z":1,"é":[true,null]}', i % 2, '2024-01-02 03:04:05', `2024-01-02T03:04:05.${String(i).padStart(3, '0')}Z`);
  const secret = db.prepare('INSERT INTO secrets (id, workflow_id, name, encrypted_value) VALUES (?, ?, ?, ?)');
  secret.run('s0', 'w0', 'A', Buffer.alloc(0));
  secret.run('s1', 'w0', 'B', null);
  secret.run('s2', 'w0', 'C', Buffer.from([0, 255]));
  const run = db.prepare('INSERT INTO workflow_runs (id, workflow_id, status, total_vm_time_ms, total_api_tokens, started_at) VALUES (?, ?, ?, ?, ?, ?)');
  for (let i = 0; i < 5; i++) run.run(`r${i}`, 'w0', '1;2', i, i % 2 ? null : 2n ** 40n, i % 2 ? null : '2024-01-01 00:00:00.250');
  db.close();
  return file;
}

test('each canonical form sums equal on both sides, and a change to any value in SQLite is found in any chunk size', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = registry(t);
  const settings = { registryDb: file, databaseUrl: url, pgSchema: 'engine_registry' };
  await runInit(settings);
  await runBackfill(settings);
  for (const chunkRows of [1, 2, 5000]) {
    const clean = await runVerify({ ...settings, chunkRows });
    t.true(clean.clean, JSON.stringify(clean.tables.filter((x) => x.missing + x.extra + x.different)));
  }

  // Equal by canonical value, different as written: compared by value, not reported.
  await withClient(url, (c) => c.query("UPDATE engine_registry.workflow_runs SET started_at = started_at + interval '200 microseconds' WHERE id = 'r0'"));
  const sqlite = new Database(file);
  t.teardown(() => sqlite.close());
  sqlite.prepare("UPDATE workflow_runs SET total_vm_time_ms = '1' WHERE id = 'r1'").run();
  t.true((await runVerify({ ...settings, chunkRows: 2 })).clean, "text '1' in an INTEGER column is 1; an instant 200 µs later is the same millisecond");

  // Each change SQLite's loose typing allows, each in a value PostgreSQL holds otherwise.
  sqlite.prepare("UPDATE workflow_runs SET total_vm_time_ms = 2.5 WHERE id = 'r2'").run(); // a real: '2.5' is not 2
  sqlite.prepare("UPDATE workflow_runs SET started_at = 'not a time' WHERE id = 'r4'").run();
  sqlite.prepare("UPDATE workflows SET enabled = 'true' WHERE id = 'w1'").run();
  sqlite.prepare("UPDATE workflows SET description = NULL WHERE id = 'w1'").run(); // '' → NULL
  sqlite.prepare("UPDATE workflows SET variables = '{\"z\":1,\"é\":[true,false]}' WHERE id = 'w0'").run();
  sqlite.prepare("UPDATE workflows SET variables = '{not json' WHERE id = 'w3'").run();
  sqlite.prepare("UPDATE workflows SET path = '/p;2', description = ':' WHERE id = 'w2'").run(); // text moved across a separator
  sqlite.prepare('UPDATE secrets SET encrypted_value = NULL WHERE id = ?').run('s0'); // empty blob → NULL
  sqlite.prepare('UPDATE secrets SET encrypted_value = ? WHERE id = ?').run(Buffer.alloc(0), 's1'); // NULL → empty blob
  for (const chunkRows of [1, 3, 5000]) {
    const dirty = await runVerify({ ...settings, chunkRows });
    const byTable = Object.fromEntries(dirty.tables.map((x) => [x.table, x]));
    t.like(byTable.workflow_runs, { different: 2, missing: 0, extra: 0 }, `chunks of ${chunkRows}`);
    t.like(byTable.workflows, { different: 4, missing: 0, extra: 0 }, `chunks of ${chunkRows}`);
    t.like(byTable.secrets, { different: 2, missing: 0, extra: 0 }, `chunks of ${chunkRows}`);
  }
  const repaired = await runVerify({ ...settings, repair: 'sqlite' });
  t.is(repaired.repair.written, 8);
  t.true((await runVerify(settings)).clean, 'SQLite made to match PostgreSQL sums equal again');
});
