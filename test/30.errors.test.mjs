// Real PostgreSQL errors map to the SqliteError better-sqlite3 throws for the same mistake.
import test from 'ava';
import net from 'node:net';
import pg from 'pg';
import { createRequire } from 'node:module';
import { createTestDatabase, serverUrl } from './helpers/pg.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { mapPgError, isConnectionLost, redactUrl, redactSecrets } = require('../dist/backends/postgres/core/index.js');
const { commitOutcomeUnknown } = require('../dist/backends/postgres/core/index.js');
const { SqliteError } = require('../dist/adapter/index.js');
const { REGISTRY_SQLITE_DDL, createRegistrySchema } = require('../dist/schema/index.js');

const catalog = {
  schema: 'engine_registry',
  tables: new Map([
    ['agents', { name: 'agents', oid: 0, columns: [{ name: 'id' }, { name: 'name' }, { name: 'version' }], primaryKey: ['id'], uniqueKeys: [['name', 'version']], foreignKeys: [] }],
  ]),
};

async function connect(t, url, options = {}) {
  const client = new pg.Client({ connectionString: url, ...options });
  client.on('error', () => {}); // terminated connections also emit 'error'
  await client.connect();
  t.teardown(() => client.end().catch(() => {}));
  return client;
}

async function pgError(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to fail');
}

function sqliteErrorOf(db, sql) {
  try {
    db.exec(sql);
  } catch (error) {
    return { code: error.code, message: error.message };
  }
  throw new Error(`expected SQLite to fail: ${sql}`);
}

async function registry(t) {
  const { url } = await createTestDatabase(t);
  const client = await connect(t, url);
  await createRegistrySchema(client);
  await client.query('SET search_path = engine_registry');
  const sqlite = new Database(':memory:');
  t.teardown(() => sqlite.close());
  sqlite.pragma('foreign_keys = ON');
  sqlite.exec(REGISTRY_SQLITE_DDL);
  const seed = [
    "INSERT INTO agents (id, name, version, path) VALUES ('a1', 'alpha', '1', '/a')",
    "INSERT INTO workflows (id, name, version, path, steps) VALUES ('w1', 'flow', '1', '/w', '[]')",
    "INSERT INTO triggers (id, workflow_id, type, webhook_path) VALUES ('t1', 'w1', 'webhook', '/hook')",
  ];
  for (const sql of seed) {
    sqlite.exec(sql);
    await client.query(sql);
  }
  return { url, client, sqlite };
}

// Each statement fails the same way in SQLite and PostgreSQL: same code, same message.
const sameAsSqlite = [
  ['primary key', "INSERT INTO agents (id, name, version, path) VALUES ('a1', 'other', '1', '/x')"],
  ['UNIQUE(name, version)', "INSERT INTO agents (id, name, version, path) VALUES ('a2', 'alpha', '1', '/x')"],
  ['column UNIQUE', "INSERT INTO triggers (id, workflow_id, type, webhook_path) VALUES ('t2', 'w1', 'webhook', '/hook')"],
  ['NOT NULL', "INSERT INTO workflows (id, name, version, path) VALUES ('w2', 'f', '1', '/w')"],
  ['FOREIGN KEY', "INSERT INTO workflow_runs (id, workflow_id) VALUES ('r1', 'nowhere')"],
  ['syntax', 'SELEC * FROM agents'],
  ['incomplete input', 'SELECT (1'],
  ['no such table', 'SELECT * FROM nope'],
  ['no such column', 'SELECT nope FROM agents'],
  ['no such qualified column', 'SELECT agents.nope FROM agents'],
  ['no column named', "INSERT INTO agents (id, nope) VALUES ('x', 1)"],
  ['no such function', 'SELECT no_such_fn(1)'],
];

for (const [name, sql] of sameAsSqlite) {
  test(`same error as SQLite: ${name}`, async (t) => {
    const { client, sqlite } = await registry(t);
    const expected = sqliteErrorOf(sqlite, sql);
    const cause = await pgError(client.query(sql));
    const mapped = mapPgError(cause, { catalog });
    t.true(mapped instanceof SqliteError);
    t.deepEqual({ code: mapped.code, message: mapped.message }, expected);
    t.is(mapped.cause, cause);
  });
}

