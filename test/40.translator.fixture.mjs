// Shared by the 40.translator.* tests: the registry's SQLite schema, a PostgreSQL database built by
// translating it, a SQLite twin with the same rows, and a minimal binder/shaper so rows compare.
import { createRequire } from 'node:module';
import pg from 'pg';
import { createTestDatabase } from './helpers/pg.mjs';

const require = createRequire(import.meta.url);
export const translator = require('../dist/translator/index.js');
export const { loadCatalog } = require('../dist/schema/index.js');
const { jsonScalar } = require('../dist/backends/postgres/values/index.js');
const Database = require('better-sqlite3');

export const SCHEMA = 'engine_registry';

/** The registry's 8 tables, as the migration plan gives them (SQLite dialect). */
export const REGISTRY_DDL = translator.splitStatements(require('../dist/schema/index.js').REGISTRY_SQLITE_DDL);

/** Rows both databases start with (literal SQLite INSERTs, translated for PostgreSQL). */
export const SEED = [
  `INSERT INTO workflows (id, name, version, path, steps, enabled, tags, created_at, updated_at) VALUES
     ('wf1', 'deploy', '1.0', '/w/deploy', '[{"id":"a"},{"id":"b"}]', 1, '["ops","prod"]', '2024-01-01 10:00:00', '2024-01-01 10:00:00'),
     ('wf2', 'Build', '2.0', '/w/build', '[]', 0, '["ci"]', '2024-01-02 10:00:00', '2024-01-02 10:00:00'),
     ('wf3', 'audit', '1.0', '/w/audit', '[]', 1, NULL, '2024-01-03 10:00:00', '2024-01-03 10:00:00')`,
  `INSERT INTO agents (id, name, version, path, capabilities, memory_mb, tags, created_at, updated_at) VALUES
     ('ag1', 'coder', '1.0', '/a/coder', '{"lang":"js","level":3,"gpu":true,"opts":{"x":1}}', 256, '["a","b"]', '2024-01-01 09:00:00', '2024-01-01 09:00:00'),
     ('ag2', 'Tester', '1.0', '/a/tester', '{"lang":"py","level":1,"gpu":false}', 128, '[]', '2024-01-01 11:00:00', '2024-01-01 11:00:00'),
     ('ag3', 'reviewer', '2.1', '/a/rev', NULL, 512, NULL, '2024-01-02 08:00:00', '2024-01-02 08:00:00')`,
  `INSERT INTO workflow_runs (id, workflow_id, status, step_results, total_vm_time_ms, started_at, created_at) VALUES
     ('r1', 'wf1', 'completed', '{"a":{"ok":true}}', 5000000000, '2024-01-05 10:00:00', '2024-01-05 10:00:00'),
     ('r2', 'wf1', 'running', '{}', 10, '2024-01-06 10:00:00', '2024-01-06 10:00:00'),
     ('r3', 'wf2', 'failed', '{}', NULL, NULL, '2024-01-07 10:00:00')`,
  `INSERT INTO step_executions (id, run_id, step_id, agent_id, status, vm_id, duration_ms, queued_at) VALUES
     ('s1', 'r1', 'a', 'ag1', 'completed', '2.0', 100, '2024-01-05 10:00:00'),
     ('s2', 'r1', 'b', 'ag2', 'completed', '3.0', 250, '2024-01-05 10:01:00'),
     ('s3', 'r2', 'a', 'ag1', 'running', NULL, NULL, '2024-01-06 10:00:00')`,
  `INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at, status, heartbeat_at) VALUES
     ('2.0', 'T-1', '2024-01-05 10:00:00', 'running', '2024-01-05 10:05:00'),
     ('7.0', 'T-2', '2024-01-05T11:00:00.000Z', 'idle', NULL)`,
  `INSERT INTO triggers (id, workflow_id, type, webhook_path, enabled, created_at) VALUES
     ('t1', 'wf1', 'webhook', '/hooks/a', 1, '2024-01-01 10:00:00'),
     ('t2', 'wf2', 'cron', NULL, 0, '2024-01-01 10:00:00')`,
  `INSERT INTO secrets (id, workflow_id, name, encrypted_value, created_at, updated_at) VALUES
     ('sec1', 'wf1', 'TOKEN', X'DEADBEEF', '2024-01-01 10:00:00', '2024-01-01 10:00:00')`,
];

/** A fixed 'now' for PostgreSQL (SQLite uses its clock: rows that depend on it are not compared). */
export const NOW = new Date('2024-06-15T12:34:56.789Z');

