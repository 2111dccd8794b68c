// INSERT / UPDATE / DELETE, INSERT OR REPLACE / IGNORE: run on both databases, then compare
// `changes` and the table's rows (timestamps defaulted by the clock are left out).
import test from 'ava';
import { openDatabases, translator, runPg, runSqlite, normalizeRows } from './40.translator.fixture.mjs';

const { translate } = translator;
const CLOCK = ['created_at', 'updated_at', 'queued_at', 'completed_at'];

async function both(t, sql, params, table) {
  const { db } = t.context;
  const tr = translate(sql, db.catalog);
  let pgError;
  let sqliteError;
  let pgResult;
  let sqliteResult;
  try { pgResult = await runPg(db, tr, params); } catch (e) { pgError = e; }
  try { sqliteResult = runSqlite(db, sql, params); } catch (e) { sqliteError = e; }
  t.is(Boolean(pgError), Boolean(sqliteError), `errors: pg=${pgError?.message} sqlite=${sqliteError?.message}`);
  if (!pgError && !sqliteError) {
    if (tr.reader) t.deepEqual(normalizeRows(pgResult.rows, { drop: CLOCK }), normalizeRows(sqliteResult.rows, { drop: CLOCK }));
    else t.is(pgResult.changes, sqliteResult.changes, 'changes');
  }
  // With the rowid: PostgreSQL's hidden column holds the rowid SQLite assigned.
  const order = `SELECT * FROM ${table} ORDER BY 1`;
  const pgRows = (await db.client.query(order)).rows;
  const sqliteRows = db.sqlite.prepare(`SELECT *, rowid AS _rowid_ FROM ${table} ORDER BY 1`).all();
  t.deepEqual(normalizeRows(pgRows, { drop: CLOCK }), normalizeRows(sqliteRows, { drop: CLOCK }), `rows of ${table}`);
  return tr;
}

test.before(async (t) => {
  t.context.db = await openDatabases();
});
test.after.always(async (t) => t.context.db?.close());

test.serial('INSERT: a number bound into TEXT is stored as SQLite stores it, 0/1 into BOOLEAN', async (t) => {
  const tr = await both(t, 'INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at, status) VALUES (?, ?, ?, ?)', [3, 'T-3', '2024-02-01 00:00:00', 'running'], 'vm_assignments');
  // A one-row INSERT numbers its row itself (SQLite's next rowid) and returns it for lastInsertRowid.
  t.is(tr.text, 'INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at, status, "_rowid_") VALUES ($1, $2, $3, $4, (SELECT COALESCE(max("_rowid_"), 0) + 1 FROM "vm_assignments"))\nRETURNING "_rowid_"');
  t.deepEqual(tr.slots.map((s) => s.targetType), ['text', 'text', 'text', 'text']);
  const tr2 = await both(t, 'INSERT INTO triggers (id, workflow_id, type, enabled) VALUES (@id, @wf, @type, @enabled)', { id: 't3', wf: 'wf3', type: 'event', enabled: 0 }, 'triggers');
  t.is(tr2.slots[3].targetType, 'boolean');
});

test.serial('INSERT OR REPLACE deletes the row conflicting on ANY unique key; omitted columns take defaults', async (t) => {
  const sql = "INSERT OR REPLACE INTO agents (id, name, version, path, created_at, updated_at) VALUES (?, ?, ?, ?, '2024-03-01 00:00:00', '2024-03-01 00:00:00')";
  const tr = await both(t, sql, ['ag3', 'reviewer', '2.1', '/new/path'], 'agents'); // same id: replaced, memory_mb back to default
  t.is(tr.kind, 'insert');
  t.false(tr.reader);
  t.regex(tr.text, /^WITH "_new"\("id", "name", "version", "path", "created_at", "updated_at", "_rowid_"\) AS \(SELECT "_v"\.\*, \(SELECT COALESCE\(max\("_rowid_"\), 0\) FROM "agents"\) \+ row_number\(\) OVER \(\) FROM \(VALUES \(CAST\(\$1 AS text\), CAST\(\$2 AS text\), CAST\(\$3 AS text\), CAST\(\$4 AS text\), CAST\('2024-03-01 00:00:00' AS timestamp with time zone\), CAST\('2024-03-01 00:00:00' AS timestamp with time zone\)\)\) AS "_v"\), "_del" AS \(DELETE FROM "agents" AS "_old" USING "_new" WHERE "_old"."id" = "_new"."id" OR \("_old"."name", "_old"."version"\) = \("_new"."name", "_new"."version"\) RETURNING 1\) INSERT INTO "agents"/);
  await both(t, sql, ['ag4', 'reviewer', '2.1', '/other'], 'agents'); // other id, same (name, version): ag3 deleted
});

