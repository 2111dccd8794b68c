// SQLite's write lock on PostgreSQL: one writer at a time across processes, no lost update, a
// deferred transaction that read before another writer committed gets SQLITE_BUSY at its first
// write, writers wait for the lock up to the busy timeout, and DDL from several processes at once
// is serialised. Real processes (child_process.fork) on a real PostgreSQL.
//   WRITE_LOCK_INCREMENTS (default 100): increments per process; 500 is the full run.
//   WRITE_LOCK_STARTUP_TRIES (default 5): rounds of concurrent start-up; 30 is the full run.
import test from 'ava';
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'swarm-registry-adapter';
import { createTestDatabase, withClient } from './helpers/pg.mjs';

const CHILD = fileURLToPath(new URL('./fixtures/write-lock-child.cjs', import.meta.url));
const PROCESSES = 4;
const INCREMENTS = Number(process.env.WRITE_LOCK_INCREMENTS ?? 100);
const STARTUP_TRIES = Number(process.env.WRITE_LOCK_STARTUP_TRIES ?? 5);

let database;
test.before(async () => {
  database = await createTestDatabase();
});
test.after.always(async () => {
  await database?.drop();
});

let schemas = 0;
function setup(t, extra = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-lock-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const options = { backend: 'postgres', databaseUrl: database.url, pgSchema: `wl${process.pid}_${++schemas}`, pgTimeoutMs: 20000, ...extra };
  const file = path.join(dir, 'registry.db');
  const open = (more = {}) => {
    const db = new Database(file, { ...options, ...more });
    t.teardown(() => db.open && db.close());
    return db;
  };
  return { file, options, open };
}

function sqliteError(t, fn, code) {
  try {
    fn();
  } catch (error) {
    t.is(error.name, 'SqliteError', error.message);
    t.is(error.code, code, error.message);
    return error;
  }
  t.fail(`expected ${code}`);
  return undefined;
}

/** Forks `count` children, waits until each is ready; `send(job)` gives every child the job at once. */
async function children(t, count) {
  const procs = Array.from({ length: count }, () => fork(CHILD, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }));
  t.teardown(() => procs.forEach((p) => p.connected && p.send('exit')));
  const next = (p) => new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`child exited with ${code}`));
    p.once('exit', onExit);
    p.once('message', (m) => {
      p.off('exit', onExit);
      resolve(m);
    });
  });
  await Promise.all(procs.map(next));
  return { send: (job) => Promise.all(procs.map((p) => { const answer = next(p); p.send(job); return answer; })) };
}

async function incrementTest(t, mode) {
  const { file, options, open } = setup(t);
  const db = open();
  db.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter VALUES (1, 0)');
  const workers = await children(t, PROCESSES);
  const started = Date.now();
  const results = await workers.send({ job: 'increment', file, options, mode, iterations: INCREMENTS });
  const seconds = (Date.now() - started) / 1000;
  const commits = results.reduce((sum, r) => sum + (r.commits ?? 0), 0);
  const busy = results.reduce((sum, r) => sum + (r.busy ?? 0), 0);
  const final = db.prepare('SELECT n FROM counter WHERE id = 1').get().n;
  t.log(`${mode}: ${PROCESSES} processes × ${INCREMENTS}: ${commits} commits, counter ${final}, ${busy} SQLITE_BUSY retried, ${seconds.toFixed(1)} s`);
  t.deepEqual(results.map((r) => r.error ?? r.others), results.map(() => []), 'no error but SQLITE_BUSY');
  t.is(commits, PROCESSES * INCREMENTS);
  t.is(final, commits, 'every committed increment counted: no update lost');
  return busy;
}

test.serial('read-modify-write from 4 processes in deferred transactions loses no update; conflicts are SQLITE_BUSY', async (t) => {
  await incrementTest(t, 'deferred');
});

test.serial('read-modify-write from 4 processes in immediate transactions loses no update and never needs a retry', async (t) => {
  t.is(await incrementTest(t, 'immediate'), 0);
});

