// Rows read from PostgreSQL come back as better-sqlite3 returns the same rows from SQLite.
import test from 'ava';
import pg from 'pg';
import { createRequire } from 'node:module';
import { createTestDatabase } from './helpers/pg.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { RowShaper, rawTextTypes, shapeRows, coerceParam, SESSION_OPTIONS } = require('../dist/backends/postgres/values/index.js');
const { REGISTRY_SQLITE_DDL, createRegistrySchema, setTimestampFormats, timestampFormatFromComment } = require('../dist/schema/index.js');

const SCHEMA = 'engine_registry';

/** A SchemaCatalog read straight from pg_catalog (enough for the shaper: oids, positions, formats). */
async function readCatalog(client) {
  const { rows } = await client.query(
    `SELECT c.oid::int AS oid, c.relname AS table, a.attname AS column, a.attnum AS position,
            format_type(a.atttypid, a.atttypmod) AS type, col_description(c.oid, a.attnum) AS comment
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname, a.attnum`,
    [SCHEMA],
  );
  const tables = new Map();
  for (const r of rows) {
    if (!tables.has(r.table)) tables.set(r.table, { name: r.table, oid: r.oid, columns: [], primaryKey: [], uniqueKeys: [], foreignKeys: [] });
    tables.get(r.table).columns.push({
      name: r.column, type: r.type, notNull: false, default: null, position: r.position,
      timestampFormat: timestampFormatFromComment(r.comment),
    });
  }
  return { schema: SCHEMA, tables };
}

const AGENTS = [
  ['a1', 'alpha', '1.0.0', '/a', '{"x":[1,2]}', 128, 9007199254740993n, '2024-01-02 03:04:05', '2024-01-02T03:04:05.678Z'],
  ['a2', 'Beta', '1.0.0', '/b', null, 256, -5n, '2024-02-03 04:05:06', '2024-02-03T04:05:06.000Z'],
];

