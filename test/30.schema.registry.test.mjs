// The registry schema: SQLite DDL as planned, PostgreSQL DDL per the type mapping (docs/api.md, Column types), idempotent and race-safe.
import test from 'ava';
import { createRequire } from 'node:module';
import { createTestDatabase, withClient } from './helpers/pg.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const registry = require('../dist/schema/index.js');
const { REGISTRY_SQLITE_DDL, REGISTRY_TABLES, REGISTRY_TABLE_DEFS, registryDdl, createRegistrySchema, setTimestampFormats, learnTimestampFormat } = registry;

test('the SQLite DDL creates the 8 tables, and the parsed model matches what SQLite reports', (t) => {
  const db = new Database(':memory:');
  t.teardown(() => db.close());
  db.exec(REGISTRY_SQLITE_DDL);
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid").pluck().all();
  t.deepEqual(names, [...REGISTRY_TABLES]);
  for (const table of REGISTRY_TABLE_DEFS) {
    const info = db.pragma(`table_info(${table.name})`);
    t.deepEqual(
      table.columns.map((c) => [c.name, c.declaredType, c.notNull, c.primaryKey, c.default ?? null]),
      info.map((c) => [c.name, c.type, c.notnull === 1, c.pk === 1, c.dflt_value]),
      table.name,
    );
    const fks = db.pragma(`foreign_key_list(${table.name})`).map((f) => [f.from, f.table, f.to]);
    t.deepEqual(table.columns.filter((c) => c.references).map((c) => [c.name, c.references.table, c.references.column]), fks.reverse(), table.name);
  }
});

async function columnsOf(client) {
  const { rows } = await client.query(`
    SELECT table_name, column_name, data_type, is_nullable, column_default, collation_name
      FROM information_schema.columns WHERE table_schema = 'engine_registry' ORDER BY table_name, ordinal_position`);
  return rows;
}

test('PostgreSQL: all tables with the type mapping, C collation on text, keys and deferrable foreign keys', async (t) => {
  const { url } = await createTestDatabase(t);
  await withClient(url, async (c) => {
    await createRegistrySchema(c, 'engine_registry');
    const columns = await columnsOf(c);
    const col = (table, name) => columns.find((r) => r.table_name === table && r.column_name === name);
    t.deepEqual([...new Set(columns.map((r) => r.table_name))].sort(), [...REGISTRY_TABLES].sort());
    t.is(col('agents', 'capabilities').data_type, 'jsonb');
    t.is(col('agents', 'memory_mb').data_type, 'bigint');
    t.is(col('agents', 'memory_mb').column_default, '128');
    t.is(col('agents', 'created_at').data_type, 'timestamp with time zone');
    t.is(col('agents', 'created_at').column_default, "date_trunc('second'::text, now())");
    t.is(col('workflow_runs', 'started_at').column_default, null);
    t.is(col('workflow_runs', 'step_results').column_default, "'{}'::jsonb");
    t.is(col('workflows', 'enabled').data_type, 'boolean');
    t.is(col('workflows', 'enabled').column_default, 'true');
    t.is(col('workflows', 'steps').is_nullable, 'NO');
    t.is(col('secrets', 'encrypted_value').data_type, 'bytea');
    t.is(col('vm_assignments', 'assigned_at').data_type, 'text'); // TEXT stays TEXT, even holding timestamps
    for (const r of columns.filter((r) => r.data_type === 'text')) t.is(r.collation_name, 'C', `${r.table_name}.${r.column_name}`);

    const { rows: constraints } = await c.query(`
      SELECT conrelid::regclass::text AS table, contype, condeferrable, condeferred,
             (SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute WHERE attrelid = conrelid AND attnum = ANY(conkey)) AS columns
        FROM pg_constraint WHERE connamespace = 'engine_registry'::regnamespace ORDER BY 1, 2, 5`);
    const of = (type) => constraints.filter((r) => r.contype === type).map((r) => `${r.table.replace('engine_registry.', '')}(${r.columns.join(',')})`);
    t.deepEqual(of('p').sort(), REGISTRY_TABLES.map((n) => `${n}(${n === 'vm_assignments' ? 'vm_id' : 'id'})`).sort());
    t.deepEqual(of('u').sort(), ['agents(name,version)', 'secrets(workflow_id,name)', 'triggers(webhook_path)', 'workflows(name,version)']);
    t.deepEqual(of('f').sort(), ['secrets(workflow_id)', 'step_executions(agent_id)', 'step_executions(run_id)', 'triggers(workflow_id)', 'workflow_runs(workflow_id)']);
    for (const fk of constraints.filter((r) => r.contype === 'f')) t.true(fk.condeferrable && !fk.condeferred, fk.table);
  });
});

