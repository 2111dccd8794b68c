// SQLite's rowid on PostgreSQL: assigned as SQLite assigns it (lastInsertRowid of every insert
// form), rows of one-table queries in rowid order, kept by backfill and compared by verify, and
// never assigned twice by two processes inserting at once.
import test from 'ava';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { postgresBackend, settled, sqliteBackend, tempDir } from './helpers/backends.mjs';
import { createTestDatabase, withClient } from './helpers/pg.mjs';
import { cli } from './60.migrate-helpers.mjs';
import { asyncBackends } from './helpers/async-backends.mjs';

const require = createRequire(import.meta.url);
const { REGISTRY_SQLITE_DDL } = require('../dist/schema/index.js');
const pg = postgresBackend(test);
const sqlite = sqliteBackend();
const asyncDbs = asyncBackends(test);

const SCRATCH = [
  'CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER, u TEXT UNIQUE)',
  'CREATE TABLE n (id INTEGER PRIMARY KEY, label TEXT)',
];

/** The same statements on both backends; each answer (result, rows or error code) side by side. */
async function both(t, steps) {
  const dbs = [sqlite.open(t), await pg.open(t)];
  for (const db of dbs) for (const ddl of SCRATCH) db.exec(ddl);
  const answers = dbs.map((db) => steps.map(([how, sql, ...args]) => {
    try {
      return db.prepare(sql)[how](...args);
    } catch (error) {
      return { error: error.code };
    }
  }));
  return { sqlite: answers[0], postgres: answers[1], dbs };
}

test('lastInsertRowid is SQLite\'s for every insert form, and unchanged by statements that insert nothing', async (t) => {
  const steps = [
    ['run', 'INSERT INTO t (k, v) VALUES (?, ?)', 'a', 1],
    ['run', "INSERT INTO t (k, v) VALUES ('b', 2), ('c', 3)"],
    ['run', "UPDATE t SET v = v + 1 WHERE k = 'a'"],
    ['run', "INSERT OR IGNORE INTO t (k, v) VALUES ('a', 9)"],
    ['run', "INSERT INTO t (k, v) VALUES ('a', 5) ON CONFLICT (k) DO UPDATE SET v = excluded.v"],
    ['run', "INSERT INTO t (k, v) VALUES ('d', 5) ON CONFLICT (k) DO UPDATE SET v = excluded.v"],
    ['run', "INSERT OR REPLACE INTO t (k, v) VALUES ('d', 6)"], // d holds the largest rowid: SQLite numbers the new row first
    ['run', "REPLACE INTO t (k, v) VALUES ('a', 7)"],
    ['run', "INSERT INTO t (k, v) SELECT k || '2', v FROM t WHERE v > 2"],
    ['run', "DELETE FROM t WHERE k = 'a'"],
    ['run', "INSERT INTO t (k) VALUES ('e')"],
    ['run', "INSERT INTO t (k, u) VALUES ('f', 'x')"],
    ['run', "INSERT INTO t (k, u) VALUES ('g', 'x')"], // a unique violation: no rowid taken
    ['run', "INSERT INTO n (label) VALUES ('one')"],
    ['run', "INSERT INTO n (id, label) VALUES (10, 'ten')"],
    ['run', "INSERT INTO n (label) VALUES ('eleven')"],
    ['run', "INSERT INTO n (id, label) VALUES (NULL, 'twelve')"],
    ['run', "REPLACE INTO n (id, label) VALUES (10, 'TEN')"],
    ['all', 'SELECT k, v FROM t'],
    ['all', 'SELECT * FROM n'],
  ];
  const { sqlite: expected, postgres: actual } = await both(t, steps);
  t.is(expected[0].lastInsertRowid, 1);
  steps.forEach(([, sql], i) => t.deepEqual(actual[i], expected[i], sql));
});

