import test from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { tempDir } from './helpers/backends.mjs';
import { createTestDatabase, withClient } from './helpers/pg.mjs';

const require = createRequire(import.meta.url);
const { SyncPgClient, PgServerError } = require('../dist/backends/postgres/sync/index.js');
const clientPath = require.resolve('../dist/backends/postgres/sync/index.js');

// better-sqlite3's SqliteError is not a native Error to ava's t.throws, hence the try/catch.
function throwsSqlite(t, fn, { code, message } = {}) {
  try {
    fn();
  } catch (err) {
    t.is(err.name, 'SqliteError');
    if (code) t.is(err.code, code);
    if (message) t.regex(err.message, message);
    return err;
  }
  t.fail('expected a SqliteError');
  return undefined;
}

async function setup(t, options = {}) {
  const db = await createTestDatabase(t);
  await withClient(db.url, (c) => c.query(`
    CREATE TABLE runs (id TEXT PRIMARY KEY, status TEXT NOT NULL);
    CREATE TABLE steps (id TEXT PRIMARY KEY, run_id TEXT REFERENCES runs(id) DEFERRABLE INITIALLY DEFERRED)`));
  const client = new SyncPgClient({ connectionString: db.url, timeoutMs: 5000, ...options });
  t.teardown(() => client.close());
  const count = (table = 'runs') => withClient(db.url, (c) => c.query(`SELECT count(*)::int AS n FROM ${table}`)).then((r) => r.rows[0].n);
  return { db, client, count };
}

test('a transaction pins one connection: its writes are visible inside, invisible outside until COMMIT', async (t) => {
  const { client, count } = await setup(t);
  client.begin();
  t.true(client.inTransaction);
  client.query('INSERT INTO runs VALUES ($1, $2)', ['r1', 'running'], { name: 'ins' });
  client.query("INSERT INTO runs VALUES ('r2', 'running')");
  t.deepEqual(client.query('SELECT count(*) FROM runs').rows, [['2']]);
  const backends = new Set();
  for (let i = 0; i < 5; i++) backends.add(client.query('SELECT pg_backend_pid()').rows[0][0]);
  t.is(backends.size, 1);
  t.is(await count(), 0);
  client.commit();
  t.false(client.inTransaction);
  t.is(await count(), 2);
  client.begin();
  client.query("DELETE FROM runs WHERE id = 'r1'");
  client.rollback();
  t.is(await count(), 2);
});

test('a failing statement inside a transaction fails alone and the transaction goes on', async (t) => {
  const { client, count } = await setup(t);
  client.begin('immediate');
  client.query("INSERT INTO runs VALUES ('r1', 'ok')");
  t.throws(() => client.query('INSERT INTO runs VALUES ($1, $2)', ['r1', 'dup']), { instanceOf: PgServerError, code: '23505' });
  t.throws(() => client.query("INSERT INTO runs VALUES ('r1', 'dup')"), { instanceOf: PgServerError, code: '23505' });
  t.throws(() => client.query('SELECT * FROM missing_table'), { instanceOf: PgServerError, code: '42P01' });
  t.throws(() => client.describe('SELEC 1'), { instanceOf: PgServerError, code: '42601' });
  t.true(client.inTransaction);
  client.query("INSERT INTO runs VALUES ('r2', 'ok')");
  t.deepEqual(client.query('SELECT id FROM runs ORDER BY id').rows, [['r1'], ['r2']]);
  client.commit();
  t.is(await count(), 2);
});

test('describe inside a transaction sees tables the transaction created', async (t) => {
  const { client } = await setup(t);
  client.begin();
  client.query('CREATE TABLE fresh (a INT, b TEXT)');
  t.deepEqual(client.describe('SELECT b FROM fresh WHERE a = $1'), { paramTypes: [23], fields: [client.describe('SELECT b FROM fresh').fields[0]] });
  client.rollback();
  t.throws(() => client.describe('SELECT b FROM fresh'), { code: '42P01' });
});

test('savepoints nest, roll back and release as in SQLite', async (t) => {
  const { client, count } = await setup(t);
  client.begin();
  client.query("INSERT INTO runs VALUES ('r1', 'a')");
  client.savepoint('outer');
  client.query("INSERT INTO runs VALUES ('r2', 'b')");
  client.savepoint('Inner');
  client.query("INSERT INTO runs VALUES ('r3', 'c')");
  client.rollbackTo('inner');
  t.deepEqual(client.query('SELECT id FROM runs ORDER BY id').rows, [['r1'], ['r2']]);
  client.release('inner');
  client.release('outer');
  throwsSqlite(t, () => client.release('outer'), { code: 'SQLITE_ERROR', message: /^no such savepoint: outer$/ });
  t.true(client.inTransaction);
  client.commit();
  t.is(await count(), 2);
});

test('a SAVEPOINT outside a transaction begins one, and its RELEASE commits', async (t) => {
  const { client, count } = await setup(t);
  client.savepoint('sp');
  t.true(client.inTransaction);
  client.query("INSERT INTO runs VALUES ('r1', 'a')");
  t.is(await count(), 0);
  client.release('sp');
  t.false(client.inTransaction);
  t.is(await count(), 1);
});

