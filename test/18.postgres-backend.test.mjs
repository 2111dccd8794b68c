// The facade on PostgreSQL, for what the conformance suite does not cover: SQLite-only members, the
// start-up log line, the engine's init script and whole workload, REGISTRY_SQL_OVERRIDES.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import test from 'ava';
import sinon from 'sinon';
import Database, { AsyncDatabase } from 'swarm-registry-adapter';
import { tempDir } from './helpers/backends.mjs';
import { createTestDatabase, withClient } from './helpers/pg.mjs';

const require = createRequire(import.meta.url);
const { runWorkload, SCHEMA } = require('./fixtures/engine/workload.cjs');

let database;
test.after.always(async () => database && (await database).drop());
let schemas = 0;

/** A Database on this file's PostgreSQL database, in a fresh schema; returns it with its options. */
async function open(t, extra = {}) {
  database ??= createTestDatabase();
  const options = { backend: 'postgres', databaseUrl: (await database).url, pgSchema: `s${process.pid}_${++schemas}`, pgTimeoutMs: 20000, ...extra };
  const db = new Database(path.join(tempDir(t), 'registry.db'), options);
  t.teardown(() => db.open && db.close());
  return { db, options };
}

test('SQLite-only members throw "not supported on PostgreSQL"; backup() rejects', async (t) => {
  const { db } = await open(t);
  const calls = {
    function: () => db.function('f', () => 1),
    aggregate: () => db.aggregate('a', { step: () => {} }),
    table: () => db.table('t', { columns: ['x'], rows: function* () {} }),
    serialize: () => db.serialize(),
    loadExtension: () => db.loadExtension('/nowhere'),
    defaultSafeIntegers: () => db.defaultSafeIntegers(true),
    unsafeMode: () => db.unsafeMode(true),
  };
  for (const [member, call] of Object.entries(calls)) {
    t.throws(call, { instanceOf: TypeError, message: `Database#${member}() is not supported on PostgreSQL: it only exists inside SQLite. Open this database with backend 'sqlite' to use it, or move the logic into SQL.` }, member);
  }
  const backup = db.backup('/tmp/copy.db');
  t.true(backup instanceof Promise, 'backup() fails the way it fails in better-sqlite3: a rejected promise');
  await t.throwsAsync(backup, { instanceOf: TypeError, message: /Database#backup\(\) is not supported on PostgreSQL/ });
  t.true(db.open, 'the database stays usable');
});

/** Runs fn with REGISTRY_LOG_LEVEL set to `level` (the test runner sets silent) and console.log captured. */
async function withLogLevel(level, fn) {
  const saved = process.env.REGISTRY_LOG_LEVEL;
  if (level === undefined) delete process.env.REGISTRY_LOG_LEVEL; else process.env.REGISTRY_LOG_LEVEL = level;
  const log = sinon.stub(console, 'log'); // captured, not printed
  try {
    return { result: await fn(), log };
  } finally {
    log.restore();
    if (saved === undefined) delete process.env.REGISTRY_LOG_LEVEL; else process.env.REGISTRY_LOG_LEVEL = saved;
  }
}

test.serial('opening logs `Database initialized (PostgreSQL)` with the target and never the password', async (t) => {
  const { result: { db }, log } = await withLogLevel(undefined, () => open(t, { pgSchema: `logline_${process.pid}` }));
  const lines = log.args.map((args) => args.join(' ')).filter((line) => line.startsWith('Database initialized (PostgreSQL)'));
  t.is(lines.length, 1);
  t.regex(lines[0], new RegExp(`^Database initialized \\(PostgreSQL\\): postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/t_[0-9a-f]+ schema logline_${process.pid}$`));
  t.false(lines[0].includes('test-password'));
  t.true(db.open);
});

test.serial('REGISTRY_LOG_LEVEL=silent leaves the start-up line out; a bad level is refused at open', async (t) => {
  const { result: { db }, log } = await withLogLevel('silent', () => open(t, { pgSchema: `silent_${process.pid}` }));
  t.true(db.open);
  t.false(log.args.some((args) => String(args[0]).startsWith('Database initialized')));
  await withLogLevel('loud', async () => {
    const error = await t.throwsAsync(() => open(t, { pgSchema: `loud_${process.pid}` }), { message: 'REGISTRY_LOG_LEVEL="loud" is not valid: use info (the default) or silent.' });
    t.is(error.name, 'ConfigurationError');
  });
});

test('the engine\'s init script creates the 8 tables in the schema with the documented type mapping, idempotently', async (t) => {
  const { db, options } = await open(t);
  t.is(db.exec(SCHEMA), db);
  db.exec(SCHEMA); // CREATE TABLE IF NOT EXISTS: the engine runs it on every start
  const schema = options.pgSchema;
  const { columns, constraints } = await withClient(options.databaseUrl, async (c) => ({
    columns: (await c.query(
      `SELECT table_name, column_name, data_type, column_default, collation_name FROM information_schema.columns WHERE table_schema = $1 AND table_name NOT LIKE '\\_registry%'`, [schema])).rows,
    constraints: (await c.query(
      `SELECT c.conrelid::regclass::text AS tbl, c.contype, pg_get_constraintdef(c.oid) AS def, c.condeferrable
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1`, [schema])).rows,
  }));
  const col = (table, column) => columns.find((r) => r.table_name === table && r.column_name === column);
  // The adapter's own objects (`_registry_*`, e.g. the write lock's view) are left out above.
  t.deepEqual([...new Set(columns.map((r) => r.table_name))].sort(), ['agents', 'execution_artifacts', 'secrets', 'step_executions', 'triggers', 'vm_assignments', 'workflow_runs', 'workflows']);
  t.is(col('agents', 'capabilities').data_type, 'jsonb'); // JSON → JSONB
  t.is(col('workflows', 'enabled').data_type, 'boolean'); // BOOLEAN → BOOLEAN
  t.is(col('secrets', 'encrypted_value').data_type, 'bytea'); // BLOB → BYTEA
  t.is(col('agents', 'created_at').data_type, 'timestamp with time zone'); // TIMESTAMP DEFAULT CURRENT_TIMESTAMP
  // → TIMESTAMPTZ DEFAULT NOW(), truncated to the second as SQLite's CURRENT_TIMESTAMP is.
  t.is(col('agents', 'created_at').column_default, "date_trunc('second'::text, now())");
  t.is(col('workflow_runs', 'started_at').data_type, 'timestamp with time zone'); // other TIMESTAMP → TIMESTAMPTZ
  t.is(col('workflow_runs', 'started_at').column_default, null);
  t.is(col('workflow_runs', 'total_vm_time_ms').data_type, 'bigint'); // INTEGER → BIGINT
  t.is(col('vm_assignments', 'assigned_at').data_type, 'text'); // TEXT stays TEXT, even holding timestamps
  t.is(col('agents', 'name').collation_name, 'C'); // SQLite's BINARY collation
  const defs = constraints.map((c) => `${c.tbl.replace(/^.*\./, '')} ${c.def}`);
  for (const expected of [
    'agents UNIQUE (name, version)',
    'workflows UNIQUE (name, version)',
    'secrets UNIQUE (workflow_id, name)',
    'triggers UNIQUE (webhook_path)',
    'agents PRIMARY KEY (id)',
  ]) t.true(defs.includes(expected), expected);
  const foreign = constraints.filter((c) => c.contype === 'f');
  t.is(foreign.length, 5);
  t.true(foreign.every((c) => c.condeferrable), 'foreign keys are deferrable');
});

test('the engine workload gives the same transcript on PostgreSQL as on SQLite, but for the documented differences', async (t) => {
  const sqliteFile = path.join(tempDir(t), 'registry.db');
  const onSqlite = runWorkload(function SqliteDatabase(file) { return new Database(file, { backend: 'sqlite' }); }, sqliteFile);
  database ??= createTestDatabase();
  const options = { backend: 'postgres', databaseUrl: (await database).url, pgSchema: `workload_${process.pid}` };
  const onPostgres = runWorkload(function PostgresDatabase(file) { return new Database(file, options); }, sqliteFile + '.pg');
  t.is(onPostgres.length, onSqlite.length);
  const differing = [];
  for (let i = 0; i < onSqlite.length; i++) {
    const [label, status, value] = onSqlite[i];
    const pg = onPostgres[i];
    t.is(pg[0], label);
    if (JSON.stringify(pg) === JSON.stringify(onSqlite[i])) continue;
    differing.push(label);
    if (label === 'latest template') {
      // JSONB comes back as JSON text with PostgreSQL's spacing and key order: the same JSON value.
      t.deepEqual(jsonValues(pg[2]), jsonValues(value), label);
    } else {
      t.fail(`unexpected difference at "${label}": ${JSON.stringify(onSqlite[i])} vs ${JSON.stringify(pg)}`);
    }
  }
  // run() results, lastInsertRowid included, are SQLite's: only the JSON text differs.
  t.deepEqual(differing, ['latest template']);
  t.true(onSqlite.some((entry) => entry[1] === 'error'), 'the workload exercises errors, and they match');
});

test.serial('a REGISTRY_SQL_OVERRIDES file is honoured by Database and AsyncDatabase', async (t) => {
  const file = path.join(tempDir(t), 'overrides.json');
  fs.writeFileSync(file, JSON.stringify({ 'SELECT   registry_answer()': 'SELECT 42 AS answer' }));
  const { options } = await open(t);
  const before = new Database(path.join(tempDir(t), 'r.db'), options);
  t.throws(() => before.prepare('SELECT registry_answer()'), { any: true, code: 'SQLITE_ERROR' });
  before.close();
  const saved = process.env.REGISTRY_SQL_OVERRIDES;
  process.env.REGISTRY_SQL_OVERRIDES = file;
  try {
    const db = new Database(path.join(tempDir(t), 'r.db'), options);
    t.teardown(() => db.close());
    // Matched whitespace-normalised, as the file's keys are.
    t.deepEqual(db.prepare('SELECT registry_answer()').get(), { answer: 42 });
    const adb = new AsyncDatabase(path.join(tempDir(t), 'r.db'), options);
    t.teardown(() => adb.close());
    t.deepEqual(await (await adb.prepare('SELECT\n  registry_answer()')).get(), { answer: 42 });
  } finally {
    if (saved === undefined) delete process.env.REGISTRY_SQL_OVERRIDES;
    else process.env.REGISTRY_SQL_OVERRIDES = saved;
  }
});

/** Values of JSON text parsed, so that spacing and key order do not matter. */
function jsonValues(row) {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => {
    if (typeof v !== 'string' || !/^[[{]/.test(v)) return [k, v];
    return [k, JSON.parse(v)];
  }));
}

test("'now' is read per execution on every path: a statement run, exec(), and AsyncDatabase's exec() and run()", async (t) => {
  const { db, options } = await open(t);
  db.exec('CREATE TABLE stamps (via TEXT PRIMARY KEY, at TEXT NOT NULL)');
  const before = Date.now() - 2000;
  db.prepare("INSERT INTO stamps VALUES ('run', datetime('now'))").run();
  db.exec("INSERT INTO stamps VALUES ('exec', datetime('now'))");
  const adb = new AsyncDatabase(path.join(tempDir(t), 'async.db'), options);
  t.teardown(() => adb.close());
  await adb.exec("INSERT INTO stamps VALUES ('async exec', datetime('now'))");
  await (await adb.prepare("INSERT INTO stamps VALUES ('async run', datetime('now'))")).run();
  const rows = db.prepare('SELECT via, at FROM stamps ORDER BY via').all();
  t.deepEqual(rows.map((r) => r.via), ['async exec', 'async run', 'exec', 'run']);
  for (const { via, at } of rows) {
    t.regex(at, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, via);
    const ms = Date.parse(`${at.replace(' ', 'T')}Z`);
    t.true(ms >= before && ms <= Date.now() + 2000, `${via}: ${at}`);
  }
});

test('a Buffer bound where PostgreSQL reads a number is SQLITE_MISMATCH, and the connection and its transaction go on', async (t) => {
  const { db } = await open(t);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER)');
  const floor = db.prepare('SELECT floor(?) AS a');
  db.exec('BEGIN');
  db.prepare('INSERT INTO t (id, x) VALUES (1, 1)').run();
  // PostgreSQL answers an ERROR (08P01, "insufficient data left in message"), which once read as a
  // lost connection: the transaction and its first row were gone.
  t.throws(() => floor.get(Buffer.alloc(0)), { any: true, code: 'SQLITE_MISMATCH', message: /insufficient data left in message/ });
  db.prepare('INSERT INTO t (id, x) VALUES (2, 2)').run();
  db.exec('COMMIT');
  t.deepEqual(db.prepare('SELECT id FROM t ORDER BY id').pluck().all(), [1, 2]);
});