/** One-row inserts in a transaction with everything that must make the next one read the table again. */
const TX_STEPS = [
  ['run', "INSERT INTO t (k, v) VALUES ('a', 1)"],
  ['run', 'INSERT INTO t (k, v) VALUES (?, ?)', 'b', 2],
  ['run', 'INSERT INTO n (label) VALUES (?)', 'one'],
  ['run', 'INSERT INTO t (k, v) VALUES (?, ?)', 'c', 3],
  ['run', 'INSERT INTO n (label) VALUES (?)', 'two'],
  ['run', "DELETE FROM t WHERE k = 'c'"], // the largest rowid: SQLite gives it again
  ['run', 'INSERT INTO t (k, v) VALUES (?, ?)', 'd', 4],
  ['run', 'INSERT INTO t (k, v) VALUES (?, ?)', 'a', 5], // a unique violation
  ['run', 'INSERT INTO t (k, v) VALUES (?, ?)', 'e', 5],
  ['run', "INSERT INTO n (id, label) VALUES (10, 'ten')"],
  ['run', 'INSERT INTO n (label) VALUES (?)', 'eleven'],
  ['savepoint'],
  ['run', 'INSERT INTO t (k, v) VALUES (?, ?)', 'f', 6],
  ['run', 'INSERT INTO t (k, v) VALUES (?, ?)', 'g', 7],
  ['rollback to'],
  ['run', 'INSERT INTO t (k, v) VALUES (?, ?)', 'h', 8],
  ['run', "UPDATE t SET v = v + 1 WHERE k = 'h'"],
  ['run', 'INSERT INTO t (k, v) VALUES (?, ?)', 'i', 9],
  ['run', "INSERT INTO t (k, v) VALUES ('j', 10), ('k', 11)"],
  ['run', 'INSERT INTO t (k, v) VALUES (?, ?)', 'l', 12],
  ['run', "DELETE FROM n WHERE id = 11"],
  ['run', 'INSERT INTO n (label) VALUES (?)', 'again'],
];

test('in a transaction, inserts numbered one after another keep SQLite\'s rowids through deletes, failures, savepoints and other tables', async (t) => {
  // Consecutive one-row inserts in a transaction may be numbered by the connection itself
  // (src/backends/postgres/core/next-rowid.ts): everything else in between must make it read the table again.
  const dbs = [sqlite.open(t), await pg.open(t)];
  const answers = dbs.map((db) => {
    for (const ddl of SCRATCH) db.exec(ddl);
    // Prepared first: a statement prepared inside the transaction is one more call in between.
    const statements = new Map(TX_STEPS.filter(([, sql]) => sql).map(([, sql]) => [sql, db.prepare(sql)]));
    const out = [];
    db.transaction(() => {
      for (const [how, sql, ...args] of TX_STEPS) {
        if (how === 'savepoint' || how === 'rollback to') {
          db.exec(`${how.toUpperCase()} sp`);
          continue;
        }
        try {
          out.push(statements.get(sql)[how](...args));
        } catch (error) {
          out.push({ error: error.code });
        }
      }
    })();
    out.push(db.prepare('SELECT _rowid_ AS r, k, v FROM t ORDER BY _rowid_').all(), db.prepare('SELECT * FROM n ORDER BY id').all());
    out.push(db.prepare('INSERT INTO t (k) VALUES (?)').run('after'));
    return out;
  });
  t.is(answers[0].length, TX_STEPS.length - 2 + 3);
  t.deepEqual(answers[1], answers[0]);
  t.is(answers[0][6].lastInsertRowid, 3);
});