const { types } = pg;
const parsers = {
  16: (v) => (v === 't' ? 1 : 0), // BOOLEAN → 1/0
  20: Number, 21: Number, 23: Number, 700: Number, 701: Number, 1700: Number,
  1184: (v) => v.replace(/\+00$/, ''), // TIMESTAMPTZ in UTC → SQLite's text
  17: (v) => Buffer.from(v.slice(2), 'hex'),
};
const typeParser = (oid, format) => parsers[oid] ?? ((v) => v) ?? types.getTypeParser(oid, format);

/** Both databases, seeded; call close() when done (test.after.always). */
export async function openDatabases() {
  const { url, drop } = await createTestDatabase();
  const client = new pg.Client({ connectionString: url, types: { getTypeParser: typeParser } });
  await client.connect();
  await client.query(`CREATE SCHEMA ${SCHEMA}; SET search_path TO ${SCHEMA}; SET TIME ZONE 'UTC'`);
  // The schema's functions the translations call (SQLite's REAL text, the store functions).
  await client.query(require('../dist/backends/postgres/core/index.js').ensureSchemaSql(SCHEMA).create);
  let catalog = { schema: SCHEMA, tables: new Map() };
  for (const ddl of REGISTRY_DDL) await client.query(translator.translate(ddl, catalog).text);
  catalog = await loadCatalog(client, SCHEMA);
  const sqlite = new Database(':memory:');
  for (const ddl of REGISTRY_DDL) sqlite.exec(ddl);
  for (const seed of SEED) {
    sqlite.exec(seed);
    await client.query(translator.translate(seed, catalog).text);
  }
  const db = {
    client, sqlite, catalog,
    reloadCatalog: async () => (db.catalog = await loadCatalog(client, SCHEMA)),
    close: async () => {
      sqlite.close();
      await client.end();
      await drop();
    },
  };
  return db;
}

/** The value SQLite would store: better-sqlite3 binds a JS number as REAL (2 into TEXT is '2.0'). */
function bindValue(value, slot) {
  if (slot.targetType === 'text' && typeof value === 'number') return Number.isInteger(value) ? value.toFixed(1) : String(value);
  if (slot.targetType === 'boolean' && typeof value === 'number') return value !== 0;
  return value;
}

export function pgValues(translation, params = []) {
  const list = Array.isArray(params) ? params : [];
  const named = Array.isArray(params) ? list.find((p) => p && typeof p === 'object' && !Buffer.isBuffer(p)) ?? {} : params;
  const positional = list.filter((p) => !(p && typeof p === 'object' && !Buffer.isBuffer(p)));
  return translation.slots.map((slot) => {
    if (slot.source.kind === 'now') return NOW;
    const v = slot.source.kind === 'positional' ? positional[slot.source.index] : named[slot.source.name];
    return bindValue(v, slot);
  });
}

/** Runs a translation on PostgreSQL: { rows, changes }. */
export async function runPg(db, translation, params) {
  // The tests of a file run concurrently on one client: queue their queries, one at a time.
  const turn = (db.queue ?? Promise.resolve()).then(() => db.client.query(translation.text, pgValues(translation, params)));
  db.queue = turn.catch(() => undefined);
  const r = await turn;
  const fields = (r.fields ?? []).map((f) => f.name);
  // json_extract()/->> result columns come as jsonb: the backend's shaper gives SQLite's value.
  for (const i of translation.jsonScalarColumns ?? []) {
    for (const row of r.rows ?? []) if (row[fields[i]] !== null) row[fields[i]] = jsonScalar(row[fields[i]]);
  }
  return { rows: r.rows ?? [], changes: r.rowCount ?? 0, fields };
}

/** Runs the statement on SQLite: { rows, changes }. */
export function runSqlite(db, sql, params = []) {
  const stmt = db.sqlite.prepare(sql);
  const args = Array.isArray(params) ? params : [params];
  if (stmt.reader) {
    const rows = stmt.all(...args);
    return { rows, changes: 0, fields: stmt.columns().map((c) => c.name) };
  }
  return { rows: [], changes: stmt.run(...args).changes };
}

/** Light normalisation so equal answers compare equal: JSON by value, numbers by value. */
export function normalize(value) {
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (typeof value === 'string' && /^[[{]/.test(value)) {
    try { return JSON.parse(value); } catch { return value; }
  }
  return value;
}

/** loose: numbers compare by value whether they came as text or as numbers (JSON scalars on PostgreSQL). */
export function normalizeRows(rows, { ordered = true, drop = [], loose = false } = {}) {
  const value = (v) => (loose && typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : normalize(v));
  const out = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k)).map(([k, v]) => [k, value(v)])));
  return ordered ? out : out.map((r) => JSON.stringify(r)).sort();
}
