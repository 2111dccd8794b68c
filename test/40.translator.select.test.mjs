// SQLite SELECTs → PostgreSQL: the expected SQL, then each row run on both databases and compared.
import test from 'ava';
import { openDatabases, translator, runPg, runSqlite, normalizeRows } from './40.translator.fixture.mjs';

const { translate } = translator;

/** [name, sqlite, expected PostgreSQL (exact text, or a RegExp), params, options] */
const CASES = [
  ['result names follow SQLite: COUNT(*) as written, t.col as col',
    'SELECT a.name, COUNT(*), max(a.memory_mb)  FROM agents a GROUP BY a.name ORDER BY a.name',
    'SELECT a.name, COUNT(*) AS "COUNT(*)", max(a.memory_mb) AS "max(a.memory_mb)"  FROM agents a GROUP BY a.name ORDER BY a.name NULLS FIRST'],
  ['NULLs sort first ascending, last descending',
    'SELECT id, started_at FROM workflow_runs ORDER BY started_at, id DESC',
    'SELECT id, started_at FROM workflow_runs ORDER BY started_at NULLS FIRST, id DESC NULLS LAST'],
  ['text sorts by byte: B before a',
    "SELECT name FROM workflows ORDER BY lower(name) || '', name", /ORDER BY \(translate\(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'\) \|\| ''\) COLLATE "C" NULLS FIRST, name NULLS FIRST, "workflows"\."name" NULLS FIRST, "workflows"\."version" NULLS FIRST, "workflows"\."_rowid_"$/],
  ['boolean column compared with 0/1',
    'SELECT id FROM workflows WHERE enabled = 1 AND NOT (enabled = 0) ORDER BY id',
    'SELECT id FROM workflows WHERE enabled = true AND NOT (enabled = false) ORDER BY id NULLS FIRST'],
  ['boolean column as a condition', 'SELECT id, enabled FROM triggers WHERE NOT enabled', undefined],
  ['boolean parameter gets targetType boolean', 'SELECT id FROM workflows WHERE enabled = ? ORDER BY id', 'SELECT id FROM workflows WHERE enabled = $1 ORDER BY id NULLS FIRST', [0]],
  ['a number bound for a TEXT column is compared as SQLite stored it (2.0)', 'SELECT ticket_id FROM vm_assignments WHERE vm_id = ?', 'SELECT ticket_id FROM vm_assignments WHERE vm_id = $1', [2]],
  ['IN list of parameters', 'SELECT id FROM agents WHERE id IN (?, ?) ORDER BY id', 'SELECT id FROM agents WHERE id IN ($1, $2) ORDER BY id NULLS FIRST', ['ag1', 'ag3']],
  ['LIKE folds ASCII case only and has no escape character', "SELECT id FROM agents WHERE name LIKE 't%' OR path LIKE '%\\_%' ORDER BY id",
    "SELECT id FROM agents WHERE translate( name , 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') LIKE translate('t%', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') ESCAPE '' OR translate( path , 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') LIKE translate('%\\_%', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') ESCAPE '' ORDER BY id NULLS FIRST"],
  ['LIKE with ESCAPE and NOT LIKE with a parameter', "SELECT id FROM agents WHERE path LIKE '%!_%' ESCAPE '!' OR name NOT LIKE ? ORDER BY id", undefined, ['%e%']],
  ['GLOB is case-sensitive with * ? [..], also bound', 'SELECT id FROM agents WHERE name GLOB ? OR name GLOB \'T[a-e]s*\' ORDER BY id', undefined, ['c?d*']],
  ['NOT GLOB', "SELECT id FROM workflows WHERE name NOT GLOB '*i*' ORDER BY id", undefined],
  ['IFNULL, IIF, INSTR, SUBSTR, LENGTH, scalar MAX/MIN', "SELECT id, IFNULL(description, 'none') AS d, IIF(memory_mb > 200, 'big', 'small') AS size, INSTR(name, 'e') AS i, SUBSTR(name, 2, 3) AS s, LENGTH(name) AS l, MAX(memory_mb, 300) AS mx, MIN(memory_mb, 300) AS mn, length(memory_mb) AS lm FROM agents ORDER BY id", undefined],
  ['GROUP_CONCAT with default and given separator', "SELECT workflow_id, GROUP_CONCAT(id) AS ids, group_concat(status, ' | ') AS st FROM workflow_runs GROUP BY workflow_id ORDER BY workflow_id", undefined],
  ['LIMIT -1, LIMIT a OFFSET b, LIMIT offset, count', 'SELECT id FROM agents ORDER BY id LIMIT -1 OFFSET 1', 'SELECT id FROM agents ORDER BY id NULLS FIRST LIMIT ALL OFFSET 1'],
  ['LIMIT y, x means OFFSET y LIMIT x', 'SELECT id FROM agents ORDER BY id LIMIT 1, 1', 'SELECT id FROM agents ORDER BY id NULLS FIRST LIMIT 1 OFFSET 1'],
  ['bound LIMIT -1 is no limit', 'SELECT id FROM agents ORDER BY id LIMIT ? OFFSET ?', 'SELECT id FROM agents ORDER BY id NULLS FIRST LIMIT NULLIF(GREATEST($1::bigint, -1), -1) OFFSET GREATEST($2::bigint, 0)', [-1, 1]],
  ['backtick and bracket identifiers', 'SELECT `id`, [name] FROM `agents` WHERE [version] = \'1.0\' ORDER BY `id`', 'SELECT "id", "name" FROM "agents" WHERE "version" = \'1.0\' ORDER BY "id" NULLS FIRST'],
  // Numbers and booleans from JSON come back as text on PostgreSQL (one type per column): 'loose'.
  ['json_extract returns SQL values (strings unquoted, booleans 1/0, objects as JSON)', "SELECT id, json_extract(capabilities, '$.lang') AS lang, json_extract(capabilities, '$.gpu') AS gpu, json_extract(capabilities, '$.opts') AS opts FROM agents ORDER BY id", undefined, [], { loose: true }],
  ['json_extract compared with a number compares numerically', "SELECT id FROM agents WHERE json_extract(capabilities, '$.level') > 2", undefined],
  ['json_extract on TEXT and bound path', "SELECT json_extract(?, ?) AS v", undefined, ['{"a":[10,{"b":"x"}]}', '$.a[1].b']],
  ['-> gives JSON, ->> the SQL value', "SELECT id, capabilities -> '$.opts' AS o, capabilities ->> 'lang' AS l, tags ->> 0 AS t0 FROM agents ORDER BY id", undefined],
  ['json_each over an array column, with key/value/type', "SELECT a.id, j.value, j.type FROM agents a, json_each(a.tags) AS j ORDER BY a.id, j.id", undefined],
  ['json_each filtered by value (the common membership test)', "SELECT id FROM workflows WHERE EXISTS (SELECT 1 FROM json_each(workflows.tags) WHERE value = ?) ORDER BY id", undefined, ['ci']],
  ['json_array_length and json_type', "SELECT id, json_array_length(steps) AS n, json_type(steps) AS t FROM workflows ORDER BY id", undefined],
  ['datetime/strftime/date of stored values', "SELECT id, datetime(created_at) AS dt, date(created_at, '+1 month') AS d, strftime('%Y/%m/%d %H:%M:%S %j %w %s', started_at) AS f, time(created_at, '+90 minutes') AS tm FROM workflow_runs ORDER BY id", undefined],
  ['a TEXT timestamp compared with datetime(...) stays text', "SELECT vm_id FROM vm_assignments WHERE assigned_at < datetime('2024-01-05 10:30:00', '+1 hour') ORDER BY vm_id", undefined],
  ['a TIMESTAMPTZ column compared with datetime() becomes a timestamptz comparison', "SELECT id FROM workflow_runs WHERE created_at < datetime('2024-01-06 10:00:00', '-1 minute') ORDER BY id",
    "SELECT id FROM workflow_runs WHERE created_at < (date_trunc('second', (CAST('2024-01-06 10:00:00' AS timestamp) + interval '-1 minute')) AT TIME ZONE 'UTC') ORDER BY id NULLS FIRST"],
  ['julianday and unixepoch', "SELECT julianday('2024-01-01') AS j, unixepoch('2024-01-01 00:00:10') AS u", undefined],
  ['CAST to INTEGER truncates, TEXT and REAL map', "SELECT CAST('12' AS INTEGER) AS a, CAST(3.7 AS INTEGER) AS b, CAST(-3.7 AS INTEGER) AS c, CAST(memory_mb AS TEXT) AS d, CAST(memory_mb AS REAL) / 3 AS e FROM agents WHERE id = 'ag1'", undefined],
  ['== is SQLite\'s =', 'SELECT id FROM agents WHERE memory_mb == 512 ORDER BY id', 'SELECT id FROM agents WHERE memory_mb = 512 ORDER BY id NULLS FIRST'],
  ['hex(NULL) is empty text; hex() of a blob literal encodes its bytes', "SELECT hex(NULL) AS h0, hex(x'41ff') AS h1", undefined],
  ['CAST(blob AS TEXT) reads its bytes as text', "SELECT CAST(x'6869' AS TEXT) AS t, CAST(x'' AS TEXT) AS e", undefined],
  ['round() takes negative digits as 0', 'SELECT round(155.5, -1) AS r, round(1.5, NULL) AS n, round(memory_mb, -2) AS m FROM agents ORDER BY id', undefined],
  ['replace() with an empty pattern returns the text, even with a NULL replacement', "SELECT replace(name, '', NULL) AS r, replace(name, 'e', NULL) AS n FROM agents ORDER BY id", undefined],
  ['json_array_length() of NULL is NULL', 'SELECT id, json_array_length(tags) AS n, json_array_length(NULL) AS z FROM agents ORDER BY id', undefined],
  ['|| with a bound number and round() half away from zero', "SELECT name || '-' || ? AS n, round(2.5) AS r1, round(-2.5) AS r2, round(memory_mb / 3.0, 2) AS r3 FROM agents WHERE id = 'ag1'", undefined, ['x']],
  ['IS and IS NOT compare NULL-safely', 'SELECT id FROM workflow_runs WHERE total_vm_time_ms IS ? OR started_at IS NOT NULL ORDER BY id', /total_vm_time_ms IS NOT DISTINCT FROM \$1 OR started_at IS NOT NULL/, [null]],
  ['COLLATE NOCASE folds ASCII letters on both sides', "SELECT id FROM agents WHERE name = 'TESTER' COLLATE NOCASE", "SELECT id FROM agents WHERE translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') = translate('TESTER', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') ORDER BY \"agents\".\"_rowid_\""],
  ['ORDER BY COLLATE NOCASE', 'SELECT name FROM workflows ORDER BY name COLLATE NOCASE', 'SELECT name FROM workflows ORDER BY translate(name, \'ABCDEFGHIJKLMNOPQRSTUVWXYZ\', \'abcdefghijklmnopqrstuvwxyz\') COLLATE "C" NULLS FIRST, "workflows"."name" NULLS FIRST, "workflows"."version" NULLS FIRST, "workflows"."_rowid_"'],
  ['SUM of a BOOLEAN column counts the trues, COUNT/SUM/AVG/TOTAL', 'SELECT SUM(enabled) AS s, COUNT(*) AS c, AVG(memory_mb) AS a, TOTAL(memory_mb) AS t FROM workflows, agents', undefined],
  ['SUM of a BIGINT beyond 32 bits', 'SELECT SUM(total_vm_time_ms) AS s FROM workflow_runs', undefined],
  ['a lone parameter and ? IS NULL', 'SELECT ? AS v, ? IS NULL AS n', 'SELECT $1::text AS v, $2::text IS NULL AS n', ['a', null]],
  ['typeof from the schema', 'SELECT typeof(name) AS a, typeof(memory_mb) AS b, typeof(description) AS c FROM agents WHERE id = \'ag1\'', undefined],
  ['sqlite_master lookup of a table', "SELECT name FROM sqlite_master WHERE type='table' AND name=?", undefined, ['agents']],
  ['sqlite_master lists the 8 tables', "SELECT name, tbl_name FROM sqlite_master WHERE type = 'table' ORDER BY name", undefined],
  ['main. qualifier', 'SELECT main.agents.id FROM main.agents ORDER BY 1', 'SELECT agents.id FROM agents ORDER BY 1 NULLS FIRST, "agents"."id" NULLS FIRST, "agents"."_rowid_"'],
  ['subquery, join and aliases', 'SELECT w.name, (SELECT COUNT(*) FROM workflow_runs r WHERE r.workflow_id = w.id) AS runs FROM workflows w LEFT JOIN triggers t ON t.workflow_id = w.id AND t.enabled = 1 ORDER BY w.name', undefined],
  ['window function with ORDER BY', 'SELECT id, row_number() OVER (PARTITION BY workflow_id ORDER BY started_at DESC) AS rn FROM workflow_runs ORDER BY id', undefined],
];

test.before(async (t) => {
  t.context.db = await openDatabases();
});
test.after.always(async (t) => t.context.db?.close());

for (const [name, sql, expected, params = [], options = {}] of CASES) {
  test(name, async (t) => {
    const { db } = t.context;
    const tr = translate(sql, db.catalog);
    if (typeof expected === 'string') t.is(tr.text, expected);
    else if (expected instanceof RegExp) t.regex(tr.text, expected);
    t.is(tr.kind, 'select');
    t.true(tr.reader);
    t.true(tr.readonly);
    const pgResult = await runPg(db, tr, params);
    const sqliteResult = runSqlite(db, sql, params);
    t.deepEqual(pgResult.fields, sqliteResult.fields, 'column names');
    const opts = { ordered: tr.ordered, loose: options.loose };
    t.deepEqual(normalizeRows(pgResult.rows, opts), normalizeRows(sqliteResult.rows, opts));
  });
}

test('slot target types for comparisons', (t) => {
  const tr = translate('SELECT id FROM workflows w WHERE w.enabled = ? AND name LIKE ? AND created_at > ?', t.context.db.catalog);
  t.deepEqual(tr.slots.map((s) => [s.targetType, s.targetColumn]), [
    ['boolean', { table: 'workflows', column: 'enabled' }],
    ['text', { table: 'workflows', column: 'name' }],
    ['timestamp with time zone', { table: 'workflows', column: 'created_at' }],
  ]);
  t.false(tr.ordered);
  t.deepEqual(tr.tables, ['workflows']);
});

test("'now' is one bound instant: datetime('now', modifiers) and CURRENT_TIMESTAMP", async (t) => {
  const { db } = t.context;
  const tr = translate("SELECT datetime('now') AS a, datetime('now', '-5 minutes', 'start of day', '+1 day') AS b, CURRENT_TIMESTAMP AS c, date('now') AS d, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS e, strftime('%s', 'now') AS s", db.catalog);
  t.deepEqual(tr.slots, [{ source: { kind: 'now' } }]);
  const { rows } = await runPg(db, tr);
  t.deepEqual(rows[0], { a: '2024-06-15 12:34:56', b: '2024-06-16 00:00:00', c: '2024-06-15 12:34:56', d: '2024-06-15', e: '2024-06-15T12:34:56.789Z', s: String(Math.floor(Date.parse('2024-06-15T12:34:56.789Z') / 1000)) });
});

test("'localtime' and RANDOM() are flagged", (t) => {
  const { catalog } = t.context.db;
  t.throws(() => translate("SELECT datetime('now', 'localtime')", catalog), { message: /localtime/ });
  t.deepEqual(translate('SELECT id FROM agents ORDER BY RANDOM()', catalog).notMirrorable, ['random()']);
});