test('AsyncDatabase: the same in transaction(fn), and a table with a trigger of its own (inserting into another table) is always read again', async (t) => {
  const answers = [];
  for (const backend of asyncDbs) {
    const db = await backend.open(t);
    for (const ddl of SCRATCH) await db.exec(ddl);
    if (backend.name === 'sqlite') {
      await db.exec("CREATE TRIGGER n_added AFTER INSERT ON n BEGIN INSERT INTO t (k, v) VALUES ('n' || NEW.id, 0); END");
    } else {
      // PostgreSQL's own trigger (SQLite's CREATE TRIGGER has no translation), then any DDL so the catalog is read again.
      await withClient(db.testUrl, (client) => client.query(`SET search_path TO "${db.testSchema}";
        CREATE FUNCTION n_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO t (k, v) VALUES ('n' || NEW.id, 0); RETURN NULL; END $$;
        CREATE TRIGGER n_added AFTER INSERT ON n FOR EACH ROW EXECUTE FUNCTION n_added()`));
      await db.exec('CREATE TABLE refresh (a TEXT)');
    }
    const statements = new Map();
    for (const [, sql] of TX_STEPS) if (sql) statements.set(sql, await db.prepare(sql));
    const out = [];
    await db.transaction(async () => {
      for (const [how, sql, ...args] of TX_STEPS) {
        if (how === 'savepoint' || how === 'rollback to') {
          await db.exec(`${how.toUpperCase()} sp`);
          continue;
        }
        try {
          out.push(await statements.get(sql)[how](...args));
        } catch (error) {
          out.push({ error: error.code });
        }
      }
    });
    out.push(await (await db.prepare('SELECT _rowid_ AS r, k, v FROM t ORDER BY _rowid_')).all());
    answers.push(out);
  }
  t.deepEqual(answers[1], answers[0]);
  t.true(answers[0].at(-1).some((row) => row.k === 'n1'));
});

test('rowid, oid and _rowid_ name the rowid (the INTEGER PRIMARY KEY, or the hidden column) in every clause, with SQLite\'s result names', async (t) => {
  const steps = [
    ['run', "INSERT INTO t (k, v) VALUES ('b', 2), ('a', 1), ('c', 3)"],
    ['run', "INSERT INTO n (label) VALUES ('one'), ('two')"],
    ['run', 'DELETE FROM t WHERE rowid = ?', 2],
    ['all', 'SELECT rowid, k FROM t'],
    ['all', 'SELECT ROWID, OID, _rowid_, "rowid" FROM t ORDER BY rowid DESC'],
    ['all', 'SELECT rowid, oid, label FROM n'],
    ['all', 'SELECT x.rowid AS r, x.k FROM t AS x WHERE x.oid > ?', 0],
    ['all', 'SELECT rowid + 1 FROM t'],
    ['all', 'SELECT max(rowid), min(oid) FROM t'],
    ['all', 'SELECT (rowid) FROM n WHERE rowid IN (SELECT rowid FROM t)'],
    ['get', 'SELECT count(*) AS c FROM t WHERE _rowid_ = ?', '3'],
    ['run', 'UPDATE t SET v = v * 10 WHERE oid = ?', 3n],
    ['run', "INSERT INTO t (rowid, k, v) VALUES (10, 'z', 0)"],
    ['run', "INSERT INTO n (oid, label) VALUES (7, 'seven')"],
    ['run', "INSERT INTO t (k) VALUES ('y')"],
    ['all', 'SELECT t.rowid, t.k, n.rowid FROM t JOIN n ON n.rowid = t.rowid - 2'],
    ['all', 'SELECT rowid, * FROM t'],
  ];
  const { sqlite: expected, postgres: actual } = await both(t, steps);
  t.deepEqual(expected[3], [{ rowid: 1, k: 'b' }, { rowid: 3, k: 'c' }]);
  t.deepEqual(Object.keys(expected[5][0]), ['id', 'label']);
  steps.forEach(([, sql], i) => t.deepEqual(actual[i], expected[i], sql));
});

