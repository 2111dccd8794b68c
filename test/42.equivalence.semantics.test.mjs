// SQLite's value semantics on PostgreSQL: each statement runs on a real SQLite file (better-sqlite3)
// and through the facade on PostgreSQL, and must give the same answer — values, JS types, column
// names, error code — or be refused at prepare with a TranslationError where no exact translation
// exists. The PostgreSQL database uses an ICU en-US default collation (where the server has ICU,
// else libc en_US), so that any text sorted or compared outside COLLATE "C" shows up.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import pg from 'pg';
import BetterSqlite3 from 'better-sqlite3';
import Database, { TranslationError } from 'swarm-registry-adapter';
import { dropTestDatabase, serverUrl, testDatabaseUrl } from './helpers/pg.mjs';

const SETUP = [
  'CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER, name TEXT, r REAL, flag BOOLEAN)',
  `INSERT INTO t (id, x, name, r, flag) VALUES
     (1, 100, 'alpha', 1.5, 1), (2, 99, 'Beta', 2.5, 0), (3, 0, '_z', NULL, 1),
     (4, NULL, NULL, 0.25, NULL), (5, 7, '12abc', -3.75, 0), (6, -7, ' 3.5e1x', 10, 1), (7, 5, 'Zed', 4, 0), (8, 8, 'äÖü', 2, 1)`,
  'CREATE TABLE big (v INTEGER)',
  'INSERT INTO big (v) VALUES (9223372036854775807), (1)',
  'CREATE TABLE words (w TEXT)',
  'CREATE TABLE loose (id INTEGER PRIMARY KEY, u, t TEXT)',
  "INSERT INTO loose (id, u, t) VALUES (1, '10', '10'), (2, 'x', 'x'), (3, NULL, NULL)",
  "INSERT INTO words (w) VALUES ('b'), ('B'), ('_z'), ('a'), ('A'), ('Z')",
];

/** The server's database for this file: ICU en-US collation when the server has ICU, else libc en_US. */
async function collatedDatabase() {
  const name = `t_icu_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  let collation;
  try {
    const icu = await admin.query("SELECT 1 FROM pg_collation WHERE collprovider = 'i' LIMIT 1");
    const version = Number((await admin.query('SHOW server_version_num')).rows[0].server_version_num);
    const libc = await admin.query("SELECT collname FROM pg_collation WHERE collname IN ('en_US.utf8', 'en_US.UTF-8') LIMIT 1");
    if (version < 150000 && libc.rowCount === 0) {
      // An ICU default collation for a database needs PostgreSQL 15; a 14 without an en_US locale
      // runs these tests under its own collation (the byte-order ones then cannot fail there).
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
      collation = 'the server\'s own (PostgreSQL 14: no ICU default collation, no en_US locale)';
    } else if (icu.rowCount > 0 && version >= 150000) {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`);
      collation = 'ICU en-US';
    } else {
      if (libc.rowCount === 0) throw new Error('the server has neither ICU nor an en_US locale: the byte-order tests cannot show a difference');
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE '${libc.rows[0].collname}' LC_CTYPE '${libc.rows[0].collname}'`);
      collation = `libc ${libc.rows[0].collname}`;
    }
  } finally {
    await admin.end();
  }
  return { url: testDatabaseUrl(name), drop: () => dropTestDatabase(name), collation };
}

let server;
let dbs;
/** Both databases with SETUP applied, shared by the file's tests (they only read): a SQLite file and the facade on PostgreSQL. */
test.before(async (t) => {
  server = await collatedDatabase();
  t.log(`PostgreSQL default collation: ${server.collation}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-eq-'));
  const sqlite = new BetterSqlite3(path.join(dir, 'sqlite.db'));
  const pgdb = new Database(path.join(dir, 'registry.db'), { backend: 'postgres', databaseUrl: server.url, pgSchema: 'eq', pgTimeoutMs: 20000 });
  for (const sql of SETUP) {
    sqlite.exec(sql);
    pgdb.exec(sql);
  }
  dbs = { sqlite, pgdb, dir };
});
test.after.always(async () => {
  if (dbs) {
    dbs.sqlite.close();
    if (dbs.pgdb.open) dbs.pgdb.close();
    fs.rmSync(dbs.dir, { recursive: true, force: true });
  }
  if (server) await server.drop();
});

