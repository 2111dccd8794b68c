// Faults through the facade on PostgreSQL: a statement over REGISTRY_PG_TIMEOUT_MS, and the
// server terminating the connection mid-query. Each is a SqliteError within a bound time, and the
// next call works. The synchronous facade blocks this thread while it waits, so the connection is
// killed from a child process.
import { spawn } from 'node:child_process';
import path from 'node:path';
import test from 'ava';
import Database, { AsyncDatabase } from 'swarm-registry-adapter';
import { tempDir } from './helpers/backends.mjs';
import { createTestDatabase, withClient } from './helpers/pg.mjs';

let database;
test.after.always(async () => database && (await database).drop());
let schemas = 0;

// Serial: each test terminates the pg_sleep it finds in the shared database, which must be its own.
const SLOW = { "SELECT 'slow'": 'SELECT pg_sleep(10)' };

async function optionsFor(extra) {
  database ??= createTestDatabase();
  return { backend: 'postgres', databaseUrl: (await database).url, pgSchema: `f${process.pid}_${++schemas}`, sqlOverrides: SLOW, ...extra };
}

async function open(t, extra = {}) {
  const options = await optionsFor(extra);
  const db = new Database(path.join(tempDir(t), 'registry.db'), options);
  t.teardown(() => db.open && db.close());
  return { db, options };
}

/** A child process that terminates, once it runs, the backend of this database running pg_sleep. */
function terminateSleeperOf(url) {
  const dbName = new URL(url).pathname.slice(1);
  const script = `
    const pg = require('pg');
    (async () => {
      const c = new pg.Client({ connectionString: ${JSON.stringify(url)} });
      await c.connect();
      for (let i = 0; i < 200; i++) {
        const r = await c.query("SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE datname = $1 AND application_name = 'swarm-registry-adapter' AND query LIKE '%pg_sleep%' AND state = 'active' AND pid <> pg_backend_pid()", [${JSON.stringify(dbName)}]);
        if (r.rows.length > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await c.end();
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit', cwd: process.cwd() });
  return new Promise((resolve) => child.on('exit', resolve));
}

function timed(fn) {
  const start = Date.now();
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  return { error, ms: Date.now() - start };
}

test.serial('a statement slower than pgTimeoutMs is SQLITE_INTERRUPT within the timeout, and the next call works', (t) => {
  t.timeout(20000);
  // 2 s, not less: opening (the schema and catalog) runs under the same timeout on a loaded machine.
  return open(t, { pgTimeoutMs: 2000 }).then(({ db }) => {
    const { error, ms } = timed(() => db.prepare("SELECT 'slow'").get());
    t.is(error?.code, 'SQLITE_INTERRUPT', error?.message);
    t.regex(error.message, /within 2000 ms \(REGISTRY_PG_TIMEOUT_MS\)/);
    t.true(ms >= 1900 && ms < 8000, `answered after ${ms} ms`); // long before the 10 s sleep ends
    t.deepEqual(db.prepare('SELECT 1 AS one').get(), { one: 1 });
  });
});

test.serial('a connection terminated mid-query (pg_terminate_backend) is SQLITE_IOERR, and the next call works', async (t) => {
  t.timeout(30000);
  const { db, options } = await open(t, { pgTimeoutMs: 15000 });
  db.exec('CREATE TABLE vm (id TEXT PRIMARY KEY)');
  const killed = terminateSleeperOf(options.databaseUrl);
  const { error, ms } = timed(() => db.prepare("SELECT 'slow'").get());
  await killed;
  t.is(error?.code, 'SQLITE_IOERR');
  t.regex(error.message, /connection to PostgreSQL .* was lost/);
  t.false(error.message.includes('test-password'));
  t.true(ms < 8000, `answered after ${ms} ms`);
  t.deepEqual(db.prepare('SELECT 1 AS one').get(), { one: 1 });

  // Inside a transaction: the statement fails, the transaction is gone, the next one works.
  const killedAgain = terminateSleeperOf(options.databaseUrl);
  const inTx = timed(() => db.transaction(() => {
    db.prepare("INSERT INTO vm (id) VALUES ('lost')").run();
    db.prepare("SELECT 'slow'").get();
  })());
  await killedAgain;
  t.is(inTx.error?.code, 'SQLITE_IOERR');
  t.false(db.inTransaction);
  db.transaction(() => db.prepare("INSERT INTO vm (id) VALUES ('kept')").run())();
  t.deepEqual(db.prepare('SELECT id FROM vm').pluck().all(), ['kept']);
});

test.serial('AsyncDatabase: a terminated connection is SQLITE_IOERR; a lost transaction rejects and nothing of it is committed', async (t) => {
  t.timeout(30000);
  const options = await optionsFor({ pgTimeoutMs: 15000 });
  const db = new AsyncDatabase(path.join(tempDir(t), 'registry.db'), options);
  t.teardown(() => db.close());
  await db.exec('CREATE TABLE vm (id TEXT PRIMARY KEY)');
  const slow = await db.prepare("SELECT 'slow'");
  const insert = await db.prepare('INSERT INTO vm (id) VALUES (?)');
  const kill = () => withClient(options.databaseUrl, async (c) => {
    for (let i = 0; i < 200; i++) {
      const r = await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep%' AND state = 'active' AND pid <> pg_backend_pid()");
      if (r.rows.length > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  const [outside] = await Promise.allSettled([slow.get(), kill()]);
  t.is(outside.reason?.code, 'SQLITE_IOERR');
  t.deepEqual(await (await db.prepare('SELECT 1 AS one')).get(), { one: 1 });

  const tx = db.transaction(async () => {
    await insert.run('lost');
    await t.throwsAsync(slow.get(), { any: true, code: 'SQLITE_IOERR' });
    // The transaction's connection is gone: later calls of fn are refused rather than run outside it.
    await t.throwsAsync(insert.run('after'), { any: true, code: 'SQLITE_IOERR', message: /rolled the transaction back/ });
  });
  const [settled] = await Promise.allSettled([tx, kill()]);
  t.is(settled.reason?.code, 'SQLITE_IOERR');
  t.deepEqual(await (await db.prepare('SELECT id FROM vm')).pluck().all(), []);
  await db.transaction(async () => insert.run('kept'));
  t.deepEqual(await (await db.prepare('SELECT id FROM vm')).pluck().all(), ['kept']);
});