test('ALTER TABLE keeps the rowid: RENAME TO, RENAME COLUMN of the INTEGER PRIMARY KEY, ADD COLUMN then INSERT without a column list, DROP COLUMN', async (t) => {
  const steps = [
    ['run', "INSERT INTO t (k, v) VALUES ('b', 1), ('a', 2)"],
    ['all', 'PRAGMA index_list(t)'],
    ['run', 'CREATE INDEX t_v ON t (v)'],
    ['all', 'PRAGMA index_list(t)'],
    ['all', 'PRAGMA index_list(n)'],
    ['run', 'ALTER TABLE t RENAME TO t2'],
    ['all', 'PRAGMA index_list(t2)'],
    ['run', 'CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER UNIQUE)'], // the old name's constraint indexes are free again
    ['run', "INSERT INTO t (k, v) VALUES ('x', 1)"],
    ['all', 'SELECT rowid, * FROM t'],
    ['run', "INSERT INTO t2 (k, v) VALUES ('c', 3)"],
    ['run', "INSERT INTO t2 (k, v) SELECT k || 'x', v FROM t2 WHERE v > 2"], // the rowid's trigger, not the inlined next rowid
    ['run', "ALTER TABLE t2 ADD COLUMN w TEXT DEFAULT 'z'"],
    ['run', "INSERT INTO t2 VALUES ('d', 4, NULL, 'q')"],
    ['run', 'ALTER TABLE t2 RENAME COLUMN v TO vv'],
    ['run', "INSERT INTO t2 (k, vv) VALUES ('e', 5)"],
    ['run', 'ALTER TABLE t2 DROP COLUMN w'],
    ['run', "INSERT INTO t2 VALUES ('f', 6, NULL)"],
    ['all', 'SELECT rowid, * FROM t2'],
    ['run', "INSERT INTO n (label) VALUES ('one')"],
    ['run', 'ALTER TABLE n RENAME COLUMN id TO nid'],
    ['run', "INSERT INTO n (label) VALUES ('two')"],
    ['run', "INSERT INTO n SELECT NULL, label || '!' FROM n"],
    ['all', 'SELECT rowid, * FROM n'],
    ['get', 'SELECT count(*) AS c FROM t2 x JOIN n ON n.rowid = x.rowid'],
  ];
  const { sqlite: expected, postgres: actual } = await both(t, steps);
  t.is(expected[18].length, 7);
  t.deepEqual(expected[3].map((i) => i.name), ['t_v', 'sqlite_autoindex_t_2', 'sqlite_autoindex_t_1']);
  steps.forEach(([, sql], i) => t.deepEqual(actual[i], expected[i], sql));
});

test('an unqualified rowid of two tables is refused at prepare with the fix, as SQLite refuses it', async (t) => {
  const db = await pg.open(t);
  for (const ddl of SCRATCH) db.exec(ddl);
  const lite = sqlite.open(t);
  for (const ddl of SCRATCH) lite.exec(ddl);
  const refusal = (db) => {
    try {
      db.prepare('SELECT rowid FROM t, n');
    } catch (error) {
      return error;
    }
    return undefined;
  };
  t.regex(refusal(lite)?.message ?? '', /ambiguous column name: rowid/);
  t.is(refusal(db)?.name, 'TranslationError');
  t.regex(refusal(db)?.message ?? '', /ambiguous.*t\.rowid/);
});

test('SELECT * and PRAGMA table_info never show the hidden rowid; a statement that inserts is no reader', async (t) => {
  const { dbs } = await both(t, [['run', "INSERT INTO t (k, v) VALUES ('a', 1)"]]);
  const [lite, post] = dbs;
  for (const sql of ['SELECT * FROM t', 'SELECT t.* FROM t', 'SELECT * FROM t NATURAL JOIN t AS t2', 'SELECT * FROM (SELECT * FROM t) AS s', 'PRAGMA table_info(t)']) {
    t.deepEqual(post.prepare(sql).all(), lite.prepare(sql).all(), sql);
  }
  t.deepEqual(post.prepare('SELECT * FROM t').columns().map((c) => c.name), ['k', 'v', 'u']);
  t.false(post.prepare("INSERT INTO t (k) VALUES ('z')").reader);
});