test('creating the schema twice, and from 6 connections at once, succeeds', async (t) => {
  const { url } = await createTestDatabase(t);
  await withClient(url, (c) => createRegistrySchema(c));
  await withClient(url, (c) => createRegistrySchema(c));
  const other = 'other_registry';
  await Promise.all(Array.from({ length: 6 }, () => withClient(url, (c) => createRegistrySchema(c, other))));
  const { rows } = await withClient(url, (c) => c.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1", [other]));
  t.is(rows[0].n, 8);
});

test('a schema name that is not a plain identifier is refused before any SQL', (t) => {
  for (const bad of ['', 'a b', 'x"; DROP TABLE agents; --', '1abc', 'a'.repeat(64)]) {
    t.throws(() => registryDdl(bad), { instanceOf: TypeError, message: /Invalid PostgreSQL schema name/ });
  }
  t.is(registryDdl('engine_registry')[0], 'CREATE SCHEMA IF NOT EXISTS "engine_registry"');
});

test('learnTimestampFormat: the majority of the values decides, ties and no data are sqlite', (t) => {
  t.is(learnTimestampFormat(['2024-01-02T03:04:05.678Z', '2024-01-02T03:04:05.000Z', '2024-01-02 03:04:05']), 'iso');
  t.is(learnTimestampFormat(['2024-01-02T03:04:05.678Z', '2024-01-02 03:04:05']), 'sqlite');
  t.is(learnTimestampFormat(['2024-01-02 03:04:05', null, 'garbage', 42]), 'sqlite');
  t.is(learnTimestampFormat([]), 'sqlite');
  t.is(learnTimestampFormat([null, '2024-01-02T03:04:05Z']), 'iso');
});

test('setTimestampFormats records the format in the column comment, keeping other comment text', async (t) => {
  const { url } = await createTestDatabase(t);
  await withClient(url, async (c) => {
    await createRegistrySchema(c);
    await c.query("COMMENT ON COLUMN engine_registry.agents.created_at IS 'when the agent was registered'");
    await setTimestampFormats(c, 'engine_registry', { 'agents.created_at': 'iso', 'triggers.next_run_at': 'sqlite' });
    await setTimestampFormats(c, 'engine_registry', { 'agents.created_at': 'sqlite' });
    const comment = async (table, column) => (await c.query(
      "SELECT col_description(to_regclass('engine_registry.' || $1), (SELECT attnum FROM pg_attribute WHERE attrelid = to_regclass('engine_registry.' || $1) AND attname = $2)::int) AS d",
      [table, column])).rows[0].d;
    t.is(await comment('agents', 'created_at'), 'when the agent was registered sqlite-format=sqlite');
    t.is(await comment('triggers', 'next_run_at'), 'sqlite-format=sqlite');
    t.is(registry.timestampFormatFromComment(await comment('agents', 'created_at')), 'sqlite');

    await t.throwsAsync(setTimestampFormats(c, 'engine_registry', { 'vm_assignments.assigned_at': 'iso' }), { message: /it is text, not a timestamp/ });
    await t.throwsAsync(setTimestampFormats(c, 'engine_registry', { 'agents.nope': 'iso' }), { message: /no such column/ });
    await t.throwsAsync(setTimestampFormats(c, 'engine_registry', { agents: 'iso' }), { instanceOf: TypeError });
    await t.throwsAsync(setTimestampFormats(c, 'engine_registry', { 'agents.created_at': 'unix' }), { instanceOf: TypeError });
    t.is(await comment('agents', 'created_at'), 'when the agent was registered sqlite-format=sqlite');
  });
});


test('a schema another session creates at the same moment counts as created, and nothing else does', async (t) => {
  const { createdConcurrently } = require('../dist/schema/index.js');
  const { url } = await createTestDatabase(t);
  const failure = (sql) => withClient(url, (c) => c.query(sql).then(() => null, (error) => error));
  // What the losing session gets: a duplicate schema or table, or the catalog's unique violation.
  await failure('CREATE SCHEMA twice');
  t.true(createdConcurrently(await failure('CREATE SCHEMA twice')), '42P06 duplicate_schema');
  await failure('CREATE TABLE twice.t (a int)');
  t.true(createdConcurrently(await failure('CREATE TABLE twice.t (a int)')), '42P07 duplicate_table');
  // Two sessions racing on CREATE SCHEMA IF NOT EXISTS: whatever fails, fails as "created meanwhile".
  const a = new (await import('pg')).default.Client({ connectionString: url });
  const b = new (await import('pg')).default.Client({ connectionString: url });
  await Promise.all([a.connect(), b.connect()]);
  t.teardown(() => Promise.all([a.end(), b.end()]));
  for (let i = 0; i < 20; i++) {
    const outcomes = await Promise.all([a, b].map((c) => c.query(`CREATE SCHEMA IF NOT EXISTS race_${i}`).then(() => null, (error) => error)));
    for (const error of outcomes.filter(Boolean)) t.true(createdConcurrently(error), error.message);
  }
  // A unique violation of the data is not one.
  await failure('CREATE TABLE twice.u (a int PRIMARY KEY); INSERT INTO twice.u VALUES (1)');
  const duplicate = await failure('INSERT INTO twice.u VALUES (1)');
  t.is(duplicate.code, '23505');
  t.false(createdConcurrently(duplicate));
  t.false(createdConcurrently(new Error('anything else')));
});
