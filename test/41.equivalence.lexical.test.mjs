// Lexical and value-level equivalence: each statement runs on a real SQLite file (better-sqlite3)
// and through the facade on PostgreSQL, and must give the same answer there — the same values with
// the same JS types, column names, `changes`, error code — or be refused at prepare with a
// TranslationError where no exact translation exists.
import { createRequire } from 'node:module';
import path from 'node:path';
import test from 'ava';
import { postgresBackend, tempDir } from './helpers/backends.mjs';
import { createTestDatabase, withClient } from './helpers/pg.mjs';
import { AsyncDatabase, TranslationError } from 'swarm-registry-adapter';

const require = createRequire(import.meta.url);
const BetterSqlite3 = require('better-sqlite3');
const { REGISTRY_SQLITE_DDL } = require('../dist/schema/index.js');

const pgBackend = postgresBackend(test);
const WORKFLOW = "INSERT INTO workflows (id, name, version, path, steps) VALUES ('w', 'w', '1', '/w', '[]')";

/** One SQLite file and one PostgreSQL schema, both set up by the same SQL. */
async function pair(t, setup = [], { registry = false, options = {} } = {}) {
  const sqlite = new BetterSqlite3(path.join(tempDir(t), 'reference.db'));
  t.teardown(() => sqlite.close());
  const pg = await pgBackend.open(t, { options });
  const all = [...(registry ? [REGISTRY_SQLITE_DDL] : []), ...setup];
  for (const sql of all) {
    sqlite.exec(sql);
    pg.exec(sql);
  }
  return { sqlite, pg };
}

/** What a call answered: its value, or its error's class and code. */
function outcome(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    if (error instanceof TranslationError) return { refused: error.message };
    return { error: { code: error.code, name: error.name } };
  }
}

/** The same answer on both, or (when allowed) a refusal at prepare on PostgreSQL. */
function same(t, dbs, fn, { refusal = false, message } = {}) {
  const expected = outcome(() => fn(dbs.sqlite));
  const actual = outcome(() => fn(dbs.pg));
  if (refusal && actual.refused) {
    t.pass(`refused: ${actual.refused}`);
    return actual;
  }
  t.deepEqual(actual, expected, message);
  return actual;
}

const rows = (sql, ...params) => (db) => db.prepare(sql).all(...params);
const run = (sql, ...params) => (db) => db.prepare(sql).run(...params).changes;
const names = (sql) => (db) => db.prepare(sql).columns().map((c) => c.name);

test('a rule that wraps a token keeps the whitespace around it (LIKE on a JSON column)', async (t) => {
  const dbs = await pair(t, [
    `INSERT INTO agents (id, name, version, path, tags) VALUES ('a1', 'x', '1', '/a', '["ops","ci"]'), ('a2', 'y', '1', '/b', '["prod"]')`,
  ], { registry: true });
  same(t, dbs, rows('SELECT id FROM agents WHERE tags LIKE ?', '%ci%'));
  same(t, dbs, rows("SELECT id FROM agents WHERE id <> 'z' AND tags LIKE ? ORDER BY id", '%o%'));
  same(t, dbs, rows("SELECT id FROM agents WHERE id = 'a2' OR tags NOT LIKE '%ci%' ORDER BY id"));
  same(t, dbs, rows("SELECT id FROM agents WHERE tags GLOB '*ci*'"));
});