test.serial('REPLACE INTO a parent keeps its children (FK checked at statement end); RETURNING reads', async (t) => {
  const tr = await both(t, "REPLACE INTO workflows (id, name, version, path, steps, created_at, updated_at) VALUES ('wf1', 'deploy', '1.0', '/w/deploy2', '[1]', '2024-01-01 10:00:00', '2024-01-01 10:00:00') RETURNING id, enabled, path", [], 'workflows');
  t.true(tr.reader);
  const runs = (await t.context.db.client.query("SELECT count(*) AS n FROM workflow_runs WHERE workflow_id = 'wf1'")).rows[0].n;
  t.is(runs, 2);
});

test.serial('REPLACE that would orphan children fails on both', async (t) => {
  await both(t, "INSERT OR REPLACE INTO agents (id, name, version, path) VALUES ('ag9', 'coder', '1.0', '/x')", [], 'agents');
});

test.serial('multi-row INSERT OR REPLACE counts inserted rows only', async (t) => {
  await both(t, "INSERT OR REPLACE INTO execution_artifacts (id, ticket_id, content) VALUES ('e1', 'T', 'a'), ('e2', 'T', 'b')", [], 'execution_artifacts');
  await both(t, "INSERT OR REPLACE INTO execution_artifacts (id, ticket_id, content) VALUES ('e1', 'T', 'c'), ('e3', 'T', 'd')", [], 'execution_artifacts');
});

test.serial('INSERT OR REPLACE ... SELECT', async (t) => {
  await both(t, "INSERT OR REPLACE INTO execution_artifacts (id, ticket_id, content) SELECT id || '-copy', 'T9', status FROM workflow_runs", [], 'execution_artifacts');
});

test.serial('INSERT OR IGNORE skips unique conflicts and NULLs in NOT NULL columns', async (t) => {
  const tr = await both(t, 'INSERT OR IGNORE INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, ?, ?)', ['2.0', 'T-dup', 'x'], 'vm_assignments');
  t.regex(tr.text, /ON CONFLICT DO NOTHING\nRETURNING "_rowid_"$/);
  await both(t, 'INSERT OR IGNORE INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, ?, ?)', ['9.0', null, 'x'], 'vm_assignments');
  await both(t, 'INSERT OR IGNORE INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, ?, ?)', ['9.0', 'T-9', 'x'], 'vm_assignments');
  await both(t, "INSERT OR IGNORE INTO execution_artifacts (id, ticket_id) VALUES ('e1', 'T')", [], 'execution_artifacts');
});

test.serial('UPSERT ON CONFLICT DO UPDATE SET x = excluded.x passes through', async (t) => {
  const tr = await both(t, 'INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at, status) VALUES (?, ?, ?, ?) ON CONFLICT(vm_id) DO UPDATE SET status = excluded.status, heartbeat_at = ?', ['7.0', 'T-2', 'x', 'busy', '2024-09-09 00:00:00'], 'vm_assignments');
  // RETURNING gives lastInsertRowid the inserted row's rowid, NULL for a row the upsert updated.
  t.is(tr.text, 'INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at, status, "_rowid_") VALUES ($1, $2, $3, $4, (SELECT COALESCE(max("_rowid_"), 0) + 1 FROM "vm_assignments")) ON CONFLICT(vm_id) DO UPDATE SET status = excluded.status, heartbeat_at = $5\nRETURNING CASE WHEN CAST(xmax AS text) = \'0\' THEN "_rowid_" END');
});

test.serial('UPDATE with boolean 0/1, IFNULL and arithmetic on a bound number', async (t) => {
  const tr = await both(t, 'UPDATE workflows SET enabled = 0, description = IFNULL(description, ?) WHERE id = ?', ['none', 'wf1'], 'workflows');
  t.is(tr.text, 'UPDATE workflows SET enabled = false, description = COALESCE(description, $1) WHERE id = $2');
  await both(t, 'UPDATE workflow_runs SET total_vm_time_ms = total_vm_time_ms + ?, total_api_tokens = total_api_tokens + 1 WHERE id = ?', [1500, 'r2'], 'workflow_runs');
});

