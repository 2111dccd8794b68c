// Behind a real PgBouncer in transaction mode (REGISTRY_PG_POOLER=transaction): the conformance
// suite on PostgreSQL, and 6 processes running the registry's workload through it at once.
// Runs when Debian's `pgbouncer` package is installed (.ci/run installs it); skipped otherwise.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import Database from 'swarm-registry-adapter';
import { runConformance } from './conformance/index.mjs';
import { postgresBackend, tempDir } from './helpers/backends.mjs';
import { createTestDatabase, serverUrl, withClient } from './helpers/pg.mjs';
import { pgbouncerMissing, startPgBouncer } from './helpers/pgbouncer.mjs';

const WORKLOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers', 'pooler-workload.mjs');
const missing = pgbouncerMissing();
const { SyncPgClient } = createRequire(import.meta.url)('../dist/backends/postgres/sync/index.js');

// No pooler needed: what the setting changes is visible on the server session itself.
test('pooler "transaction": the set-up holds in every statement, transaction and cursor, and nothing is left on the session', async (t) => {
  const { url } = await createTestDatabase(t);
  await withClient(url, (c) => c.query("CREATE SCHEMA reg; CREATE TABLE reg.agents (id TEXT PRIMARY KEY); INSERT INTO reg.agents VALUES ('a1')"));
  // One connection: every call below meets the same server session.
  const client = new SyncPgClient({
    connectionString: url, poolSize: 1, timeoutMs: 4321, pooler: 'transaction',
    statementSetup: ['SET search_path TO reg', "SET TIME ZONE 'Asia/Tokyo'", 'SET default_transaction_read_only TO on'],
  });
  t.teardown(() => client.close());
  const settings = "SELECT current_setting('TimeZone'), current_setting('statement_timeout'), current_setting('transaction_read_only'), (SELECT count(*) FROM agents)";
  const expected = [['Asia/Tokyo', '4321ms', 'on', '1']];
  t.deepEqual(client.query(settings, [], { name: 'named' }).rows, expected);
  t.deepEqual(client.query(settings, [], { name: 'named' }).rows, expected, 'a named statement runs again');
  t.deepEqual(client.describe('SELECT id FROM agents').fields.map((f) => f.name), ['id'], 'describe sees the search_path');
  client.begin('immediate');
  t.deepEqual(client.query(settings, [], { name: 'named' }).rows, expected);
  client.rollback();
  const cursor = client.openCursor(settings, [], 10);
  t.deepEqual(cursor.rows, expected, 'a cursor sees the set-up');
  t.true(cursor.done);
  t.throws(() => client.query("INSERT INTO agents VALUES ('a2')"), { message: /read-only transaction/ });
  // What the session itself holds: its defaults (reset_val), and no prepared statement.
  t.deepEqual(
    client.query("SELECT (SELECT reset_val FROM pg_settings WHERE name = 'TimeZone') <> 'Asia/Tokyo', (SELECT reset_val FROM pg_settings WHERE name = 'statement_timeout'), (SELECT reset_val FROM pg_settings WHERE name = 'search_path') NOT LIKE 'reg%', (SELECT count(*) FROM pg_prepared_statements)").rows,
    [['t', '0', 't', '0']],
  );
});