async function setup(t) {
  const { url } = await createTestDatabase(t);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  t.teardown(() => admin.end());
  await createRegistrySchema(admin, SCHEMA);
  await setTimestampFormats(admin, SCHEMA, { 'agents.updated_at': 'iso' });
  const catalog = await readCatalog(admin);

  // The connection the backend would use: raw text out, our session settings, far from UTC to prove they matter.
  const client = new pg.Client({ connectionString: url, types: rawTextTypes, options: SESSION_OPTIONS });
  await client.connect();
  t.teardown(() => client.end());
  await client.query(`SET search_path = ${SCHEMA}`);

  const sqlite = new Database(':memory:');
  t.teardown(() => sqlite.close());
  sqlite.exec(REGISTRY_SQLITE_DDL);

  const targets = ['text', 'text', 'text', 'text', 'jsonb', 'bigint', 'bigint', 'timestamp with time zone', 'timestamp with time zone'];
  const columns = 'id, name, version, path, capabilities, memory_mb, timeout_seconds, created_at, updated_at';
  for (const row of AGENTS) {
    sqlite.prepare(`INSERT INTO agents (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(row);
    await client.query(`INSERT INTO agents (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, row.map((v, i) => coerceParam(v, { targetType: targets[i] })));
  }
  const workflow = ['w1', 'flow', '1', '/w', '[{"id":"s1"}]', 1];
  sqlite.prepare('INSERT INTO workflows (id, name, version, path, steps, enabled) VALUES (?, ?, ?, ?, ?, ?)').run(workflow);
  await client.query('INSERT INTO workflows (id, name, version, path, steps, enabled) VALUES ($1, $2, $3, $4, $5, $6)',
    workflow.map((v, i) => coerceParam(v, { targetType: ['text', 'text', 'text', 'text', 'jsonb', 'boolean'][i] })));
  const secret = ['s1', 'w1', 'token', Buffer.from([0, 1, 2, 250, 255])];
  sqlite.prepare('INSERT INTO secrets (id, workflow_id, name, encrypted_value) VALUES (?, ?, ?, ?)').run(secret);
  await client.query('INSERT INTO secrets (id, workflow_id, name, encrypted_value) VALUES ($1, $2, $3, $4)', secret);

  const both = async (sql, { mode = 'object', safeIntegers = false, pgSql = sql, columnNames } = {}) => {
    let stmt = sqlite.prepare(sql).safeIntegers(safeIntegers);
    if (mode === 'raw') stmt = stmt.raw();
    if (mode === 'pluck') stmt = stmt.pluck();
    if (mode === 'expand') stmt = stmt.expand();
    const result = await client.query({ text: pgSql, rowMode: 'array' });
    const shaped = new RowShaper(result.fields, catalog, columnNames).rows(result.rows, mode, safeIntegers);
    return { sqlite: stmt.all(), postgres: shaped, fields: result.fields };
  };
  return { both, client, catalog };
}

test('objects: text, JSON text, integers, timestamps in each column\'s SQLite format', async (t) => {
  const { both } = await setup(t);
  const r = await both('SELECT id, name, capabilities, memory_mb, timeout_seconds, created_at, updated_at, runtime FROM agents ORDER BY id');
  t.deepEqual(r.postgres, r.sqlite);
  t.is(r.postgres[0].timeout_seconds, 9007199254740992); // beyond 2^53: a rounded number, as better-sqlite3 gives
});

test('safeIntegers: BIGINT and BOOLEAN as BigInt, doubles stay numbers', async (t) => {
  const { both } = await setup(t);
  const agents = await both('SELECT memory_mb, timeout_seconds FROM agents ORDER BY id', { safeIntegers: true });
  t.deepEqual(agents.postgres, agents.sqlite);
  t.is(agents.postgres[0].timeout_seconds, 9007199254740993n);
  const flags = await both('SELECT enabled FROM workflows', { safeIntegers: true });
  t.deepEqual(flags.postgres, flags.sqlite);
  t.deepEqual(flags.postgres, [{ enabled: 1n }]);
});

test('BOOLEAN as 1/0, JSON NOT NULL text, BYTEA as Buffer', async (t) => {
  const { both } = await setup(t);
  const w = await both('SELECT enabled, steps FROM workflows');
  t.deepEqual(w.postgres, w.sqlite);
  const s = await both('SELECT encrypted_value FROM secrets');
  t.deepEqual(s.postgres, s.sqlite);
  t.true(Buffer.isBuffer(s.postgres[0].encrypted_value));
});

test('aggregates: COUNT, SUM, AVG, MAX come back as numbers, under SQLite\'s column names', async (t) => {
  const { both } = await setup(t);
  const sql = 'SELECT COUNT(*), SUM(memory_mb), AVG(memory_mb), MAX(memory_mb) FROM agents';
  const r = await both(sql, { pgSql: 'SELECT COUNT(*), SUM(memory_mb), AVG(memory_mb), MAX(memory_mb) FROM agents', columnNames: ['COUNT(*)', 'SUM(memory_mb)', 'AVG(memory_mb)', 'MAX(memory_mb)'] });
  t.deepEqual(r.postgres, r.sqlite);
  t.deepEqual(r.postgres, [{ 'COUNT(*)': 2, 'SUM(memory_mb)': 384, 'AVG(memory_mb)': 192, 'MAX(memory_mb)': 256 }]);
});

test('text sorts by byte, as SQLite\'s BINARY collation: "Beta" before "alpha"', async (t) => {
  const { both } = await setup(t);
  const r = await both('SELECT name FROM agents ORDER BY name', { mode: 'pluck' });
  t.deepEqual(r.postgres, r.sqlite);
  t.deepEqual(r.postgres, ['Beta', 'alpha']);
});

test('raw and pluck modes', async (t) => {
  const { both } = await setup(t);
  const raw = await both('SELECT id, memory_mb, created_at FROM agents ORDER BY id', { mode: 'raw' });
  t.deepEqual(raw.postgres, raw.sqlite);
  const pluck = await both('SELECT updated_at FROM agents ORDER BY id', { mode: 'pluck' });
  t.deepEqual(pluck.postgres, pluck.sqlite);
  t.deepEqual(pluck.postgres, ['2024-01-02T03:04:05.678Z', '2024-02-03T04:05:06.000Z']);
});

test('expand mode nests by table name, expressions under "$"', async (t) => {
  const { both } = await setup(t);
  const sql = 'SELECT a.id, w.id, a.memory_mb + 1 AS next, w.enabled FROM agents a, workflows w ORDER BY a.id';
  const r = await both(sql, { mode: 'expand' });
  t.deepEqual(r.postgres, r.sqlite);
  t.deepEqual(r.postgres[0], { agents: { id: 'a1' }, workflows: { id: 'w1', enabled: 1 }, $: { next: 129 } });
});

test('duplicate column names: the last one wins, as in better-sqlite3', async (t) => {
  const { both } = await setup(t);
  const r = await both('SELECT id, name AS id FROM agents ORDER BY name');
  t.deepEqual(r.postgres, r.sqlite);
  t.deepEqual(r.postgres, [{ id: 'Beta' }, { id: 'alpha' }]);
});

test('timestamp expressions with no column are SQLite text; fractions kept to the millisecond; DATE as YYYY-MM-DD', async (t) => {
  const { client, catalog } = await setup(t);
  await client.query("SET TimeZone = 'America/St_Johns'"); // -03:30: the shaper must not depend on UTC sessions
  const result = await client.query({
    text: `SELECT now() AS now, '2024-01-02 03:04:05.5+00'::timestamptz AS half, '2024-01-02 03:04:05.123456+00'::timestamptz AS micro,
                  '2024-01-02 03:04:05+02'::timestamptz AS shifted, '2024-01-02 03:04:05.25'::timestamp AS plain,
                  '2024-01-02'::date AS day, 'infinity'::timestamptz AS forever, created_at, updated_at
             FROM engine_registry.agents WHERE id = 'a1'`,
    rowMode: 'array',
  });
  const [row] = shapeRows(result.fields, result.rows, catalog, { mode: 'object', safeIntegers: false });
  t.regex(row.now, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{3})?$/);
  t.is(row.half, '2024-01-02 03:04:05.500');
  t.is(row.micro, '2024-01-02 03:04:05.123');
  t.is(row.shifted, '2024-01-02 01:04:05');
  t.is(row.plain, '2024-01-02 03:04:05.250');
  t.is(row.day, '2024-01-02');
  t.is(row.forever, 'infinity');
  t.is(row.created_at, '2024-01-02 03:04:05');
  t.is(row.updated_at, '2024-01-02T03:04:05.678Z');
});

test('NULLs stay null in every mode', async (t) => {
  const { both } = await setup(t);
  for (const mode of ['object', 'raw', 'pluck', 'expand']) {
    const r = await both("SELECT capabilities, description FROM agents WHERE id = 'a2'", { mode });
    t.deepEqual(r.postgres, r.sqlite, mode);
  }
});
