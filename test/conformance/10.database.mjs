import { DDL, seed } from './schema.mjs';

export default function (test, backend) {
  const it = (title, fn) => test(`${backend.name} › database › ${title}`, fn);

  it('is open, with better-sqlite3\'s properties', async (t) => {
    const db = await backend.open(t);
    t.true(db.open);
    t.false(db.inTransaction);
    t.false(db.readonly);
    t.is(typeof db.name, 'string');
    t.is(typeof db.memory, 'boolean');
    t.deepEqual(Object.keys(db).sort(), ['inTransaction', 'memory', 'name', 'open', 'readonly']);
  });

  it('exec() runs the engine\'s multi-statement DDL, idempotently, and returns the database', async (t) => {
    const db = await backend.open(t);
    t.is(db.exec(DDL), db);
    t.is(db.exec(DDL), db);
    t.deepEqual(db.prepare("SELECT COUNT(*) AS n FROM workflows").get(), { n: 0 });
  });

  it('prepare() returns a statement that knows its source, reader and readonly', async (t) => {
    const db = await backend.open(t);
    db.exec(DDL);
    const select = db.prepare('SELECT id FROM workflows WHERE name = ?');
    t.is(select.source, 'SELECT id FROM workflows WHERE name = ?');
    t.true(select.reader);
    t.true(select.readonly);
    t.is(select.database, db);
    const insert = db.prepare("INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, ?, ?)");
    t.false(insert.reader);
    t.false(insert.readonly);
  });

  it('prepare() throws for bad SQL and for a missing table, before anything runs', async (t) => {
    const db = await backend.open(t);
    const syntax = t.throws(() => db.prepare('SELEC id FROM workflows'), { any: true });
    t.is(syntax.name, 'SqliteError');
    t.is(syntax.code, 'SQLITE_ERROR');
    const missing = t.throws(() => db.prepare('SELECT * FROM no_such_table'), { any: true });
    t.is(missing.code, 'SQLITE_ERROR');
    t.regex(missing.message, /no_such_table/);
  });

  it('prepare() refuses empty SQL and several statements with RangeError', async (t) => {
    const db = await backend.open(t);
    t.throws(() => db.prepare(''), { instanceOf: RangeError, message: 'The supplied SQL string contains no statements' });
    t.throws(() => db.prepare('SELECT 1; SELECT 2'), { instanceOf: RangeError, message: 'The supplied SQL string contains more than one statement' });
    t.throws(() => db.prepare(42), { instanceOf: TypeError });
  });

  it('pragma() returns rows, or one value with { simple: true }', async (t) => {
    const db = await backend.open(t);
    db.exec(DDL);
    const info = db.pragma('table_info(vm_assignments)');
    t.deepEqual(info.map((c) => c.name), ['vm_id', 'ticket_id', 'assigned_at', 'status', 'heartbeat_at']);
    t.deepEqual(info.map((c) => c.pk), [1, 0, 0, 0, 0]);
    t.is(db.pragma('foreign_keys', { simple: true }), 1);
    t.throws(() => db.pragma('foreign_keys', { simple: 1 }), { instanceOf: TypeError, message: 'Expected the "simple" option to be a boolean' });
    t.throws(() => db.pragma(1), { instanceOf: TypeError, message: 'Expected first argument to be a string' });
  });

  it('close() closes; any later use is the same TypeError as better-sqlite3', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const stmt = db.prepare('SELECT * FROM workflows');
    t.is(db.close(), db);
    t.false(db.open);
    t.throws(() => db.prepare('SELECT 1'), { instanceOf: TypeError, message: 'The database connection is not open' });
    t.throws(() => db.exec('SELECT 1'), { instanceOf: TypeError, message: 'The database connection is not open' });
    t.throws(() => stmt.all(), { instanceOf: TypeError, message: 'The database connection is not open' });
    t.notThrows(() => db.close());
  });

  it('can be called without new, like better-sqlite3', async (t) => {
    const db = await backend.open(t, { withoutNew: true });
    t.true(db.open);
    t.true(db instanceof backend.Database);
  });
}