test('result columns are named as SQLite names them, case kept', async (t) => {
  const dbs = await pair(t, [
    WORKFLOW, "INSERT INTO workflow_runs (id, workflow_id, status) VALUES ('r1', 'w', 'done')",
    `INSERT INTO step_executions (id, run_id, step_id, status, api_tokens_used) VALUES
       ('s1', 'r1', 'a', 'done', 10), ('s2', 'r1', 'b', 'done', 30), ('s3', 'r1', 'c', 'failed', 5)`,
  ], { registry: true });
  same(t, dbs, rows('SELECT status, MAX(api_tokens_used) AS maxTok FROM step_executions GROUP BY status ORDER BY status'));
  same(t, dbs, rows('SELECT status AS Status, COUNT(*), count(*) AS "N", Sum(api_tokens_used) total FROM step_executions GROUP BY Status ORDER BY Status'));
  same(t, dbs, rows('SELECT maxTok, x.Status FROM (SELECT status AS Status, MAX(api_tokens_used) AS maxTok FROM step_executions GROUP BY status) x ORDER BY maxTok'));
  same(t, dbs, rows('SELECT * FROM (SELECT MAX(api_tokens_used) AS maxTok, COUNT(*) FROM step_executions)'));
  same(t, dbs, rows('WITH c AS (SELECT id AS stepId FROM step_executions) SELECT stepId FROM c ORDER BY stepId DESC'));
  same(t, dbs, names('SELECT Status, ID FROM step_executions'));
  // SQLite resolves an alias in WHERE and HAVING when no column has that name.
  same(t, dbs, rows('SELECT status, COUNT(*) AS Cnt FROM step_executions GROUP BY status HAVING Cnt > 1'));
  same(t, dbs, rows('SELECT id, api_tokens_used * 2 AS dbl, ? AS p FROM step_executions WHERE dbl > ? AND p IS NOT NULL ORDER BY dbl', 'x', 15));
  same(t, dbs, rows("SELECT upper(status) AS status FROM step_executions WHERE status = 'done' ORDER BY 1"));
  same(t, dbs, rows("SELECT j.value AS Value, s.id FROM step_executions s, json_each('[\"a\",\"b\"]') AS j WHERE value = 'a' AND s.id = 's1' ORDER BY Value"));
  same(t, dbs, rows('WITH c AS (SELECT id AS Ident FROM step_executions) SELECT c.Ident FROM c ORDER BY c.Ident'));
  same(t, dbs, (db) => db.prepare("UPDATE step_executions SET retry_count = retry_count + 1 WHERE id = 's1' RETURNING id AS stepId, retry_count AS Retries").all());
  same(t, dbs, rows('WITH c(stepId, Tokens) AS (SELECT id, api_tokens_used FROM step_executions) SELECT * FROM c ORDER BY StepID'));
  same(t, dbs, rows('SELECT * FROM (SELECT status, COUNT(*), SUM(api_tokens_used) AS "Total" FROM step_executions GROUP BY status) ORDER BY 1'));
  same(t, dbs, rows("SELECT CAST(api_tokens_used AS TEXT) AS Text, status AS 'quoted name' FROM step_executions ORDER BY Text"));
  same(t, dbs, rows('SELECT id AS "Id", status AS Status FROM step_executions ORDER BY "Id"'));
});

test('integer literals are 64-bit', async (t) => {
  const dbs = await pair(t, ['CREATE TABLE t1 (a INTEGER)']);
  same(t, dbs, run('INSERT INTO t1 VALUES (1<<63)'));
  same(t, dbs, run('INSERT INTO t1 VALUES (1<<62)'));
  same(t, dbs, run('INSERT INTO t1 VALUES (0x7FFFFFFFFFFFFFFF), (0xFFFFFFFFFFFFFFFF), (-0x10)'));
  same(t, dbs, (db) => db.prepare('SELECT a FROM t1').safeIntegers(true).all());
  same(t, dbs, rows('SELECT 2147483647 + 1 AS v, 2147483648 * 2 AS w, -2147483649 AS x, 9007199254740991 AS y'));
  same(t, dbs, rows('SELECT 3000000000 / 7 AS q, 3000000000 % 7 AS r'));
  same(t, dbs, rows('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT x FROM c'));
  same(t, dbs, rows('SELECT -9223372036854775808 AS m, 9223372036854775807 AS n, max(1 << 40, 0) AS s'));
  same(t, dbs, (db) => db.prepare('SELECT a / 2 AS b, a & 255 AS c FROM t1 ORDER BY 1').safeIntegers(true).all());
});