test('queries without ORDER BY, LIMIT without ORDER BY and ties of an ORDER BY return SQLite\'s rows in SQLite\'s order', async (t) => {
  // Inserted in an order that is neither the key's nor its reverse.
  const inserts = ['m', 'c', 'x', 'a', 'q', 'b'].map((k, i) => ['run', 'INSERT INTO t (k, v) VALUES (?, ?)', k, i % 2]);
  const reads = [
    'SELECT k, v FROM t',
    'SELECT * FROM t LIMIT 3',
    'SELECT k, v FROM t LIMIT 2 OFFSET 2',
    'SELECT k FROM t ORDER BY v',
    'SELECT k FROM t ORDER BY v DESC LIMIT 4',
    'SELECT k, v FROM t WHERE v = 1',
    "SELECT k FROM t WHERE v = 0 OR k = 'x'",
  ].map((sql) => ['all', sql]);
  const { sqlite: expected, postgres: actual } = await both(t, [...inserts, ...reads]);
  reads.forEach(([, sql], i) => t.deepEqual(actual[inserts.length + i], expected[inserts.length + i], sql));
});

async function agentsAnswers(t) {
  const dbs = [sqlite.open(t), await pg.open(t)];
  for (const db of dbs) db.exec(REGISTRY_SQLITE_DDL);
  return dbs.map((db) => {
    // Timestamps given, not DEFAULT CURRENT_TIMESTAMP: the two inserts may fall in different seconds.
    const insert = db.prepare("INSERT INTO agents (id, name, version, path, created_at, updated_at) VALUES (?, ?, ?, ?, '2026-01-02 03:04:05', '2026-01-02 03:04:05')");
    // Versions inserted out of order: the first inserted is neither the smallest nor the largest.
    for (const [id, version] of [['ag-2', '2.0'], ['ag-1', '1.0'], ['ag-3', '3.0']]) insert.run(id, 'coder', version, `/a/${id}`);
    const get = db.prepare('SELECT * FROM agents WHERE id = ? OR name = ?');
    return {
      byKey: get.get('ag-3', 'ag-3'),
      byName: get.get('coder', 'coder'),
      allByName: db.prepare('SELECT id FROM agents WHERE name = ?').pluck().all('coder'),
      firstByName: db.prepare('SELECT id FROM agents WHERE name = ? LIMIT 1').pluck().get('coder'),
    };
  });
}

test('the engine\'s SELECT * FROM agents WHERE id = ? OR name = ? matching a key gets the same agent as on SQLite', async (t) => {
  const [lite, post] = await agentsAnswers(t);
  t.is(lite.byKey.id, 'ag-3');
  t.deepEqual(post.byKey, lite.byKey);
});

// SQLite reads the rows matching the name through the UNIQUE(name, version) index (MULTI-INDEX
// OR): the first is the smallest version, not the first inserted.
test('the engine\'s SELECT * FROM agents WHERE id = ? OR name = ? matching a name gets the same version as on SQLite', async (t) => {
  const [lite, post] = await agentsAnswers(t);
  t.is(lite.byName.id, 'ag-1');
  t.deepEqual(post.byName, lite.byName);
  t.deepEqual(post.allByName, lite.allByName);
  t.is(post.firstByName, lite.firstByName);
});

test('backfill copies the rowids and verify compares them', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = path.join(tempDir(t), 'registry.db');
  const Database = (await import('swarm-registry-adapter')).default;
  const db = new Database(file, { backend: 'sqlite' });
  db.exec(REGISTRY_SQLITE_DDL);
  const insert = db.prepare("INSERT INTO workflows (id, name, version, path, steps) VALUES (?, ?, '1', '/w', '[]')");
  for (const id of ['w3', 'w1', 'w5', 'w2']) insert.run(id, `n-${id}`);
  db.prepare("DELETE FROM workflows WHERE id = 'w1'").run(); // a gap in the rowids
  db.close();
  const env = { REGISTRY_DB: file, DATABASE_URL: url };
  t.is((await cli(['init'], env)).code, 0);
  const backfill = await cli(['backfill', '--json'], env);
  t.is(backfill.code, 0, backfill.stderr);
  const rows = await withClient(url, async (c) => (await c.query('SELECT id, "_rowid_" AS rowid FROM engine_registry.workflows ORDER BY 2')).rows);
  t.deepEqual(rows.map((r) => [r.id, Number(r.rowid)]), [['w3', 1], ['w5', 3], ['w2', 4]]);
  t.is((await cli(['verify'], env)).code, 0);
  // Only the rowid differs: verify finds it.
  await withClient(url, (c) => c.query(`UPDATE engine_registry.workflows SET "_rowid_" = 9 WHERE id = 'w5'`));
  const differs = await cli(['verify', '--json'], env);
  t.is(differs.code, 1, differs.stdout);
  const repaired = await cli(['verify', '--repair'], env);
  t.is(repaired.code, 0, repaired.stderr);
  t.deepEqual(await withClient(url, async (c) => (await c.query(`SELECT "_rowid_" AS r FROM engine_registry.workflows WHERE id = 'w5'`)).rows[0].r).then(Number), 3);
});

