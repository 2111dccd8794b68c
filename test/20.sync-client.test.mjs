import test from 'ava';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createTestDatabase, withClient } from './helpers/pg.mjs';

const require = createRequire(import.meta.url);
const { SyncPgClient, PgServerError } = require('../dist/backends/postgres/sync/index.js');
const clientPath = require.resolve('../dist/backends/postgres/sync/index.js');

// better-sqlite3's SqliteError is not a native Error to ava's t.throws, hence the try/catch.
function throwsSqlite(t, fn, { code, message } = {}) {
  try {
    fn();
  } catch (err) {
    t.is(err.name, 'SqliteError', `${err.code ?? ''} ${err.message}`);
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
    CREATE TABLE agents (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, n BIGINT, data BYTEA);
    INSERT INTO agents VALUES ('a1', 'alpha', 1, '\\x0102'), ('a2', 'beta', 2, NULL), ('a3', 'gamma', 3, NULL)`));
  const client = new SyncPgClient({ connectionString: db.url, timeoutMs: 5000, ...options });
  t.teardown(() => client.close());
  return { db, client };
}

test('query returns raw text rows, fields, rowCount and command', async (t) => {
  const { client } = await setup(t);
  const r = client.query('SELECT id, n, data, NULL::int AS nothing FROM agents WHERE id = $1', ['a1']);
  t.deepEqual(r.rows, [['a1', '1', '\\x0102', null]]);
  t.deepEqual(r.fields.map((f) => [f.name, f.dataTypeID]), [['id', 25], ['n', 20], ['data', 17], ['nothing', 23]]);
  t.true(r.fields[0].tableID > 0);
  t.is(r.fields[0].columnID, 1);
  t.is(r.command, 'SELECT');
  t.is(r.rowCount, 1);
  t.deepEqual(client.query('SELECT id FROM agents ORDER BY id', [], { rowMode: 'object' }).rows, [{ id: 'a1' }, { id: 'a2' }, { id: 'a3' }]);
  const update = client.query('UPDATE agents SET n = n + 1 WHERE n >= $1', [2]);
  t.is(update.command, 'UPDATE');
  t.is(update.rowCount, 2);
});

test('parameters of every kind pg encodes: null, numbers, bigint, booleans, Buffers, JSON', async (t) => {
  const { client } = await setup(t);
  const r = client.query('SELECT $1::text, $2::float8, $3::bigint, $4::bool, $5::bytea, $6::jsonb', [null, 2.5, 9007199254740993n, true, Buffer.from([255, 0]), { a: [1] }]);
  t.deepEqual(r.rows[0], [null, '2.5', '9007199254740993', 't', '\\xff00', '{"a": [1]}']);
});

test('text without parameters may hold several statements; the last one answers', async (t) => {
  const { client } = await setup(t);
  const r = client.query("INSERT INTO agents (id, name) VALUES ('a4', 'delta'); SELECT count(*) FROM agents -- trailing comment");
  t.deepEqual(r.rows, [['4']]);
});

test('named statements are parsed once per connection and survive a reused name with other text', async (t) => {
  const { client } = await setup(t);
  for (const id of ['a1', 'a2', 'a3']) t.is(client.query('SELECT name FROM agents WHERE id = $1', [id], { name: 'by_id' }).rows.length, 1);
  const prepared = client.query("SELECT count(*) FROM pg_prepared_statements WHERE name = 'by_id'");
  t.deepEqual(prepared.rows, [['1']]);
  t.deepEqual(client.query('SELECT n FROM agents WHERE id = $1', ['a3'], { name: 'by_id' }).rows, [['3']]);
  // A named statement whose Parse failed is not remembered as parsed.
  t.throws(() => client.query('SELECT nope FROM agents WHERE id = $1', ['a1'], { name: 'bad' }), { instanceOf: PgServerError, code: '42703' });
  t.throws(() => client.query('SELECT nope FROM agents WHERE id = $1', ['a1'], { name: 'bad' }), { code: '42703' });
});

test('server errors come back as PgServerError with pg DatabaseError fields', async (t) => {
  const { client } = await setup(t);
  const err = t.throws(() => client.query("INSERT INTO agents (id, name) VALUES ('a9', 'alpha')"), { instanceOf: PgServerError });
  t.is(err.code, '23505');
  t.is(err.constraint, 'agents_name_key');
  t.is(err.table, 'agents');
  t.regex(err.detail, /alpha/);
  t.is(err.toJSON().code, '23505');
  t.is(JSON.parse(JSON.stringify(err)).constraint, 'agents_name_key');
});

test('describe gives parameter types and columns without running the statement', async (t) => {
  const { client } = await setup(t);
  const d = client.describe('SELECT id, n FROM agents WHERE n > $1 AND name = $2');
  t.deepEqual(d.paramTypes, [20, 25]);
  t.deepEqual(d.fields.map((f) => f.name), ['id', 'n']);
  const insert = client.describe("INSERT INTO agents (id, name) VALUES ('x', 'y')");
  t.is(insert.fields, null);
  t.deepEqual(client.query("SELECT count(*) FROM agents WHERE id = 'x'").rows, [['0']]);
  t.deepEqual(client.describe("INSERT INTO agents (id, name) VALUES ('x', 'y') RETURNING id").fields.map((f) => f.name), ['id']);
  t.throws(() => client.describe('SELEC 1'), { instanceOf: PgServerError, code: '42601' });
  t.throws(() => client.describe('SELECT * FROM missing_table'), { instanceOf: PgServerError, code: '42P01' });
});

test('statementSetup runs on every new connection', async (t) => {
  const { client } = await setup(t, { statementSetup: ["SET TIME ZONE 'Asia/Tokyo'", 'SET search_path TO pg_catalog, public;'] });
  t.deepEqual(client.query('SHOW TIME ZONE').rows, [['Asia/Tokyo']]);
  client.begin();
  t.deepEqual(client.query('SHOW TIME ZONE').rows, [['Asia/Tokyo']]);
  client.rollback();
});

test('statement_timeout and application_name are set on the connections', async (t) => {
  const { client } = await setup(t, { timeoutMs: 4321, applicationName: 'sync-client-test' });
  t.deepEqual(client.query('SHOW statement_timeout').rows, [['4321ms']]);
  t.deepEqual(client.query('SHOW application_name').rows, [['sync-client-test']]);
});

test('transaction control through query() is refused with a pointer to the methods', async (t) => {
  const { client } = await setup(t);
  t.throws(() => client.query('BEGIN'), { instanceOf: TypeError, message: /begin\(\)/ });
  t.throws(() => client.query('  commit'), { instanceOf: TypeError });
});

test('cursors read in batches, and a cursor stopped early releases its connection', async (t) => {
  const { client } = await setup(t, { applicationName: 'cursor-test' });
  const opened = client.openCursor('SELECT g FROM generate_series(1, 5) g WHERE g >= $1 ORDER BY g;', [1], 2);
  t.deepEqual(opened.rows, [['1'], ['2']]);
  t.false(opened.done);
  t.deepEqual(client.fetch(opened.cursor), { rows: [['3'], ['4']], fields: opened.fields, done: false });
  const last = client.fetch(opened.cursor);
  t.deepEqual(last.rows, [['5']]);
  t.true(last.done);
  t.true(client.fetch(opened.cursor).done);

  const early = client.openCursor('SELECT g FROM generate_series(1, 1000) g', [], 10);
  t.is(early.rows.length, 10);
  const holding = client.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cursor-test' AND state = 'idle in transaction'");
  t.deepEqual(holding.rows, [['1']]);
  client.closeCursor(early.cursor);
  let left;
  for (let i = 0; i < 50; i++) {
    left = client.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cursor-test' AND state = 'idle in transaction'").rows[0][0];
    if (left === '0') break;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  t.is(left, '0');
  // An exhausted-at-open cursor is closed at once.
  const small = client.openCursor('SELECT 1', [], 10);
  t.true(small.done);
  t.throws(() => client.openCursor('SELECT * FROM missing_table', [], 10), { code: '42P01' });
});

test('a process that never calls close() exits by itself', async (t) => {
  const { db } = await setup(t);
  const script = `
    const { SyncPgClient } = require(${JSON.stringify(clientPath)});
    const c = new SyncPgClient({ connectionString: ${JSON.stringify(db.url)}, timeoutMs: 5000 });
    c.query('SELECT 1');
    c.begin();
    c.query("INSERT INTO agents (id, name) VALUES ('left', 'open')");
    c.openCursor('SELECT g FROM generate_series(1, 100) g', [], 5);
    console.log('done');`;
  const started = Date.now();
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const code = await new Promise((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve('hung'); }, 8000);
    child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
  });
  t.is(code, 0);
  t.is(out.trim(), 'done');
  t.true(Date.now() - started < 8000);
  // Its open transaction died with it.
  await new Promise((r) => setTimeout(r, 200));
  const rows = await withClient(db.url, (c) => c.query("SELECT count(*)::int AS n FROM agents WHERE id = 'left'"));
  t.is(rows.rows[0].n, 0);
});

test('a wrong password is SQLITE_CANTOPEN and the message never shows it', async (t) => {
  const { db } = await setup(t);
  const url = new URL(db.url);
  url.password = 'Secret-Pa55word';
  const client = new SyncPgClient({ connectionString: url.toString(), timeoutMs: 5000 });
  t.teardown(() => client.close());
  const err = throwsSqlite(t, () => client.query('SELECT 1'), { code: 'SQLITE_CANTOPEN', message: /password authentication failed/ });
  t.notRegex(err.message + (err.stack ?? '') + JSON.stringify(err.cause ?? {}), /Secret-Pa55word/);
});

test('an unreachable server and a missing database are SQLITE_CANTOPEN, without hanging', async (t) => {
  const { db } = await setup(t);
  const missing = new URL(db.url);
  missing.pathname = '/no_such_database';
  const c1 = new SyncPgClient({ connectionString: missing.toString(), timeoutMs: 3000 });
  t.teardown(() => c1.close());
  throwsSqlite(t, () => c1.query('SELECT 1'), { code: 'SQLITE_CANTOPEN', message: /no_such_database/ });
  const c2 = new SyncPgClient({ connectionString: 'postgres://u:hunter2@127.0.0.1:1/db', timeoutMs: 3000 });
  t.teardown(() => c2.close());
  const err = throwsSqlite(t, () => c2.query('SELECT 1'), { code: 'SQLITE_CANTOPEN', message: /127\.0\.0\.1:1\/db/ });
  t.notRegex(err.message, /hunter2/);
});

test('close() ends the worker; later calls say the connection is not open', async (t) => {
  const { client } = await setup(t);
  client.query('SELECT 1');
  client.close();
  t.false(client.open);
  t.throws(() => client.query('SELECT 1'), { instanceOf: TypeError, message: 'The database connection is not open' });
  t.notThrows(() => client.close());
});

// Serial: the parked thread is the process's, and another test could take it first.
test.serial('a closed client parks its thread; the next client takes it with its own settings, and a lost thread is not parked', async (t) => {
  const db = await createTestDatabase(t);
  const settings = "SELECT current_setting('TimeZone'), current_setting('application_name'), current_setting('statement_timeout')";
  const first = new SyncPgClient({ connectionString: db.url, timeoutMs: 5000, applicationName: 'first-app', statementSetup: ["SET TIME ZONE 'Asia/Tokyo'"] });
  t.deepEqual(first.query(settings).rows, [['Asia/Tokyo', 'first-app', '5s']]);
  const thread = first.channel.worker.threadId;
  first.close();

  const second = new SyncPgClient({ connectionString: db.url, timeoutMs: 7000, applicationName: 'second-app' });
  t.teardown(() => second.close());
  const [[zone, app, timeout]] = second.query(settings).rows;
  t.deepEqual([app, timeout], ['second-app', '7s']);
  t.not(zone, 'Asia/Tokyo', 'none of the first client\'s settings or connections is left');
  t.is(second.channel.worker.threadId, thread, 'the same thread');
  second.begin('immediate');
  second.query('CREATE TABLE t (id int)');
  second.commit();
  t.deepEqual(second.query('SELECT count(*) FROM t').rows, [['0']]);
  // A thread that no longer answers is stopped, never handed on.
  await second.channel.worker.terminate();
  second.close();
  const third = new SyncPgClient({ connectionString: db.url, timeoutMs: 5000 });
  t.teardown(() => third.close());
  t.deepEqual(third.query('SELECT 1').rows, [['1']]);
  t.not(third.channel.worker.threadId, thread);
});