test('comments never reach PostgreSQL as written: SQLite block comments do not nest', async (t) => {
  const dbs = await pair(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)', "INSERT INTO t (id, v) VALUES (4, 'a'), (5, 'b'), (6, 'c')"]);
  same(t, dbs, run('DELETE FROM t WHERE 1 = 1 /* keep /* legacy */ AND id = 5 -- */'));
  same(t, dbs, rows('SELECT id FROM t ORDER BY id'));
  same(t, dbs, rows("SELECT id /* a ' quote */, v -- and a \" dangling one\nFROM t ORDER BY id"));
  same(t, dbs, rows('SELECT 1/**/+/**/2 AS n, 4-/**/-1 AS m'));
  same(t, dbs, rows('SELECT 7 -- unterminated at the end'));
  same(t, dbs, rows("SELECT id FROM t WHERE(v LIKE'b')OR(v GLOB'c')ORDER BY id"));
  same(t, dbs, (db) => db.prepare('SELECT id FROM t ORDER BY id LIMIT 1OFFSET 1'));
  same(t, dbs, (db) => db.prepare('SELECT 1.5e FROM t'));
  same(t, dbs, (db) => db.prepare('SELECT id::text FROM t'));
  // || binds tighter than arithmetic in SQLite: grouped so, a sum next to it is never concatenated first.
  same(t, dbs, rows("SELECT id, -id || 'x' AS a, v || 'x' = 'ax' AS b, 'a' || 'b' || v AS c, (id + 1) || '' AS d FROM t ORDER BY id"));
  const concat = outcome(() => dbs.pg.prepare("SELECT 'n=' || 1 + 2 AS v").all());
  t.notDeepEqual(concat, { value: [{ v: 'n=3' }] });
});

test('session settings are pinned: a database with standard_conforming_strings off answers as SQLite', async (t) => {
  const { url, name, drop } = await createTestDatabase();
  t.teardown(drop);
  await withClient(url, (c) => c.query(`ALTER DATABASE ${name} SET standard_conforming_strings = off; ALTER DATABASE ${name} SET DateStyle = 'SQL, DMY'; ALTER DATABASE ${name} SET IntervalStyle = 'sql_standard'; ALTER DATABASE ${name} SET TimeZone = 'Asia/Kolkata'; ALTER DATABASE ${name} SET extra_float_digits = -3; ALTER DATABASE ${name} SET bytea_output = 'escape'`));
  const dbs = await pair(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)', "INSERT INTO t (id, v) VALUES (1, 'a\\b'), (2, 'ab')"], { options: { databaseUrl: url } });
  same(t, dbs, rows("SELECT id, v, length(v) AS n, 'x\\ny' AS lit FROM t ORDER BY id"));
  same(t, dbs, run("DELETE FROM t WHERE v = 'a\\\\b'"));
  same(t, dbs, rows("SELECT X'00FF' AS b, datetime('2024-01-02 03:04:05', '+1 day') AS d"));
  dbs.sqlite.exec('CREATE TABLE r (f REAL)');
  dbs.pg.exec('CREATE TABLE r (f REAL)');
  same(t, dbs, run('INSERT INTO r (f) VALUES (?), (?)', 0.1 + 0.2, 1 / 3));
  same(t, dbs, rows('SELECT f FROM r ORDER BY f'));
  // The AsyncDatabase pool pins the same settings.
  const async = new AsyncDatabase(path.join(tempDir(t), 'async.db'), { backend: 'postgres', databaseUrl: url, pgSchema: 'pinned_async', pgTimeoutMs: 20000 });
  t.teardown(() => async.open && async.close());
  const literal = "SELECT 'a\\b' AS v, length('a\\b') AS n";
  t.deepEqual(await (await async.prepare(literal)).all(), dbs.sqlite.prepare(literal).all());
});

test('LIMIT and OFFSET bound to a value SQLite refuses fail as SQLite does', async (t) => {
  const dbs = await pair(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY)', 'INSERT INTO t (id) VALUES (1), (2), (3), (4)']);
  same(t, dbs, rows('SELECT id FROM t ORDER BY id LIMIT NULL'));
  same(t, dbs, rows('SELECT id FROM t ORDER BY id LIMIT 2 OFFSET NULL'));
  same(t, dbs, rows("SELECT id FROM t ORDER BY id LIMIT '2'"));
  const values = [NaN, null, 'abc', '2', ' 2', 2.5, 2.0, -1, -2, 2n, 0, Infinity, true, Buffer.from('2')];
  for (const v of values) {
    same(t, dbs, rows('SELECT id FROM t ORDER BY id LIMIT ?', v), { message: `LIMIT ${String(v)}` });
    same(t, dbs, rows('SELECT id FROM t ORDER BY id LIMIT 10 OFFSET ?', v), { message: `OFFSET ${String(v)}` });
    same(t, dbs, rows('SELECT id FROM t ORDER BY id LIMIT ?, 2', v), { message: `LIMIT ${String(v)}, 2` });
  }
});