test('primary key vs unique without a catalog: told apart by PostgreSQL\'s constraint names', async (t) => {
  const { client } = await registry(t);
  const pk = await pgError(client.query("INSERT INTO agents (id, name, version, path) VALUES ('a1', 'x', '1', '/')"));
  t.is(mapPgError(pk).code, 'SQLITE_CONSTRAINT_PRIMARYKEY');
  const unique = await pgError(client.query("INSERT INTO agents (id, name, version, path) VALUES ('a9', 'alpha', '1', '/')"));
  t.is(mapPgError(unique).code, 'SQLITE_CONSTRAINT_UNIQUE');
  t.is(mapPgError(unique).message, 'UNIQUE constraint failed: agents.name, agents.version');
});

test('CHECK constraints name the constraint', async (t) => {
  const { client } = await registry(t);
  await client.query('CREATE TABLE checked (n BIGINT CONSTRAINT positive_n CHECK (n > 0))');
  const mapped = mapPgError(await pgError(client.query('INSERT INTO checked VALUES (-1)')));
  t.deepEqual([mapped.code, mapped.message], ['SQLITE_CONSTRAINT_CHECK', 'CHECK constraint failed: positive_n']);
});

test('invalid input values are SQLITE_MISMATCH', async (t) => {
  const { client } = await registry(t);
  for (const sql of ["SELECT 'abc'::bigint", "SELECT 'garbage'::timestamptz", "SELECT '2024-13-45'::timestamptz", "SELECT '{x'::jsonb"]) {
    const mapped = mapPgError(await pgError(client.query(sql)));
    t.is(mapped.code, 'SQLITE_MISMATCH', sql);
    t.regex(mapped.message, /^datatype mismatch: /);
  }
});

test('a statement after a failure inside a transaction is SQLITE_ERROR', async (t) => {
  const { client } = await registry(t);
  await client.query('BEGIN');
  await pgError(client.query('SELECT nope FROM agents'));
  const cause = await pgError(client.query('SELECT 1'));
  t.is(cause.code, '25P02');
  t.is(mapPgError(cause).code, 'SQLITE_ERROR');
  await client.query('ROLLBACK');
});

test('lock timeout, serialization failure and deadlock are SQLITE_BUSY', async (t) => {
  const { url, client } = await registry(t);
  const other = await connect(t, url, { options: '-c search_path=engine_registry' });

  await client.query('BEGIN');
  await client.query("UPDATE agents SET path = '/1' WHERE id = 'a1'");
  await other.query("SET lock_timeout = '50ms'");
  const lock = await pgError(other.query("UPDATE agents SET path = '/2' WHERE id = 'a1'"));
  t.is(lock.code, '55P03');
  t.is(mapPgError(lock).code, 'SQLITE_BUSY');
  t.regex(mapPgError(lock).message, /^database is locked: /);
  await other.query("SET lock_timeout = 0");

  await other.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  await other.query('SELECT * FROM agents');
  await client.query('COMMIT');
  const serial = await pgError(other.query("UPDATE agents SET path = '/3' WHERE id = 'a1'"));
  t.is(serial.code, '40001');
  t.is(mapPgError(serial).code, 'SQLITE_BUSY');
  await other.query('ROLLBACK');

  await client.query('BEGIN');
  await other.query('BEGIN');
  await client.query("UPDATE agents SET path = '/4' WHERE id = 'a1'");
  await other.query("UPDATE workflows SET path = '/4' WHERE id = 'w1'");
  const first = client.query("UPDATE workflows SET path = '/5' WHERE id = 'w1'").catch((e) => e);
  const second = other.query("UPDATE agents SET path = '/5' WHERE id = 'a1'").catch((e) => e);
  const outcomes = await Promise.all([first, second]);
  const deadlock = outcomes.find((o) => o instanceof Error);
  t.is(deadlock.code, '40P01');
  t.is(mapPgError(deadlock).code, 'SQLITE_BUSY');
  await client.query('ROLLBACK');
  await other.query('ROLLBACK');
});