if (missing) {
  test.skip(`behind PgBouncer in transaction mode: skipped because ${missing}`, () => {});
} else {
  let bouncer;
  test.before(async () => {
    bouncer = await startPgBouncer(serverUrl(), { poolMode: 'transaction', poolSize: 20 });
  });
  test.after.always(async () => {
    await bouncer?.stop();
  });

  runConformance(test, postgresBackend(test, { name: 'postgres-pgbouncer', extra: { pgPooler: 'transaction' }, through: (url) => bouncer.urlFor(url) }));

  test('6 processes run the registry workload through PgBouncer in transaction mode at once, without a failure', async (t) => {
    const { url } = await createTestDatabase(t);
    const pooled = bouncer.urlFor(url);
    const schema = 'pooled';
    const setup = new Database(path.join(tempDir(t), 'registry.db'), { backend: 'postgres', databaseUrl: pooled, pgSchema: schema, pgPooler: 'transaction' });
    setup.exec(`CREATE TABLE agents (id TEXT PRIMARY KEY, name TEXT NOT NULL, memory_mb INTEGER DEFAULT 128,
      capabilities JSON, updated_at TIMESTAMP)`);
    setup.close();
    const rounds = 5;
    const run = (worker) => new Promise((resolve, reject) => {
      execFile(process.execPath, [WORKLOAD, pooled, schema, String(worker), String(rounds)], { timeout: 100_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`worker ${worker}: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()));
      });
    });
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map(run));
    for (const [i, { calls, failures }] of results.entries()) {
      t.is(calls, rounds * 10, `worker ${i + 1} made every call`);
      t.deepEqual(failures, [], `worker ${i + 1} had no failure`);
    }
    // Every process's rows are there, none lost or doubled.
    const check = new Database(path.join(tempDir(t), 'check.db'), { backend: 'postgres', databaseUrl: pooled, pgSchema: schema, pgPooler: 'transaction' });
    t.teardown(() => check.close());
    t.is(check.prepare('SELECT count(*) AS n FROM agents WHERE memory_mb = 100').get().n, 6 * rounds);
  });

  test('shadow mode through PgBouncer in transaction mode: the mirror applies every write, and reads compare equal', async (t) => {
    const { url } = await createTestDatabase(t);
    const dir = tempDir(t);
    const log = path.join(dir, 'divergence.jsonl');
    const db = new Database(path.join(dir, 'registry.db'), {
      backend: 'shadow', databaseUrl: bouncer.urlFor(url), pgSchema: 'mirrored', pgPooler: 'transaction', divergenceLog: log,
    });
    db.exec('CREATE TABLE agents (id TEXT PRIMARY KEY, memory_mb INTEGER, capabilities JSON, updated_at TIMESTAMP)');
    const insert = db.prepare('INSERT INTO agents VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 20; i++) insert.run(`a${i}`, i, JSON.stringify({ i }), '2026-01-02 03:04:05');
    }).immediate();
    db.prepare('UPDATE agents SET memory_mb = memory_mb + 1 WHERE id = ?').run('a3');
    t.is(db.prepare('SELECT memory_mb FROM agents WHERE id = ?').get('a3').memory_mb, 4);
    t.is(db.prepare('SELECT count(*) AS n FROM agents').get().n, 20);
    db.close();
    const rows = await withClient(url, (c) => c.query('SELECT count(*)::int AS n, sum(memory_mb)::int AS total FROM mirrored.agents'));
    t.deepEqual(rows.rows, [{ n: 20, total: 191 }]);
    t.false(fs.existsSync(log) && fs.readFileSync(log, 'utf8').trim() !== '', 'no divergence was logged');
  });

  // PgBouncer 1.18 forwards a CancelRequest only if the cancelling connection stays open until it is done.
  for (const poolMode of ['session', 'transaction']) {
    test(`through PgBouncer in ${poolMode} mode a statement slower than the timeout is cancelled, and the next call works`, async (t) => {
      const { url } = await createTestDatabase(t);
      const own = poolMode === 'transaction' ? bouncer : await startPgBouncer(serverUrl(), { poolMode });
      if (own !== bouncer) t.teardown(() => own.stop());
      // Session mode needs no setting: nothing is sent at start-up that PgBouncer refuses.
      const pooler = poolMode === 'transaction' ? 'transaction' : 'none';
      const client = new SyncPgClient({ connectionString: own.urlFor(url), timeoutMs: 2000, pooler });
      t.teardown(() => client.close());
      const started = Date.now();
      const error = t.throws(() => client.query('SELECT pg_sleep(30)'), { any: true });
      t.is(error.code, 'SQLITE_INTERRUPT', error.message);
      t.true(Date.now() - started < 15_000, 'cancelled long before the sleep ends');
      t.deepEqual(client.query('SELECT 1').rows, [['1']]);
    });
  }
}