function open() {
  return dbs;
}

/** rows, column names and error of one statement on one database. */
function answer(db, sql, params) {
  try {
    const stmt = db.prepare(sql);
    const rows = stmt.all(...params);
    return { columns: stmt.columns().map((c) => c.name), rows };
  } catch (error) {
    return { error: error.code ?? error.name, message: error.message };
  }
}

/** [name, sql, params]: PostgreSQL answers exactly as SQLite. */
const SAME = [
  // 1. Integer arithmetic follows SQLite's types.
  ['SUM of integers stays an integer: SUM(x)/COUNT(*) divides integers', 'SELECT SUM(x) / COUNT(*) AS a FROM t'],
  ['52 / SUM(col) is integer division', 'SELECT 52 / SUM(x) AS a FROM t'],
  ['integer / integer truncates toward zero, real if a side is real', 'SELECT 7 / 2 AS a, -7 / 2 AS b, 7 / 2.0 AS c, x / 3 AS d, r / 2 AS e FROM t ORDER BY id'],
  ['SUM, AVG, TOTAL of integers and reals', 'SELECT SUM(x) AS s, AVG(x) AS a, TOTAL(x) AS t, SUM(r) AS sr, AVG(r) AS ar, SUM(DISTINCT x) AS sd, AVG(DISTINCT x) AS ad FROM t'],
  ['SUM over a window and with FILTER', 'SELECT id, SUM(x) OVER (ORDER BY id) AS s FROM t ORDER BY id'],
  ['window and FILTER aggregates keep SQLite\'s types (integer division of a running sum)', 'SELECT id, sum(x) OVER (ORDER BY id) / 2 AS a, avg(x) OVER () AS b, total(x) OVER (PARTITION BY flag) AS c, max(flag) OVER () AS d, count(*) OVER () / 3 AS e, sum(x) FILTER (WHERE x > 10) OVER () / 7 AS f FROM t ORDER BY id'],
  ['modulo of integers and of reals (integer parts, real result)', 'SELECT 7 % 3 AS a, -7 % 3 AS b, 7.5 % 2 AS c, x % 3 AS d, r % 2 AS e, x % r AS f FROM t ORDER BY id'],
  // 2. Division by zero is NULL.
  ['1/0, x % 0, real / 0 and a computed zero divisor are NULL', 'SELECT 1 / 0 AS a, x % 0 AS b, r / 0 AS c, 5 / (x - x) AS d, 5.5 % 0.5 AS e FROM t ORDER BY id'],
  ['bound divisor of zero', 'SELECT ? / ? AS a, ? % ? AS b', [1, 0, 5, 0]],
  // 3. substr()
  ['substr with a negative start counts from the end', 'SELECT substr(name, -3) AS a FROM t ORDER BY id'],
  ['substr with start 0, negative lengths, past the end', 'SELECT substr(name, 0, 2) AS a, substr(name, 3, -2) AS b, substr(name, -2, 5) AS c, substr(name, -9, 3) AS d, substr(name, 2, -5) AS e, substr(name, 9) AS f, substr(name, 0) AS g, substr(name, 0, -1) AS h FROM t ORDER BY id'],
  ['substr with bound start and length, and a NULL start', 'SELECT substr(name, ?, ?) AS a, substring(name, ?) AS b, substr(name, ?, 2) AS c FROM t ORDER BY id', [-4, -2, -1, null]],
  // 4. Comparisons are integers 0/1.
  ['sum() of a comparison, a comparison in arithmetic and as a value', 'SELECT sum(x > 50) AS a, sum(name = \'alpha\') + 1 AS b FROM t'],
  ['(a > b) + 1, a BOOLEAN column in arithmetic, a comparison returned', 'SELECT (x > 50) + 1 AS a, flag * 10 AS b, x > 50 AS c, (x > 1) * (x < 100) AS d FROM t ORDER BY id'],
  ['text used as a number: literals read their numeric prefix, text columns as SQLite reads them', "SELECT '5' + 1 AS a, -'3' AS b, '2' * '3' AS c, '7' / 2 AS d, '12abc' + 1 AS e, '2.5x' * 2 AS f, 'abc' + 1 AS g, '5.' / 2 AS h, name + 1 AS i, name * 2 AS j FROM t ORDER BY id"],
  ['instr() of a number searches its text', 'SELECT instr(x, \'9\') AS a, instr(name, \'a\') AS b FROM t ORDER BY id'],
  ['|| binds tightest and writes numbers as SQLite does (integers, REALs, 0/1)', "SELECT 'a' || 1 + 2 AS a, name || x || r AS b, 1 || 2 AS c, (x > 1) || 'y' AS d, 2.0 || '' AS e FROM t ORDER BY id"],
  ['a REAL as text: CAST, length(), group_concat()', 'SELECT CAST(r AS TEXT) AS a, length(r) AS b, CAST(1e20 AS TEXT) AS c, CAST(-1.5e-7 AS TEXT) AS d FROM t ORDER BY id'],
  ['group_concat() of REALs', 'SELECT group_concat(r) AS a, group_concat(x, \';\') AS b FROM t'],
  ['a number or text as a condition is tested against 0', "SELECT id, CASE WHEN x THEN 'y' ELSE 'n' END AS c, x AND r AS a, NOT x AS n FROM t WHERE x OR NOT r OR name ORDER BY id"],
  ['a numeric condition in a select item with an alias and no AS', 'SELECT id, x BETWEEN 0 AND 100 AND r b, NOT x c FROM t ORDER BY id'],
  ['BETWEEN keeps its AND beside a numeric condition', 'SELECT id FROM t WHERE x AND x BETWEEN 1 AND 100 AND flag ORDER BY id'],
  ['HAVING a count', 'SELECT flag, count(*) AS n FROM t GROUP BY flag HAVING count(*) - 3 ORDER BY flag'],
  // 5. A parameter ordered against an INTEGER column compares as a number.
  ['a fraction bound against an INTEGER column', 'SELECT id FROM t WHERE x > ? ORDER BY id', [55.5]],
  ['fractions bound in BETWEEN and <= on an INTEGER column', 'SELECT id FROM t WHERE x BETWEEN ? AND ? OR x <= ? ORDER BY id', [1.5, 7.5, -6.5]],
  ['numeric text bound against an INTEGER column', 'SELECT id FROM t WHERE x >= ? ORDER BY id', ['99']],
  // 6. SQLite's comparison affinity for literals.
  ["text against a number with no affinity: '1' = 1 is false", "SELECT '1' = 1 AS a, '1' > 1 AS b, 1 < '0' c, 1 = '1' d, '' < 5 AS e"],
  ['text literals against INTEGER and REAL columns, numbers against a TEXT column', "SELECT id, x = '7.0' AS a, x > 'abc' b, x = ' 7 ' c, x < 'abc' d, x = '100' e, r = '2.5' f, name = 12 g, name > -1.5 h FROM t ORDER BY id"],
  ['sum/avg/total/max of a BOOLEAN column are of its 0/1', 'SELECT sum(flag) AS s, avg(flag) AS a, total(flag) AS t, max(flag) AS m, min(flag) AS n FROM t'],
  ['typeof() of integer and real arithmetic, comparisons, aggregates', 'SELECT typeof(x / 2) AS a, typeof(r / 2) AS b, typeof(x > 1) AS c, typeof(flag + 1) AS d FROM t ORDER BY id'],
  ['integer division of aggregates and of COALESCE/IIF of integers', 'SELECT count(*) / 3 AS a, count(x) % 3 AS b, max(x) / 7 AS c, COALESCE(max(x), 0) / 7 AS d, iif(1, 7, 8) / 2 AS e, iif(count(*) > 3, 9, 10) / 2 AS f FROM t'],
  // 7. upper()/lower() fold ASCII only.
  ['upper()/lower() leave non-ASCII letters alone', "SELECT upper('äbc') AS a, lower('ÄBC') AS b, upper(name) AS c, lower(name) AS d FROM t ORDER BY id"],
  ['COLLATE NOCASE folds ASCII only', "SELECT id FROM t WHERE name = 'ÄÖÜ' COLLATE NOCASE OR name = 'ZED' COLLATE NOCASE ORDER BY id"],
  // 8. Text sorts and compares by byte.
  ['ORDER BY a literal-derived column', "SELECT n FROM (SELECT '_z' AS n UNION ALL SELECT 'a' UNION ALL SELECT 'A' UNION ALL SELECT 'b' UNION ALL SELECT 'B' UNION ALL SELECT 'Z') ORDER BY n"],
  ['ORDER BY a column of bound text and of a CASE over literals', 'SELECT v, c FROM (SELECT ? AS v, CASE WHEN id > 2 THEN \'b\' ELSE \'B\' END AS c FROM t UNION ALL SELECT ?, \'_\' UNION ALL SELECT ?, \'a\') ORDER BY v, c', ['b', 'B', '_']],
  ['ORDER BY a table column and a computed text', "SELECT w, w || '' AS c FROM words ORDER BY w || '', w"],
  ['min()/max() of text columns and of expressions', "SELECT min(w) AS a, max(w) AS b, min(w || '') AS c, max(lower(w) || w) AS d FROM words"],
  ['comparisons of text literals and expressions', "SELECT 'a' < 'B' AS a, 'Z' > '_' AS b, lower('A') < 'B' AS c, ? < 'B' AS d, 'Z' <= ? AS e", ['a', 'a']],
  ['text column compared with a literal', "SELECT w FROM words WHERE w > 'Z' ORDER BY w"],
  ['GROUP BY a computed text, DISTINCT ordered by an expression', "SELECT 'k' || name AS k, count(*) AS n FROM t GROUP BY 'k' || name ORDER BY 1"],
  ['SELECT DISTINCT ordered by the same expression', 'SELECT DISTINCT lower(name) AS k FROM t ORDER BY lower(name)'],
  ['GROUP BY and DISTINCT on text, ordered', "SELECT w, count(*) AS n FROM (SELECT w FROM words UNION ALL SELECT upper(w) FROM words) GROUP BY w ORDER BY w"],
  ['scalar max()/min() of text', "SELECT max('a', 'B') AS a, min('a', 'B') AS b, max(w, 'a') AS c FROM words ORDER BY w"],
  // 9. Multi-argument max()/min() with a NULL argument.
  ['scalar max()/min() are NULL when an argument is NULL', 'SELECT max(1, NULL) AS a, min(NULL, 2) AS b, max(x, 3) AS c, min(x, r, 50) AS d FROM t ORDER BY id'],
  // 10. Date functions take SQLite's time values only.
  ...['epoch', 'today', 'infinity', 'now ', 'Jan 5 2024', '2024/01/02', '2024-1-2', '2024-13-01', '2024-01-02 03:04:60', '2024-01-02X', '', null].map((v) => [
    `PostgreSQL-only time value ${JSON.stringify(v)} is NULL`, 'SELECT datetime(?) AS a, date(?) AS b, time(?) AS c, julianday(?) AS d, strftime(\'%Y\', ?) AS e', [v, v, v, v, v]]),
  ...['2024-01-02T03:04:05+02:00', '2024-01-02 03:04:05 -01:30', '2024-01-02T03:04:05.123Z', '2024-01-02  03:04', '2024-02-30', '12:30', '12:30:15.5-01:00', '2460000.5', ' 2460000 '].map((v) => [
    `SQLite time value ${JSON.stringify(v)}`, 'SELECT datetime(?) AS a, date(?) AS b, time(?) AS c, julianday(?) AS d', [v, v, v, v]]),
  ['month and year modifiers roll a day past the month\'s end over', "SELECT date('2024-01-31', '+1 month') AS a, date('2024-02-29', '+1 year') AS b, datetime('2024-03-31 10:00:00', '-1 month') AS c, date('2024-01-15', '-13 months') AS d"],
  // 11. CAST and avg() of text.
  ["CAST('12abc' AS INTEGER) reads the leading number", "SELECT CAST('12abc' AS INTEGER) AS a, CAST('  -7.9xyz' AS INTEGER) AS b, CAST('abc' AS INTEGER) AS c, CAST('' AS INTEGER) AS d, CAST(name AS INTEGER) AS e FROM t ORDER BY id"],
  ['CAST text AS REAL reads the leading number', "SELECT CAST('3.5e1x' AS REAL) AS a, CAST('.5' AS REAL) AS b, CAST('x' AS REAL) AS c, CAST(name AS REAL) AS e FROM t ORDER BY id"],
  ['avg(), sum(), total() of a text column read numbers as SQLite does', 'SELECT avg(name) AS a, sum(name) AS s, total(name) AS t FROM t'],
];