test.serial('4 processes opening an empty schema and running the start-up DDL at once never fail', async (t) => {
  const { file, options } = setup(t);
  const workers = await children(t, PROCESSES);
  const failures = [];
  for (let i = 0; i < STARTUP_TRIES; i++) {
    await withClient(database.url, (c) => c.query(`DROP SCHEMA IF EXISTS "${options.pgSchema}" CASCADE`));
    const results = await workers.send({ job: 'startup', file, options });
    failures.push(...results.filter((r) => !r.done).map((r) => r.error));
  }
  t.log(`${STARTUP_TRIES} rounds × ${PROCESSES} processes: ${failures.length} failures`);
  t.deepEqual(failures, []);
  const tables = await withClient(database.url, (c) => c.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1", [options.pgSchema]));
  t.is(tables.rows[0].n, 8);
});

test('a deferred transaction that read before another connection committed gets SQLITE_BUSY at its first write', (t) => {
  const { open } = setup(t);
  const a = open();
  a.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter VALUES (1, 0)');
  const b = open();
  a.exec('BEGIN');
  t.is(a.prepare('SELECT n FROM counter').get().n, 0);
  b.prepare('UPDATE counter SET n = n + 1').run();
  // The snapshot stays: the transaction still reads what it read first (SQLite's WAL snapshot).
  t.is(a.prepare('SELECT n FROM counter').get().n, 0);
  sqliteError(t, () => a.prepare('UPDATE counter SET n = 10').run(), 'SQLITE_BUSY');
  t.true(a.inTransaction, 'the transaction goes on, read-only, until the caller rolls it back');
  a.exec('ROLLBACK');
  t.is(b.prepare('SELECT n FROM counter').get().n, 1);

  // A transaction that writes first, or read after the other commit, writes on the latest data.
  a.exec('BEGIN');
  b.prepare('UPDATE counter SET n = n + 1').run();
  a.prepare('UPDATE counter SET n = n + 1').run();
  a.exec('COMMIT');
  t.is(b.prepare('SELECT n FROM counter').get().n, 3);

  // db.transaction(fn) rolls back on the error; running it again succeeds.
  const bump = a.transaction(() => {
    const { n } = a.prepare('SELECT n FROM counter').get();
    if (n === 3) b.prepare('UPDATE counter SET n = n + 1').run();
    a.prepare('UPDATE counter SET n = ?').run(n + 1);
  });
  sqliteError(t, () => bump(), 'SQLITE_BUSY');
  t.false(a.inTransaction);
  bump();
  t.is(b.prepare('SELECT n FROM counter').get().n, 5);
});

test('a transaction that only reads never gets SQLITE_BUSY, and a savepoint rolled back gives the lock back', (t) => {
  const { open } = setup(t);
  const a = open();
  a.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter VALUES (1, 0)');
  const b = open({ timeout: 300 });
  a.exec('BEGIN');
  t.is(a.prepare('SELECT n FROM counter').get().n, 0);
  b.prepare('UPDATE counter SET n = n + 1').run();
  t.is(a.prepare('SELECT n FROM counter').get().n, 0);
  a.exec('COMMIT');

  a.exec('BEGIN; SAVEPOINT s1');
  a.prepare('UPDATE counter SET n = n + 1').run();
  sqliteError(t, () => b.prepare('UPDATE counter SET n = 100').run(), 'SQLITE_BUSY');
  a.exec('ROLLBACK TO s1');
  // The savepoint that took the lock is undone: another writer may write again.
  b.prepare('UPDATE counter SET n = n + 1').run();
  a.exec('COMMIT');
  t.is(b.prepare('SELECT n FROM counter').get().n, 2);
});

test('a writer waits for the write lock within the busy timeout (the `timeout` option), then gets SQLITE_BUSY', async (t) => {
  const { open, file, options } = setup(t);
  const a = open();
  a.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter VALUES (1, 0)');
  const holder = await children(t, 1);
  // The other process holds the lock for 600 ms: a writer with a 5 s busy timeout waits and writes.
  const held = holder.send({ job: 'hold', file, options, ms: 600 });
  await waitForLock(t, options.pgSchema);
  let started = Date.now();
  a.prepare('UPDATE counter SET n = n + 1').run();
  const waited = Date.now() - started;
  t.true(waited >= 200, `waited ${waited} ms for the writer`);
  t.deepEqual(await held, [{ done: true }]);
  t.is(a.prepare('SELECT n FROM counter').get().n, 2);

  // With a busy timeout of 200 ms and a holder of 2 s, the writer gives up after about 200 ms.
  const b = open({ timeout: 200 });
  const heldLonger = holder.send({ job: 'hold', file, options, ms: 2000 });
  await waitForLock(t, options.pgSchema);
  started = Date.now();
  sqliteError(t, () => b.prepare('UPDATE counter SET n = 0').run(), 'SQLITE_BUSY');
  const gaveUp = Date.now() - started;
  t.true(gaveUp >= 150 && gaveUp < 1500, `gave up after ${gaveUp} ms`);
  await heldLonger;
  t.is(b.prepare('SELECT n FROM counter').get().n, 3);
});

test('BEGIN IMMEDIATE takes the write lock at BEGIN; a deferred BEGIN takes it at its first write', (t) => {
  const { open } = setup(t);
  const a = open();
  a.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter VALUES (1, 0)');
  const b = open({ timeout: 100 });
  a.exec('BEGIN IMMEDIATE');
  sqliteError(t, () => b.prepare('UPDATE counter SET n = 5').run(), 'SQLITE_BUSY');
  sqliteError(t, () => b.exec('BEGIN IMMEDIATE'), 'SQLITE_BUSY');
  t.false(b.inTransaction);
  t.is(b.prepare('SELECT n FROM counter').get().n, 0, 'readers are not blocked');
  a.exec('COMMIT');
  b.prepare('UPDATE counter SET n = 5').run();

  a.exec('BEGIN');
  t.is(a.prepare('SELECT n FROM counter').get().n, 5);
  b.prepare('UPDATE counter SET n = 6').run(); // a deferred transaction that only read holds no lock
  a.exec('ROLLBACK');
  a.transaction(() => a.prepare('UPDATE counter SET n = n + 1').run()).deferred();
  a.transaction(() => {
    sqliteError(t, () => b.transaction(() => {}).exclusive(), 'SQLITE_BUSY');
  }).exclusive();
  t.is(b.prepare('SELECT n FROM counter').get().n, 7);
});

test('a deferred BEGIN sends nothing before the first statement, and a first write that fails still holds the write lock, as in SQLite', (t) => {
  const { open } = setup(t);
  const a = open();
  a.exec('CREATE TABLE k (id INTEGER PRIMARY KEY)');
  a.exec('INSERT INTO k VALUES (1)');
  const b = open({ timeout: 100 });
  a.exec('BEGIN');
  t.true(a.inTransaction);
  b.prepare('INSERT INTO k VALUES (2)').run(); // a holds nothing yet
  t.is(a.prepare('SELECT count(*) AS n FROM k').get().n, 2, "a's snapshot is taken by its first statement");
  sqliteError(t, () => a.prepare('INSERT INTO k VALUES (1)').run(), 'SQLITE_CONSTRAINT_PRIMARYKEY');
  t.true(a.inTransaction);
  sqliteError(t, () => b.prepare('INSERT INTO k VALUES (3)').run(), 'SQLITE_BUSY');
  a.prepare('INSERT INTO k VALUES (4)').run();
  a.exec('COMMIT');
  b.prepare('INSERT INTO k VALUES (3)').run();
  t.deepEqual(b.prepare('SELECT id FROM k').pluck().all(), [1, 2, 3, 4]);
  a.exec('BEGIN');
  a.exec('COMMIT'); // nothing was sent: nothing to end
  t.false(a.inTransaction);
});

/** Resolves once some connection holds the write lock of `schema`. */
async function waitForLock(t, schema) {
  const sql = `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
    JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relname = '_registry_write_lock' AND l.granted`;
  await withClient(database.url, async (c) => {
    for (let i = 0; i < 200; i++) {
      if ((await c.query(sql, [schema])).rows[0].n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    t.fail('the other process never took the write lock');
  });
}
