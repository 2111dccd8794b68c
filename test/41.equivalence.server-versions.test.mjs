// Translations that depend on the server's major answer as SQLite on every supported one (14-18):
// run by `npm test` on the newest, and by `npm run test:pg-matrix` on each. A translation for an
// older major is also run here on the newer server, so both forms are checked on every run. Serial:
// the tests share one pg.Client.
import test from 'ava';
import { openDatabases, translator, runPg, runSqlite, normalizeRows } from './40.translator.fixture.mjs';

const { translate } = translator;

test.before(async (t) => {
  t.context.db = await openDatabases();
  const { rows } = await t.context.db.client.query("SELECT current_setting('server_version_num') AS v");
  t.context.version = Number(rows[0].v);
});
test.after.always(async (t) => t.context.db?.close());

/** The catalog as read from a server of another version (same tables). */
const asServer = (catalog, serverVersionNum) => ({ ...catalog, serverVersionNum });

/** Runs `sql` on SQLite and, translated for each given server version, on PostgreSQL: same answer. */
async function sameAsSqlite(t, sql, params = [], versions = [undefined]) {
  const { db } = t.context;
  const expected = runSqlite(db, sql, params);
  for (const version of versions) {
    const catalog = version === undefined ? db.catalog : asServer(db.catalog, version);
    const tr = translate(sql, catalog);
    const actual = await runPg(db, tr, params);
    const label = `${sql} ${JSON.stringify(params)} translated for server ${catalog.serverVersionNum ?? 'unknown'}`;
    t.deepEqual(actual.fields, expected.fields, label);
    t.deepEqual(normalizeRows(actual.rows, { ordered: tr.ordered }), normalizeRows(expected.rows, { ordered: tr.ordered }), label);
  }
}

test('the catalog carries the version of the server it was read from', (t) => {
  t.is(t.context.db.catalog.serverVersionNum, t.context.version);
  t.true(t.context.version >= 140000, 'the oldest supported major is 14');
});

// Strict RFC 8259 JSON and near misses (SQLite's json_valid accepts no JSON5 with one argument).
const JSON_SAMPLES = [
  '{"x":1}', '[]', '{}', '1', ' 1 ', '-0', '1.5e+3', '1E-5', '01', '1.', '.5', '+1', '-', '--1', 'true', 'tru', 'null', 'nulls',
  's', '#', '@', '!', '"a"', '"a\\"b"', '"\\u00e9"', '"\\u0000"', '"\\ud800"', '"\\x"', '"a\tb"', '"unterminated', '"é"', '"a#b"',
  '[1,2', '[1,]', '[1,2]]', '[[1,2]', '[1 2]', '[-]', '[#]', '[@]', '{"a":1,"a":2}', '{1:2}', '{"a":}', "{'a':1}", '{"a":1}x',
  '[[[[]]]]', '[{"a":[1,{"b":null}]},"x"]', '{"a" : "b" , "c":[true,false]}', '', ' ', '\t[1]\n', '[1]\f', '\u00a0 1',
  'NaN', 'Infinity', '"\\/"',
];

test.serial('json_valid answers as SQLite: IS JSON from PostgreSQL 16, a rewriting check before', async (t) => {
  const versions = [140000, ...(t.context.version >= 160000 ? [160000] : [])];
  for (const sample of JSON_SAMPLES) await sameAsSqlite(t, 'SELECT json_valid(?) AS v', [sample], versions);
  await sameAsSqlite(t, 'SELECT json_valid(NULL) AS v', [], versions);
});

test.serial('json_valid over a column: compared in WHERE and CASE, in GROUP BY and ORDER BY, around an aggregate', async (t) => {
  const versions = [140000, ...(t.context.version >= 160000 ? [160000] : [])];
  for (const sql of [
    'SELECT id FROM agents WHERE json_valid(capabilities) = 1 ORDER BY id',
    'SELECT id, json_valid(tags) AS ok FROM agents ORDER BY json_valid(tags), id',
    'SELECT json_valid(steps) AS ok, COUNT(*) AS n FROM workflows GROUP BY json_valid(steps)',
    "SELECT id, CASE WHEN json_valid(tags) = 1 THEN 'json' ELSE 'not json' END AS kind FROM workflows ORDER BY id",
    'SELECT json_valid(MIN(version)) AS ok, json_valid(MAX(name)) AS no FROM agents',
  ]) await sameAsSqlite(t, sql, [], versions);
});

test('json_valid in a CHECK before PostgreSQL 16 is refused at translation (a check cannot hold a subquery)', (t) => {
  const { catalog } = t.context.db;
  const ddl = 'CREATE TABLE docs (body TEXT CHECK (json_valid(body)))';
  t.throws(() => translate(ddl, asServer(catalog, 150008)), { message: /json_valid\(\) in a table or index definition.*PostgreSQL 16 or later/ });
  t.throws(() => translate(ddl, asServer(catalog, undefined)), { message: /json_valid\(\)/ });
  t.regex(translate(ddl, asServer(catalog, 160000)).text, /IS JSON/);
});

test.serial('a subquery in FROM or JOIN without an alias gets one (PostgreSQL 14 and 15 require it)', async (t) => {
  const { catalog } = t.context.db;
  t.regex(translate('SELECT GROUP_CONCAT(id) AS ids FROM (SELECT id FROM workflow_runs ORDER BY id)', catalog).text,
    /FROM \(SELECT id FROM workflow_runs ORDER BY id NULLS FIRST\) AS "sra_from_1"$/);
  t.regex(translate('SELECT * FROM (SELECT 1 AS a) q', catalog).text, /\) q$/, 'an alias is kept');
  for (const sql of [
    'SELECT GROUP_CONCAT(id) AS ids FROM (SELECT id FROM workflow_runs ORDER BY id)',
    'SELECT COUNT(*) AS n FROM (SELECT id FROM agents) JOIN (SELECT id AS run FROM workflow_runs) ON 1 = 1',
    'SELECT a FROM (SELECT * FROM (SELECT 1 AS a)) WHERE a = 1',
    'SELECT column1 FROM (VALUES (1), (2)) ORDER BY column1',
    'SELECT name FROM (SELECT name FROM agents ORDER BY name) LIMIT 2',
  ]) await sameAsSqlite(t, sql);
});