test('a cancelled statement is SQLITE_INTERRUPT', async (t) => {
  const { client } = await registry(t);
  await client.query("SET statement_timeout = '20ms'");
  const cause = await pgError(client.query('SELECT pg_sleep(2)'));
  t.is(cause.code, '57014');
  t.is(mapPgError(cause).code, 'SQLITE_INTERRUPT');
});

test('a connection terminated by the server is SQLITE_IOERR, and so is the next call on it', async (t) => {
  const { url, client } = await registry(t);
  const admin = await connect(t, url);
  const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const sleeping = pgError(client.query('SELECT pg_sleep(5)'));
  await new Promise((resolve) => setTimeout(resolve, 100));
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  const cause = await sleeping;
  t.true(isConnectionLost(cause), `${cause.code} ${cause.message}`);
  t.is(mapPgError(cause).code, 'SQLITE_IOERR');
  const after = await pgError(client.query('SELECT 1'));
  t.is(mapPgError(after).code, 'SQLITE_IOERR');
});

test('a connection reset by the peer (ECONNRESET) is SQLITE_IOERR', async (t) => {
  const server = net.createServer((socket) => socket.resetAndDestroy());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const client = new pg.Client({ connectionString: `postgres://u:pw@127.0.0.1:${server.address().port}/db` });
  client.on('error', () => {});
  const cause = await pgError(client.connect());
  t.true(isConnectionLost(cause), `${cause.code} ${cause.message}`);
  t.is(mapPgError(cause).code, 'SQLITE_IOERR');
});

test('a wrong password is refused without the password in the message', async (t) => {
  const url = new URL(serverUrl());
  url.password = 'Wr0ng-p@ss:word';
  const client = new pg.Client({ connectionString: url.toString() });
  client.on('error', () => {});
  const cause = await pgError(client.connect());
  const mapped = mapPgError(cause, { url: url.toString() });
  t.is(mapped.code, 'SQLITE_CANTOPEN');
  t.regex(mapped.message, /password authentication failed/);
  t.false(mapped.message.includes('Wr0ng'));
  const quoting = mapPgError(new Error(`could not connect to ${url}`), { url: url.toString() });
  t.false(quoting.message.includes('Wr0ng'));
  t.false(quoting.message.includes(encodeURIComponent('Wr0ng-p@ss:word')));
});

test('redactUrl and redactSecrets remove passwords in every spelling', (t) => {
  t.is(redactUrl('postgres://swarm:swarm_dev_2024@localhost:5432/swarmdb'), 'postgres://swarm:***@localhost:5432/swarmdb');
  t.is(redactUrl('postgres://localhost/db'), 'postgres://localhost/db');
  t.is(redactUrl('postgres://u:p%40ss@h/db?sslmode=require'), 'postgres://u:***@h/db?sslmode=require');
  const url = 'postgresql://swarm:s%2Fecret@db:5432/x';
  t.is(redactSecrets('failed: s/ecret and s%2Fecret', url), 'failed: *** and ***');
  t.is(redactSecrets('see postgres://a:b@host/db and mysql://c:d@e'), 'see postgres://a:***@host/db and mysql://c:***@e');
});

test('commitOutcomeUnknown says the COMMIT\'s outcome is unknown and what to do', (t) => {
  const cause = new Error('Connection terminated unexpectedly');
  const error = commitOutcomeUnknown('the connection to PostgreSQL was lost while it ran', cause);
  t.true(error instanceof SqliteError);
  t.is(error.code, 'SQLITE_IOERR');
  t.regex(error.message, /outcome of COMMIT is unknown/);
  t.regex(error.message, /may or may not have been committed/);
  t.regex(error.message, /swarm-registry verify/);
  t.is(error.cause, cause);
});

test('anything else is SQLITE_ERROR with PostgreSQL\'s message', async (t) => {
  const { client } = await registry(t);
  const mapped = mapPgError(await pgError(client.query('SELECT 1/0')));
  t.deepEqual([mapped.code, mapped.message], ['SQLITE_ERROR', 'division by zero']);
  t.is(mapPgError('plain string').code, 'SQLITE_ERROR');
});
