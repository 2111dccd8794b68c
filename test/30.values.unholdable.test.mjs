// Values PostgreSQL cannot hold as SQLite does are refused when bound, in postgres mode and in
// shadow mode with either side answering, with a SQLITE_MISMATCH SqliteError naming the parameter
// and the column; SQLite mode keeps storing them as better-sqlite3 does. Nothing reaches either side.
import test from 'ava';
import fs from 'node:fs';
import { postgresBackend, shadowBackend, sqliteBackend } from './helpers/backends.mjs';

const postgres = postgresBackend(test);
const shadows = [shadowBackend(test, { primary: 'sqlite' }), shadowBackend(test, { primary: 'postgres' })];

const CASES = [
  { what: 'a NUL character in text', sql: 'INSERT INTO t (id, note) VALUES (?, ?)', args: ['a', 'before\0after'], message: /parameter 2 \(for t\.note\) holds text with a NUL character \(U\+0000\) at position 6, which PostgreSQL text cannot store: remove the NUL/ },
  { what: "'infinity' for a timestamp", sql: 'UPDATE t SET at = @at WHERE id = @id', args: [{ at: 'infinity', id: 'x' }], message: /parameter "at" \(for t\.at\) holds the timestamp word 'infinity', which PostgreSQL would store as an infinite time/ },
  { what: "'-Infinity' in a named insert", sql: 'INSERT INTO t (id, at) VALUES (:id, :at)', args: [{ id: 'b', at: ' -Infinity' }], message: /parameter "at" \(for t\.at\) holds the timestamp word '-Infinity'/ },
  { what: 'an integer beyond 64 bits', sql: 'INSERT INTO t (id, n) VALUES (?, ?)', args: ['c', 1e20], message: /parameter 2 \(for t\.n\) holds 100000000000000000000, beyond the 64-bit integer range/ },
  // What a column's affinity keeps in a class PostgreSQL's column cannot hold (values/store.ts).
  { what: 'text an INTEGER column keeps as text', sql: 'UPDATE t SET n = ? WHERE id = ?', args: ['abc', 'x'], message: /a text stored into t\.n would be kept by SQLite as TEXT \(the INTEGER column's affinity does not convert it\)/ },
  { what: 'a string into a BLOB column', sql: 'INSERT INTO t (id, b) VALUES (?, ?)', args: ['d', 'a\0b'], message: /a text stored into t\.b would be kept by SQLite as TEXT/ },
];

const DDL = 'CREATE TABLE t (id TEXT PRIMARY KEY, note TEXT, at TIMESTAMP, n INTEGER, b BLOB)';

for (const backend of [postgres, ...shadows]) {
  test(`${backend.name}: refuses what PostgreSQL cannot hold, naming the parameter and column`, async (t) => {
    const db = await backend.open(t);
    db.exec(DDL);
    db.prepare("INSERT INTO t (id, note) VALUES ('x', 'kept')").run();
    for (const c of CASES) {
      const error = t.throws(() => db.prepare(c.sql).run(...c.args), { any: true, instanceOf: backend.SqliteError }, c.what);
      t.is(error.code, 'SQLITE_MISMATCH', c.what);
      t.regex(error.message, c.message, c.what);
    }
    // Ordinary values still go through, and a NUL in a Buffer bound for a BLOB is bytes, which PostgreSQL holds.
    db.prepare('INSERT INTO t (id, note, at, n, b) VALUES (?, ?, ?, ?, ?)').run('ok', 'infinity and beyond', '2024-01-02 03:04:05', 2 ** 62, Buffer.from('a\0b'));
    t.deepEqual(db.prepare('SELECT id, note FROM t ORDER BY id').all(), [{ id: 'ok', note: 'infinity and beyond' }, { id: 'x', note: 'kept' }]);
    db.close();
    if (backend.logs) {
      const logged = backend.logs().map((f) => fs.readFileSync(f, 'utf8')).join('');
      t.is(logged, '', 'the secondary saw nothing it could not apply, and nothing diverged');
    }
  });
}

test('sqlite: stores them as better-sqlite3 does (the difference the other modes refuse)', (t) => {
  const db = sqliteBackend().open(t);
  db.exec(DDL);
  db.prepare('INSERT INTO t (id, note, at, n) VALUES (?, ?, ?, ?)').run('a', 'x\0y', 'infinity', 1e20);
  t.deepEqual(db.prepare('SELECT note, at, typeof(n) AS n FROM t').get(), { note: 'x\0y', at: 'infinity', n: 'real' });
});