const WORKER = `
import Database from 'swarm-registry-adapter';
const [file, url, schema, who] = process.argv.slice(1);
const db = new Database(file, { backend: 'postgres', databaseUrl: url, pgSchema: schema });
const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
const rowids = [];
for (let i = 0; i < 60; i++) rowids.push(insert.run(who + '-' + i).lastInsertRowid);
db.close();
process.stdout.write(JSON.stringify(rowids));
`;

function worker(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', WORKER, ...args], { env: { ...process.env, REGISTRY_LOG_LEVEL: 'silent' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

test('two processes inserting at once never assign the same rowid', async (t) => {
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const schema = 'concurrent_rowids';
  const Database = (await import('swarm-registry-adapter')).default;
  const setup = new Database(path.join(dir, 'setup.db'), { backend: 'postgres', databaseUrl: url, pgSchema: schema });
  setup.exec(SCRATCH[0]);
  setup.close();
  const runs = await Promise.all(['p1', 'p2'].map((who) => worker([path.join(dir, `${who}.db`), url, schema, who])));
  for (const r of runs) t.is(r.code, 0, r.err);
  const rowids = runs.flatMap((r) => JSON.parse(r.out));
  t.is(new Set(rowids).size, 120, 'every insert got a rowid of its own');
  const stored = await withClient(url, async (c) => (await c.query(`SELECT "_rowid_" AS r FROM "${schema}".t ORDER BY 1`)).rows.map((r) => Number(r.r)));
  t.deepEqual(stored, Array.from({ length: 120 }, (_, i) => i + 1), 'numbered 1..120 without gaps, as one SQLite writer at a time would');
  t.deepEqual([...rowids].sort((a, b) => a - b), stored);
});

test('shadow mode with SQLite primary: the mirrored PostgreSQL rows get the rowids SQLite assigned', async (t) => {
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const Database = (await import('swarm-registry-adapter')).default;
  const schema = 'mirror_rowids';
  const db = new Database(path.join(dir, 'registry.db'), { backend: 'shadow', primary: 'sqlite', databaseUrl: url, pgSchema: schema, divergenceLog: path.join(dir, 'divergences.jsonl') });
  t.teardown(() => db.open && db.close());
  db.exec(SCRATCH[0]);
  const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
  for (const k of ['m', 'c', 'x', 'a']) insert.run(k, 1);
  db.prepare("DELETE FROM t WHERE k = 'x'").run(); // the largest rowid: SQLite reuses it
  db.prepare("INSERT OR REPLACE INTO t (k, v) VALUES ('c', 2)").run();
  db.prepare("INSERT INTO t (k, v) VALUES ('y', 3), ('z', 4)").run();
  db.transaction(() => insert.run('w', 5))();
  await settled(db);
  // _rowid_ is SQLite's own name of the rowid, and the hidden column's name on PostgreSQL.
  const primary = db.prepare('SELECT _rowid_ AS r, k FROM t ORDER BY k').all();
  const mirrored = await withClient(url, async (c) => (await c.query(`SELECT "_rowid_" AS r, k FROM ${schema}.t ORDER BY k`)).rows.map((r) => ({ r: Number(r.r), k: r.k })));
  t.deepEqual(mirrored, primary);
  t.is(db.shadowStats().diverged, 0, 'every mirrored write answered as on SQLite');
});