/** [name, sql, params]: refused at prepare (no exact translation). */
const REFUSED = [
  ['integer division of text read as a number (an integer or a real per row)', 'SELECT name / 2 AS a FROM t'],
  ['a bare column beside max() (SQLite takes it from the row holding the maximum)', 'SELECT name, max(x) AS m FROM t'],
  ['a bare column in a GROUP BY query', 'SELECT flag, name, count(*) AS n FROM t GROUP BY flag'],
  ['integer division of a COALESCE mixing an integer and a real (the type differs per row)', 'SELECT COALESCE(43, -AVG(67)) / -60 AS a'],
];

for (const [name, sql, params = []] of SAME) {
  test(`same answer: ${name}`, (t) => {
    const { sqlite, pgdb } = open();
    const expected = answer(sqlite, sql, params);
    t.is(expected.error, undefined, `SQLite itself fails: ${expected.message}`);
    t.deepEqual(answer(pgdb, sql, params), expected, sql);
  });
}

for (const [name, sql, params = []] of REFUSED) {
  test(`refused at prepare: ${name}`, (t) => {
    const { sqlite, pgdb } = open();
    t.notThrows(() => sqlite.prepare(sql).all(...params));
    const error = t.throws(() => pgdb.prepare(sql), { instanceOf: TranslationError });
    t.regex(error.message, /Cannot translate/);
  });
}