test('an untyped parameter comes back with the JS type SQLite gives it', async (t) => {
  const dbs = await pair(t);
  for (const v of [5, 2.5, -0.5, 'x', '5', Buffer.from([1, 2]), null, 2n, 9007199254740993n, true, 1e300]) {
    same(t, dbs, rows('SELECT ? AS v', v), { message: `SELECT ? bound to ${typeof v} ${String(v)}` });
  }
  same(t, dbs, rows('SELECT ? AS a, ? AS b, typeof(?) AS c', 1, 'one', 1.5), { refusal: true });
  for (const v of [5, 2n, -9223372036854775808n]) {
    same(t, dbs, (db) => db.prepare('SELECT ? AS v').safeIntegers(true).get(v), { message: `safeIntegers, bound ${typeof v} ${String(v)}` });
  }
  same(t, dbs, (db) => db.prepare('SELECT ?').pluck().get('x'));
  same(t, dbs, (db) => db.prepare('SELECT :v AS v, :v || 1 AS w').raw().all({ v: 7 }));
});

// SQLite keeps a blob in a TEXT column; a PostgreSQL text column cannot hold one. The one allowed
// difference: a clear SQLITE_MISMATCH at run, never the bytes stored or compared as text.
test('a Buffer bound into a TEXT column is refused with SQLITE_MISMATCH, never stored as text; compared with it, it answers as SQLite', async (t) => {
  const dbs = await pair(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)', "INSERT INTO t (id, v) VALUES (1, 'hi')"]);
  const blob = Buffer.from('hi');
  // Compared: a blob is above every text and equal to none, in SQLite and on PostgreSQL alike.
  const compare = 'SELECT id, v = ? AS eq, v < ? AS lt, v IS ? AS same FROM t ORDER BY id';
  t.deepEqual(dbs.pg.prepare(compare).all(blob, blob, blob), dbs.sqlite.prepare(compare).all(blob, blob, blob));
  t.deepEqual(dbs.pg.prepare(compare).all(blob, blob, blob), [{ id: 1, eq: 0, lt: 1, same: 0 }]);
  for (const [sql, sqliteAnswer] of [['INSERT INTO t (id, v) VALUES (2, ?)', 1], ['UPDATE t SET v = ? WHERE id = 1', 1]]) {
    t.deepEqual(outcome(() => (sql.startsWith('SELECT') ? dbs.sqlite.prepare(sql).all(blob) : dbs.sqlite.prepare(sql).run(blob).changes)), { value: sqliteAnswer });
    const pgAnswer = outcome(() => (sql.startsWith('SELECT') ? dbs.pg.prepare(sql).all(blob) : dbs.pg.prepare(sql).run(blob)));
    t.deepEqual(pgAnswer, { error: { code: 'SQLITE_MISMATCH', name: 'SqliteError' } }, sql);
    t.throws(() => dbs.pg.prepare(sql).run(blob), { any: true, message: /datatype mismatch: a Buffer \(a blob\) bound for t\.v/ });
  }
  t.deepEqual(dbs.sqlite.prepare('SELECT id, v FROM t ORDER BY id').all(), [{ id: 1, v: blob }, { id: 2, v: blob }]);
  t.deepEqual(dbs.pg.prepare('SELECT id, v FROM t').all(), [{ id: 1, v: 'hi' }]);
});

test('x IN () is false and x NOT IN () is true', async (t) => {
  const dbs = await pair(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)', "INSERT INTO t (id, v) VALUES (1, 'a'), (2, NULL)"]);
  same(t, dbs, rows('SELECT id, v IN () AS a, v NOT IN () AS b, NULL IN () AS c FROM t ORDER BY id'));
  same(t, dbs, rows('SELECT id FROM t WHERE id IN ( ) ORDER BY id'));
  same(t, dbs, rows('SELECT id FROM t WHERE id NOT IN() ORDER BY id'));
  same(t, dbs, run('DELETE FROM t WHERE v IN ()'));
});