test.serial("UPDATE ... SET completed_at = CURRENT_TIMESTAMP writes a timestamp; 'now' is bound", async (t) => {
  const { db } = t.context;
  const tr = translate("UPDATE workflow_runs SET completed_at = CURRENT_TIMESTAMP, status = 'completed' WHERE id = ?", db.catalog);
  t.is(tr.text, "UPDATE workflow_runs SET completed_at = date_trunc('second', $1::timestamptz), status = 'completed' WHERE id = $2");
  t.deepEqual(tr.slots.map((s) => s.source), [{ kind: 'now' }, { kind: 'positional', index: 0 }]);
  await runPg(db, tr, ['r2']);
  t.is((await db.client.query("SELECT completed_at FROM workflow_runs WHERE id = 'r2'")).rows[0].completed_at, '2024-06-15 12:34:56');
  const text = translate("UPDATE vm_assignments SET heartbeat_at = datetime('now') WHERE vm_id = ?", db.catalog);
  t.is(text.text, "UPDATE vm_assignments SET heartbeat_at = to_char(($1::timestamptz AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24:MI:SS') WHERE vm_id = $2");
  await runPg(db, text, ['2.0']);
  t.is((await db.client.query("SELECT heartbeat_at FROM vm_assignments WHERE vm_id = '2.0'")).rows[0].heartbeat_at, '2024-06-15 12:34:56');
});

test.serial('an expression assigned to a JSONB column is stored as JSON by the schema\'s function, which names the column', async (t) => {
  const tr = await both(t, "UPDATE workflows SET variables = '{\"a\":' || ? || '}' WHERE id = 'wf2'", [5], 'workflows');
  t.regex(tr.text, /SET variables = "engine_registry"\._sqlite_store_json\(\(\('\{"a":' \|\| \$1::text \|\| '\}'\)\), 'workflows\.variables'\)/);
});

test.serial('DELETE with RETURNING is a reader', async (t) => {
  const tr = await both(t, "DELETE FROM execution_artifacts WHERE ticket_id = 'T9' RETURNING id", [], 'execution_artifacts');
  t.true(tr.reader);
  t.false(tr.readonly);
  t.is(tr.kind, 'delete');
});

test('a plain one-row INSERT has a second form, numbered by one more parameter and without RETURNING; other insert forms have none', (t) => {
  const { catalog } = t.context.db;
  const given = (sql) => translate(sql, catalog).rowidGiven;
  t.deepEqual(given('INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, ?, ?)'), {
    text: 'INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at, "_rowid_") VALUES ($1, $2, $3, $4)',
    table: 'vm_assignments',
  });
  t.is(given("INSERT OR FAIL INTO execution_artifacts (id, ticket_id) VALUES ('x', ?)").text.replace(/\s+/g, ' '), 'INSERT INTO execution_artifacts (id, ticket_id, "_rowid_") VALUES (\'x\', $1, $2)');
  for (const sql of [
    "INSERT OR IGNORE INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES ('a', 'b', 'c')",
    "INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES ('a', 'b', 'c') ON CONFLICT (vm_id) DO NOTHING",
    "INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES ('a', 'b', 'c') RETURNING vm_id",
    "INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES ('a', 'b', 'c'), ('d', 'e', 'f')",
    "INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) SELECT vm_id || 'x', ticket_id, assigned_at FROM vm_assignments",
    "REPLACE INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES ('a', 'b', 'c')",
    "INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at, _rowid_) VALUES ('a', 'b', 'c', 7)",
  ]) t.is(given(sql), undefined, sql);
});

test('INSERT OR ROLLBACK and UPDATE OR REPLACE are TranslationErrors', (t) => {
  const { catalog } = t.context.db;
  t.throws(() => translate("INSERT OR ROLLBACK INTO agents (id) VALUES ('x')", catalog), { message: /INSERT OR ROLLBACK/ });
  t.throws(() => translate("UPDATE OR REPLACE agents SET id = 'x'", catalog), { message: /UPDATE OR REPLACE/ });
  t.is(translate("INSERT OR ABORT INTO execution_artifacts (id, ticket_id) VALUES ('x', 'y')", catalog).text.replace(/\s+/g, ' '), "INSERT INTO execution_artifacts (id, ticket_id, \"_rowid_\") VALUES ('x', 'y', (SELECT COALESCE(max(\"_rowid_\"), 0) + 1 FROM \"execution_artifacts\")) RETURNING \"_rowid_\"");
});
