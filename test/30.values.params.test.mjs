// coerceParam sends what SQLite would have stored: checked against a real SQLite, then a real PostgreSQL.
import test from 'ava';
import { createRequire } from 'node:module';
import { createTestDatabase, withClient } from './helpers/pg.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { coerceParam, sqliteRealText } = require('../dist/backends/postgres/values/index.js');

const sqlite = new Database(':memory:');
sqlite.exec('CREATE TABLE t (x TEXT)');
const store = sqlite.prepare('INSERT INTO t (x) VALUES (?) RETURNING typeof(x) AS type, x');
test.after.always(() => sqlite.close());

const text = { targetType: 'text' };

const numbers = [
  0, -0, 1, 2, -2, 2.5, 0.1, 0.2 + 0.1, 1 / 3, 2 / 3, 100, 1e15, 1e16, 1e17, 1e20, 1e21, 1e22, 1e23, 1e-4, 1e-5, 1.5e-7,
  123456789012345680000, 12345.678, 49.47, 3.14159265358979, Math.PI, Math.E, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64,
  Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.MAX_VALUE, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
  Infinity, -Infinity, NaN, 4.35, 0.3, 99.99, 1234567.891, -0.000123, 9.999999999999999e22, 7e-10,
];

test('a number bound into a TEXT column: the same text SQLite stores (REAL text, 2 -> "2.0")', (t) => {
  for (const value of numbers) {
    const row = store.get(value);
    t.is(coerceParam(value, text), row.type === 'null' ? null : row.x, `for ${value}`);
  }
});

test('random doubles of every magnitude come out as SQLite prints them', (t) => {
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  let checked = 0;
  for (let i = 0; i < 20000; i++) {
    u[0] = (Math.random() * 2 ** 32) >>> 0;
    u[1] = (Math.random() * 2 ** 32) >>> 0;
    const value = i % 2 ? f[0] : Math.random() * 10 ** Math.floor(Math.random() * 30 - 15);
    if (!Number.isFinite(value)) continue;
    const expected = store.get(value).x;
    if (sqliteRealText(value) !== expected) t.fail(`${value}: SQLite "${expected}", got "${sqliteRealText(value)}"`);
    checked++;
  }
  t.true(checked > 15000);
});

test('bigints, strings, null and undefined into TEXT are stored as SQLite stores them', (t) => {
  for (const value of [0n, 2n, -5n, 2n ** 63n - 1n, -(2n ** 63n), '', 'abc', '2', 'é✓', null, undefined]) {
    const row = store.get(value);
    t.is(coerceParam(value, text), row.type === 'null' ? null : row.x, `for ${String(value)}`);
  }
});

test('Buffers and other typed arrays are sent as their bytes', (t) => {
  t.deepEqual(coerceParam(Buffer.from([1, 2]), { targetType: 'bytea' }), Buffer.from([1, 2]));
  const floats = new Float64Array([1]);
  t.deepEqual(coerceParam(floats, { targetType: 'bytea' }), Buffer.from(floats.buffer));
  t.deepEqual(coerceParam('hé', { targetType: 'bytea' }), Buffer.from('hé'));
});

test('per target type: integers, booleans, JSON, doubles, no target, and the "now" Date', (t) => {
  t.is(coerceParam(2, { targetType: 'bigint' }), '2');
  t.is(coerceParam(2 ** 62, { targetType: 'bigint' }), '4611686018427387904');
  t.is(coerceParam(12n, { targetType: 'bigint' }), '12');
  t.is(coerceParam('7', { targetType: 'bigint' }), '7');
  t.is(coerceParam(1, { targetType: 'boolean' }), 'true');
  t.is(coerceParam(0, { targetType: 'boolean' }), 'false');
  t.is(coerceParam(0n, { targetType: 'boolean' }), 'false');
  t.is(coerceParam(2.5, { targetType: 'jsonb' }), '2.5');
  t.is(coerceParam('{"a":1}', { targetType: 'jsonb' }), '{"a":1}');
  t.is(coerceParam(0.1, { targetType: 'double precision' }), '0.1');
  t.is(coerceParam(2, {}), '2');
  t.is(coerceParam(NaN, {}), null);
  t.is(coerceParam(new Date('2024-01-02T03:04:05.678Z'), { targetType: 'timestamp with time zone' }), '2024-01-02T03:04:05.678Z');
});

test('a number into a TIMESTAMPTZ column is refused with SQLITE_MISMATCH, naming the column', (t) => {
  // better-sqlite3's SqliteError is not a native Error to ava's t.throws, hence the try/catch.
  let error;
  try { coerceParam(1700000000000, { targetType: 'timestamp with time zone', targetColumn: { table: 'agents', column: 'created_at' } }); } catch (e) { error = e; }
  t.true(error instanceof Error);
  t.is(error.code, 'SQLITE_MISMATCH');
  t.regex(error.message, /agents\.created_at/);
  t.regex(error.message, /toISOString/);
});

test('on PostgreSQL: coerced values land in each column type as SQLite would hold them', async (t) => {
  const { url } = await createTestDatabase(t);
  await withClient(url, async (c) => {
    // A session far from UTC: zone-less timestamps must still be read as UTC, as SQLite reads them.
    await c.query("SET TimeZone = 'Asia/Kolkata'");
    await c.query('CREATE TABLE v (t TEXT, i BIGINT, b BOOLEAN, j JSONB, y BYTEA, ts TIMESTAMPTZ)');
    const insert = (values) => c.query('INSERT INTO v VALUES ($1, $2, $3, $4, $5, $6)', values);
    const targets = ['text', 'bigint', 'boolean', 'jsonb', 'bytea', 'timestamp with time zone'];
    const row = (...values) => values.map((v, i) => coerceParam(v, { targetType: targets[i] }));
    await insert(row(2, 2, 1, 2.5, Buffer.from([0, 255]), '2024-01-02 03:04:05'));
    await insert(row(0.1, 2n ** 62n, 0, '{"a": [1]}', 'text', '2024-01-02T03:04:05.678Z'));
    await insert(row(null, undefined, NaN, null, null, null));
    const { rows } = await c.query(`SELECT t, i::text, b, j::text, encode(y, 'hex') AS y,
      to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS ts FROM v ORDER BY ctid`);
    t.deepEqual(rows, [
      { t: '2.0', i: '2', b: true, j: '2.5', y: '00ff', ts: '2024-01-02 03:04:05.000' },
      { t: '0.1', i: '4611686018427387904', b: false, j: '{"a": [1]}', y: '74657874', ts: '2024-01-02 03:04:05.678' },
      { t: null, i: null, b: null, j: null, y: null, ts: null },
    ]);
    // A lookup by a VM id bound as a number finds the row SQLite's binding created.
    const found = await c.query('SELECT count(*)::int AS n FROM v WHERE t = $1', [coerceParam(2, text)]);
    t.is(found.rows[0].n, 1);
  });
});