test('a REAL read as text has SQLite\'s digits (up to 17, shortened as SQLite shortens), not PostgreSQL\'s shortest form', (t) => {
  const { sqlite, pgdb } = open();
  const sql = "SELECT CAST(1.0 / 3 AS TEXT) AS a, CAST(0.1 + 0.2 AS TEXT) AS b, 1e20 || '' AS c, CAST(-2.5e-7 AS TEXT) AS d, CAST(1e15 AS TEXT) AS e, CAST(0.7999999999999999 AS TEXT) AS f, CAST(1e300 * 10 AS TEXT) AS g, CAST(2.2250738585072014e-308 AS TEXT) AS h";
  const expected = answer(sqlite, sql, []);
  t.is(expected.rows[0].a, '0.33333333333333332');
  t.deepEqual(answer(pgdb, sql, []), expected);
});

test('a column declared without a type: no declared type in columns() and PRAGMA table_info, no affinity in comparisons', (t) => {
  const { sqlite, pgdb } = open();
  const sql = 'SELECT id, u, t, u = 10 AS a, t = 10 AS b, u > 5 AS c FROM loose ORDER BY id';
  const columns = (db) => db.prepare(sql).columns().map((c) => [c.name, c.type]);
  t.deepEqual(columns(pgdb), columns(sqlite));
  t.deepEqual(columns(sqlite)[1], ['u', null]);
  t.deepEqual(answer(pgdb, sql, []), answer(sqlite, sql, []));
  const info = (db) => db.pragma('table_info(loose)').map((c) => [c.name, c.type]);
  t.deepEqual(info(pgdb), info(sqlite));
});

test('SUM beyond 64 bits is SQLite\'s "integer overflow" error', (t) => {
  const { sqlite, pgdb } = open();
  const sql = 'SELECT SUM(v) AS s FROM big';
  const expected = answer(sqlite, sql, []);
  t.is(expected.message, 'integer overflow');
  const actual = answer(pgdb, sql, []);
  t.is(actual.error, expected.error);
  t.is(actual.message, expected.message);
});
