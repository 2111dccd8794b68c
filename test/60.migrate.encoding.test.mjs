// The backfill's COPY encoding (CSV quoted with U+0001) and verify's checksums (PostgreSQL's jsonb
// text rendered in JavaScript), each value kind against a real PostgreSQL: what SQLite held is what
// PostgreSQL reads, verify agrees, and a value that differs is still found.
import test from 'ava';
import fc from 'fast-check';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createTestDatabase, withClient } from './helpers/pg.mjs';
import { tempDir } from './helpers/backends.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { REGISTRY_SQLITE_DDL } = require('../dist/schema/index.js');
const { runInit, runBackfill, runVerify, jsonbText, csvLine, findMigrationTable } = require('../dist/migrate/index.js');

const AWKWARD = 'q\u0001uote\u0001\u0001 "dq" \\back\\slash\ttab\nnewline\r\ncrlf, comma é 😀';

function registry(t) {
  const file = path.join(tempDir(t), 'registry.db');
  const db = new Database(file);
  db.pragma('journal_mode = wal');
  db.exec(REGISTRY_SQLITE_DDL);
  const agent = db.prepare(`INSERT INTO agents (id, name, version, path, description, capabilities, inputs_schema, memory_mb, timeout_seconds, tags, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  agent.run('a-awkward', AWKWARD, '1', '/p', '', '{"é":"ünïcødé 😀","z":[1,2.5,-3],"a":{"nested":"\\u0001\\n"}}', '[]', 2n ** 62n + 1n, -(2n ** 40n), null, '2024-02-29 23:59:59', '2024-02-29T23:59:59.123Z');
  agent.run('a-empty', '', '2', '', null, null, '{}', null, 0, '"just a string"', '1999-12-31 00:00:00.5', '2030-01-01T00:00:00.000Z');
  agent.run('a-numbers', 'n', '3', '/n', 'x', '{"one": 1.0, "big": 12345678901234567890, "exp": 1e3}', 'null', 9007199254740993n, 1, 'true', null, null);
  db.prepare("INSERT INTO workflows (id, name, version, path, steps, enabled) VALUES ('w1', 'w', '1', '/w', '[]', 1), ('w2', 'w', '2', '/w', '[{}]', 0), ('w3', 'w', '3', '/w', '{}', NULL)").run();
  db.prepare('INSERT INTO secrets (id, workflow_id, name, encrypted_value) VALUES (?, ?, ?, ?)').run('s1', 'w1', 'S', Buffer.from([0, 1, 9, 10, 13, 44, 92, 255]));
  db.prepare('INSERT INTO secrets (id, workflow_id, name, encrypted_value) VALUES (?, ?, ?, ?)').run('s2', 'w1', 'T', Buffer.alloc(0));
  // Numbers bound into TEXT columns keep SQLite's text of them ('2.0'), never JavaScript's ('2').
  db.prepare('INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, ?, ?)').run(2, 3.5, 'x');
  db.prepare('INSERT INTO execution_artifacts (id, ticket_id, content) VALUES (?, ?, ?)').run('e1', 'T', AWKWARD);
  db.close();
  return file;
}

test('each kind of value goes through the CSV COPY as SQLite held it, and verify agrees', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = registry(t);
  const settings = { registryDb: file, databaseUrl: url, pgSchema: 'engine_registry' };
  await runInit(settings);
  const backfill = await runBackfill(settings);
  t.is(backfill.copied, 10);
  await withClient(url, async (c) => {
    const q = async (sql) => (await c.query(sql)).rows;
    const [awkward] = await q("SELECT name, description, capabilities::text AS caps, memory_mb::text AS mem, timeout_seconds::text AS t, created_at, updated_at FROM engine_registry.agents WHERE id = 'a-awkward'");
    t.is(awkward.name, AWKWARD, 'U+0001, quotes, backslashes, tabs, newlines, CR, commas and non-ASCII survive');
    t.is(awkward.description, '', 'an empty string stays empty, not NULL');
    t.is(awkward.caps, '{"a": {"nested": "\\u0001\\n"}, "z": [1, 2.5, -3], "é": "ünïcødé 😀"}');
    t.is(awkward.mem, String(2n ** 62n + 1n), 'big integers are exact');
    t.is(awkward.t, String(-(2n ** 40n)));
    t.is(awkward.created_at.toISOString(), '2024-02-29T23:59:59.000Z', 'SQLite text timestamps are read as UTC');
    t.is(awkward.updated_at.toISOString(), '2024-02-29T23:59:59.123Z', 'ISO timestamps keep their milliseconds');
    const [empty] = await q("SELECT name, path, description IS NULL AS d, capabilities IS NULL AS c, tags::text AS tags, created_at FROM engine_registry.agents WHERE id = 'a-empty'");
    t.like(empty, { name: '', path: '', d: true, c: true, tags: '"just a string"' });
    t.is(empty.created_at.toISOString(), '1999-12-31T00:00:00.500Z');
    const [numbers] = await q("SELECT memory_mb::text AS mem, capabilities::text AS caps, inputs_schema::text AS s FROM engine_registry.agents WHERE id = 'a-numbers'");
    t.is(numbers.mem, '9007199254740993');
    t.is(numbers.caps, '{"big": 12345678901234567890, "exp": 1000, "one": 1.0}');
    t.is(numbers.s, 'null', 'JSON null is a value, not SQL NULL');
    t.deepEqual((await q('SELECT id, enabled FROM engine_registry.workflows ORDER BY id')).map((r) => r.enabled), [true, false, null]);
    const secrets = await q('SELECT id, encrypted_value FROM engine_registry.secrets ORDER BY id');
    t.deepEqual(secrets[0].encrypted_value, Buffer.from([0, 1, 9, 10, 13, 44, 92, 255]));
    t.deepEqual(secrets[1].encrypted_value, Buffer.alloc(0), 'an empty blob is not NULL');
    t.deepEqual(await q('SELECT vm_id, ticket_id FROM engine_registry.vm_assignments'), [{ vm_id: '2.0', ticket_id: '3.5' }]);
    t.is((await q('SELECT content FROM engine_registry.execution_artifacts'))[0].content, AWKWARD);
  });

  const clean = await runVerify(settings);
  t.true(clean.clean, JSON.stringify(clean.tables.filter((x) => x.missing + x.extra + x.different)));
  t.is(clean.rows, 10);

  // Equal by value but not by text (1.0 vs 1): the checksums differ, the rows are compared by value, no difference.
  await withClient(url, (c) => c.query(`UPDATE engine_registry.agents SET capabilities = '{"one": 1, "big": 12345678901234567890, "exp": 1e3}' WHERE id = 'a-numbers'`));
  t.true((await runVerify(settings)).clean);

  // Each kind changed by a little is found.
  await withClient(url, async (c) => {
    await c.query("UPDATE engine_registry.agents SET capabilities = jsonb_set(capabilities, '{é}', '\"ünïcødé\"'), updated_at = updated_at + interval '1 millisecond' WHERE id = 'a-awkward'");
    await c.query("UPDATE engine_registry.agents SET description = '' WHERE id = 'a-empty'");
    await c.query("UPDATE engine_registry.workflows SET enabled = NOT enabled WHERE id = 'w1'");
    await c.query("UPDATE engine_registry.secrets SET encrypted_value = '\\x00' WHERE id = 's2'");
    await c.query("UPDATE engine_registry.vm_assignments SET ticket_id = '3.50'");
    await c.query('UPDATE engine_registry.agents SET memory_mb = memory_mb - 1 WHERE id = \'a-numbers\'');
  });
  const dirty = await runVerify(settings);
  const byTable = Object.fromEntries(dirty.tables.map((x) => [x.table, x]));
  t.is(byTable.agents.different, 3, JSON.stringify(byTable.agents.samples));
  const changed = byTable.agents.samples.find((s) => s.key === 'a-awkward').columns.map((c) => c.column).sort();
  t.deepEqual(changed, ['capabilities', 'updated_at']);
  t.is(byTable.workflows.different, 1);
  t.is(byTable.secrets.different, 1);
  t.is(byTable.vm_assignments.different, 1);

  const repaired = await runVerify({ ...settings, repair: 'postgres' });
  t.is(repaired.repair.written, 6);
  t.true((await runVerify(settings)).clean, 'the repair writes the awkward values back through the same COPY encoding');
});

test('jsonbText renders JSON as PostgreSQL prints jsonb, or differs (never equal for a different value)', async (t) => {
  const { url } = await createTestDatabase(t);
  const samples = ['{"z": 1, "a": {"y": [true, false, null], "b": 2.5}}', '{"é":1,"e":2,"ee":3,"aaa":4,"b":5,"😀":6,"\uffff":7}', '{"10":1,"9":2,"b":3}',
    '"x\\u0001y\\u001f"', '"\\u00e9\\/"', '{"a":1,"a":2}', '[]', '{}', '[ 1 , [ ] , { } ]', '-0', '0.25', 'null', '"\u2028\u007f"', '1e3', '{"k":"tab\\there"}',
    // Numbers in plain decimal form keep their digits, as numeric does; other forms go through a JavaScript number.
    '1.0', '12345678901234567890', '[1.50]', '-0.0', '[-0.000, -1.5, 0]', '1.5E3', '{"b":{"d":1,"c":[1.50,-0]},"a":"\\u001f\\b"}', '{ "k" : "v" , "j":[ ] }',
    '{"\\u0062":1,"a":2,"b":3}', '{"x":{"a":1,"a":[2]}}', '"\\u0008\\u000A"', '[true,false,null,{"":""}]'];
  const differs = ['1e400', '[1.0e1, 12345678901234567890e0]'];
  await withClient(url, async (c) => {
    for (const s of samples) t.is(jsonbText(s), (await c.query('SELECT $1::jsonb::text AS t', [s])).rows[0].t, s);
    for (const s of differs) t.not(jsonbText(s), (await c.query('SELECT $1::jsonb::text AS t', [s])).rows[0].t, s);
  });
  t.is(jsonbText('{not json'), '?{not json');
});

// Values as applications write them (JSON.stringify): every one is rendered exactly as PostgreSQL
// prints it back, whether the one-pass scan or the parse-and-write path answers.
const jsonNumber = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !/e/i.test(String(d))));
const { jsonTree } = fc.letrec((tie) => ({
  jsonTree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.string({ unit: 'binary' }), jsonNumber, fc.boolean(), fc.constant(null),
    fc.array(tie('jsonTree'), { maxLength: 4 }), fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('jsonTree'), { maxKeys: 5 })),
}));

test('jsonbText of generated JSON.stringify output is PostgreSQL\'s jsonb text', async (t) => {
  const { url } = await createTestDatabase(t);
  await withClient(url, async (c) => {
    await fc.assert(fc.asyncProperty(fc.array(jsonTree, { minLength: 1, maxLength: 20 }), async (values) => {
      const texts = values.map((v) => JSON.stringify(v));
      const { rows } = await c.query('SELECT t::jsonb::text AS t FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n', [texts]);
      texts.forEach((text, i) => t.is(jsonbText(text), rows[i].t, text));
    }), { seed: 20261208, numRuns: 60 });
  });
});

test('csvLine quotes text (doubling U+0001), leaves numbers and hex bare, NULL empty', (t) => {
  const table = findMigrationTable('secrets');
  // The last column is the rowid (an integer: bare).
  const values = ['k\u0001', null, '', '\\x00ff', 'a,b\n', null, null, 7];
  t.is(csvLine(table.columns, values), '\u0001k\u0001\u0001\u0001,,\u0001\u0001,\\x00ff,\u0001a,b\n\u0001,,,7\n');
});