test('transaction misuse gets SQLite\'s messages', async (t) => {
  const { client } = await setup(t);
  throwsSqlite(t, () => client.commit(), { code: 'SQLITE_ERROR', message: /^cannot commit - no transaction is active$/ });
  throwsSqlite(t, () => client.rollback(), { code: 'SQLITE_ERROR', message: /^cannot rollback - no transaction is active$/ });
  throwsSqlite(t, () => client.rollbackTo('x'), { code: 'SQLITE_ERROR', message: /no such savepoint: x/ });
  client.begin();
  throwsSqlite(t, () => client.begin(), { code: 'SQLITE_ERROR', message: /^cannot start a transaction within a transaction$/ });
  t.true(client.inTransaction);
  client.rollback();
});

test('a COMMIT the server refuses ends the transaction and reports the server error', async (t) => {
  const { client, count } = await setup(t);
  client.begin();
  client.query("INSERT INTO steps VALUES ('s1', 'no-such-run')");
  t.throws(() => client.commit(), { instanceOf: PgServerError, code: '23503' });
  t.false(client.inTransaction);
  t.is(await count('steps'), 0);
  client.query('SELECT 1');
});

test('a cursor inside a transaction reads the transaction\'s own rows and ends with it', async (t) => {
  const { client } = await setup(t);
  client.begin();
  client.query("INSERT INTO runs SELECT 'r' || g, 'x' FROM generate_series(1, 7) g");
  const opened = client.openCursor('SELECT id FROM runs ORDER BY id', [], 3);
  t.is(opened.rows.length, 3);
  // Other statements may run between batches, a failing one included.
  t.throws(() => client.query('SELECT 1/0'), { code: '22012' });
  t.is(client.fetch(opened.cursor).rows.length, 3);
  const other = client.openCursor('SELECT id FROM runs', [], 2);
  client.closeCursor(other.cursor);
  const last = client.fetch(opened.cursor);
  t.deepEqual(last.rows, [['r7']]);
  t.true(last.done);
  const open = client.openCursor('SELECT id FROM runs', [], 2);
  client.commit();
  throwsSqlite(t, () => client.fetch(open.cursor), { code: 'SQLITE_MISUSE', message: /transaction ended/ });
});

/** Another process takes the write lock, holds it for `holdMs` (or, given `release`, until that file exists), writes `id` and commits. */
function holdWriteLock(url, holdMs, id, release) {
  const script = `
    const fs = require('fs');
    const { SyncPgClient } = require(${JSON.stringify(clientPath)});
    const c = new SyncPgClient({ connectionString: ${JSON.stringify(url)}, timeoutMs: 10000 });
    c.begin('immediate');
    console.log('locked');
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const release = ${JSON.stringify(release ?? null)};
    for (const until = Date.now() + ${holdMs}; Date.now() < until && !(release && fs.existsSync(release));) Atomics.wait(pause, 0, 0, 10);
    c.query("INSERT INTO runs VALUES ('${id}', 'done')");
    c.commit();
    c.close();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { if (String(d).includes('locked')) resolve(); });
    child.on('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { locked, exited };
}

test('BEGIN IMMEDIATE serialises writers across processes; a plain BEGIN takes no lock', async (t) => {
  const { db, client } = await setup(t);
  // The writer holds its lock for 3 s: a deferred BEGIN that returns well before is not waiting for it.
  let holder = holdWriteLock(db.url, 3000, 'first');
  await holder.locked;
  const started = Date.now();
  client.begin();
  t.true(Date.now() - started < 2000, 'a deferred BEGIN does not wait for the writer');
  client.rollback();
  await holder.exited;

  // This writer holds its lock until told: it has not written when we look, and BEGIN IMMEDIATE
  // (told just before) returns only once it has committed.
  const release = path.join(tempDir(t), 'release');
  holder = holdWriteLock(db.url, 30_000, 'second', release);
  await holder.locked;
  t.deepEqual(client.query("SELECT count(*) FROM runs WHERE id = 'second'").rows, [['0']]);
  fs.writeFileSync(release, '');
  client.begin('immediate');
  t.deepEqual(client.query("SELECT count(*) FROM runs WHERE id = 'second'").rows, [['1']]);
  client.rollback();
  t.is(await holder.exited, 0);
  client.begin('exclusive');
  client.commit();
});

test('a writer kept out longer than the lock timeout gets SQLITE_BUSY from the server (55P03)', async (t) => {
  const { db } = await setup(t);
  // lock_timeout is 90% of timeoutMs: a margin of 300 ms keeps the server's answer ahead of the
  // client's own timer even on a loaded machine.
  const client = new SyncPgClient({ connectionString: db.url, timeoutMs: 3000 });
  t.teardown(() => client.close());
  client.query('SELECT 1'); // the worker thread and its connection are up
  // The holder keeps the lock until told (not for a fixed time: on a loaded machine its 'locked'
  // line may reach this process seconds late).
  const release = path.join(tempDir(t), 'release');
  const holder = holdWriteLock(db.url, 30_000, 'holder', release);
  await holder.locked;
  const started = Date.now();
  try {
    t.throws(() => client.begin('immediate'), { instanceOf: PgServerError, code: '55P03' });
    t.true(Date.now() - started < 4500);
    t.false(client.inTransaction);
  } finally {
    fs.writeFileSync(release, '');
  }
  await holder.exited;
  client.begin('immediate');
  client.rollback();
});