test('UPDATE assigning one column twice applies the last assignment', async (t) => {
  const dbs = await pair(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER, y TEXT)', "INSERT INTO t (id, x, y) VALUES (1, 0, 'a')"]);
  same(t, dbs, run("UPDATE t SET x = 3, y = 'b', x = 4, Y = 'c' WHERE id = 1"));
  same(t, dbs, rows('SELECT id, x, y FROM t'));
});

test('writes through a view are refused as SQLite refuses them', async (t) => {
  const dbs = await pair(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER)', 'INSERT INTO t (id, x) VALUES (1, 1)', 'CREATE VIEW v AS SELECT id, x FROM t']);
  for (const sql of ['INSERT INTO v (id, x) VALUES (2, 2)', 'UPDATE v SET x = 5', 'DELETE FROM v', 'INSERT OR REPLACE INTO v (id, x) VALUES (1, 9)']) {
    same(t, dbs, (db) => db.prepare(sql), { message: sql, refusal: false });
  }
  same(t, dbs, rows('SELECT id, x FROM t'));
});

test('a subquery in FROM without an alias gets one (PostgreSQL before 16 needs it)', async (t) => {
  const dbs = await pair(t, [WORKFLOW, "INSERT INTO workflow_runs (id, workflow_id, status) VALUES ('r2', 'w', 's'), ('r1', 'w', 's')"], { registry: true });
  const sql = 'SELECT GROUP_CONCAT(id) FROM (SELECT id FROM workflow_runs ORDER BY id)';
  same(t, dbs, rows(sql));
  same(t, dbs, rows('SELECT n FROM (SELECT COUNT(*) AS n FROM workflow_runs), (SELECT 1 AS one) WHERE one = 1'));
  same(t, dbs, rows('SELECT COUNT(*) AS c FROM (SELECT id FROM workflow_runs) JOIN (SELECT id AS i2 FROM workflow_runs) ON id = i2'));
  // The alias is real: the translation of a FROM subquery names it, whatever the server's version.
  const translated = dbs.pg.prepare(sql);
  t.truthy(translated);
});

test("LIKE and GLOB fold case for ASCII only, as SQLite's do", async (t) => {
  const dbs = await pair(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)', "INSERT INTO t (id, v) VALUES (1, 'Ä'), (2, 'ä'), (3, 'A'), (4, 'a'), (5, 'ß'), (6, 'Straße')"]);
  same(t, dbs, rows("SELECT 'Ä' LIKE 'ä' AS a, 'A' LIKE 'a' AS b, 'ÄB' LIKE 'Äb' AS c, 'ǅ' LIKE 'ǆ' AS d, 'İ' LIKE 'i' AS e"));
  same(t, dbs, rows("SELECT id FROM t WHERE v LIKE 'ä' ORDER BY id"));
  same(t, dbs, rows("SELECT id FROM t WHERE v LIKE ? ORDER BY id", 'a'));
  same(t, dbs, rows("SELECT id FROM t WHERE v NOT LIKE 'STRASSE' AND v LIKE '%SSE' OR v LIKE 'strasse' ORDER BY id"));
  same(t, dbs, rows("SELECT id FROM t WHERE v GLOB 'ä' OR v GLOB '[A]' ORDER BY id"));
  same(t, dbs, rows("SELECT id FROM t WHERE v LIKE 'STRA_E' ORDER BY id"));
  same(t, dbs, rows("SELECT id FROM t WHERE v = 'ä' COLLATE NOCASE OR v = 'a' COLLATE NOCASE ORDER BY id"));
  same(t, dbs, rows("SELECT id FROM t WHERE v LIKE 'a!%' ESCAPE '!' OR ? IN () ORDER BY id", 'x'));
  same(t, dbs, rows("SELECT id FROM t WHERE id LIKE 1 OR id + 1 LIKE '3' OR id GLOB '5' ORDER BY id"));
  same(t, dbs, rows('SELECT v COLLATE NOCASE, id FROM t WHERE id < 3 ORDER BY id'));
});
