// What the facade adds over better-sqlite3's own API, in every backend: the argument checks
// (better-sqlite3's TypeErrors and RangeErrors, word for word, also where PostgreSQL answers),
// the error classes, which files follow REGISTRY_BACKEND, and construction with or without `new`.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import test from 'ava';
import Database, { SqliteError, TranslationError, ConfigurationError } from 'swarm-registry-adapter';
import { postgresBackend, sqliteBackend, tempDir } from './helpers/backends.mjs';
import { createTestDatabase } from './helpers/pg.mjs';

const require = createRequire(import.meta.url);
const BetterSqlite3 = require('better-sqlite3');

const backends = [sqliteBackend(), postgresBackend(test)];

for (const backend of backends) {
  const it = (title, fn) => test(`${backend.name} › ${title}`, fn);

  it('prepare, exec and pragma check their arguments as better-sqlite3 does', async (t) => {
    const db = await backend.open(t);
    const firstString = { instanceOf: TypeError, message: 'Expected first argument to be a string' };
    t.throws(() => db.prepare(1), firstString);
    t.throws(() => db.prepare(null), firstString);
    t.throws(() => db.exec(1), firstString);
    t.throws(() => db.pragma(undefined), firstString);
    t.throws(() => db.pragma('foreign_keys', 'simple'), { instanceOf: TypeError, message: 'Expected second argument to be an options object' });
    t.throws(() => db.pragma('foreign_keys', { simple: 'yes' }), { instanceOf: TypeError, message: 'Expected the "simple" option to be a boolean' });
    t.throws(() => db.transaction({}), { instanceOf: TypeError, message: 'Expected first argument to be a function' });
  });

  it('run, get, all and iterate refuse bad bindings with the same errors', async (t) => {
    const db = await backend.open(t);
    db.exec('CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER)');
    const cases = [
      ['INSERT INTO kv (k, v) VALUES (?, ?)', ['a'], RangeError, 'Too few parameter values were provided'],
      ['INSERT INTO kv (k, v) VALUES (?, ?)', ['a', 1, 2], RangeError, 'Too many parameter values were provided'],
      ['INSERT INTO kv (k, v) VALUES (?, ?)', ['a', true], TypeError, 'SQLite3 can only bind numbers, strings, bigints, buffers, and null'],
      ['INSERT INTO kv (k, v) VALUES (?, ?)', ['a', 2n ** 70n], RangeError, 'The bound string, buffer, or bigint is too big'],
      ['INSERT INTO kv (k, v) VALUES (@k, @v)', [{ k: 'a' }], RangeError, 'Missing named parameter "v"'],
      ['INSERT INTO kv (k, v) VALUES (@k, @v)', [{ k: 'a' }, { v: 1 }], RangeError, 'Missing named parameter "v"'], // only the first object counts
      ['INSERT INTO kv (k, v) VALUES (@k, @v)', [new (class Row { constructor() { this.k = 'a'; this.v = 1; } })()], TypeError, 'Named parameters can only be passed within plain objects'],
    ];
    for (const [sql, params, type, message] of cases) {
      t.throws(() => db.prepare(sql).run(...params), { instanceOf: type, message }, `run ${sql} ${params.length}`);
      // better-sqlite3 gives the same answer: the expectations above are its own.
      t.throws(() => new BetterSqlite3(':memory:').exec('CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER)').prepare(sql).run(...params), { instanceOf: type, message });
    }
    const select = db.prepare('SELECT v FROM kv WHERE k = ? AND v > ?');
    for (const method of ['get', 'all', 'iterate']) {
      t.throws(() => select[method]('a'), { instanceOf: RangeError, message: 'Too few parameter values were provided' }, method);
      t.throws(() => select[method]('a', false), { instanceOf: TypeError, message: 'SQLite3 can only bind numbers, strings, bigints, buffers, and null' }, method);
    }
    t.is(db.prepare('SELECT COUNT(*) FROM kv').pluck().get(), 0, 'no refused binding wrote anything');
  });

  it('a SQL error is a SqliteError: the exported class, Database.SqliteError, with a code', async (t) => {
    const db = await backend.open(t);
    // better-sqlite3's SqliteError is not a native Error object to ava: { any: true }, then instanceof.
    const error = t.throws(() => db.prepare('SELECT * FROM missing_table'), { any: true });
    t.true(error instanceof SqliteError);
    t.true(error instanceof Database.SqliteError);
    t.true(error instanceof Error);
    t.is(error.name, 'SqliteError');
    t.is(error.code, 'SQLITE_ERROR');
  });

  it('methods called on something that is not a database throw TypeError', async (t) => {
    const db = await backend.open(t);
    t.throws(() => Database.prototype.prepare.call({}, 'SELECT 1'), { instanceOf: TypeError, message: 'Illegal invocation' });
    t.throws(() => Database.prototype.exec.call(Object.create(Database.prototype), 'SELECT 1'), { instanceOf: TypeError, message: 'Illegal invocation' });
    t.true(db instanceof Database, 'a real one still passes');
  });
}

test('the constructor checks its arguments as better-sqlite3 does', (t) => {
  const cases = [
    [[':memory:', 'options'], TypeError, 'Expected second argument to be an options object'],
    [[123], TypeError, 'Expected first argument to be a string'],
    [[':memory:', { readonly: 'yes' }], TypeError, 'Expected the "readonly" option to be a boolean'],
    [[':memory:', { timeout: -1 }], TypeError, 'Expected the "timeout" option to be a positive integer'],
    [[':memory:', { verbose: 1 }], TypeError, 'Expected the "verbose" option to be a function'],
    [[':memory:', { readonly: true }], TypeError, 'In-memory/temporary databases cannot be readonly'],
    [[':memory:', { readOnly: true }], TypeError, 'Misspelled option "readOnly" should be "readonly"'],
  ];
  for (const [args, type, message] of cases) {
    t.throws(() => new Database(...args), { instanceOf: type, message }, JSON.stringify(args));
    t.throws(() => Database(...args), { instanceOf: type, message }, `without new: ${JSON.stringify(args)}`);
    t.throws(() => new BetterSqlite3(...args), { instanceOf: type, message }, `better-sqlite3: ${JSON.stringify(args)}`);
  }
  const missing = t.throws(() => new Database(path.join(tempDir(t), 'absent.db'), { fileMustExist: true }), { any: true });
  t.true(missing instanceof SqliteError);
  t.is(missing.code, 'SQLITE_CANTOPEN');
});

test('construction without new gives the same kind of database, with the same prototype', (t) => {
  const withNew = new Database(':memory:');
  const without = Database(':memory:');
  t.teardown(() => { withNew.close(); without.close(); });
  t.is(Object.getPrototypeOf(without), Database.prototype);
  t.deepEqual(Object.keys(without), Object.keys(withNew));
  t.is(without.prepare('SELECT 1 + 1 AS two').get().two, 2);
  t.is(Database.Database, Database);
  t.is(Database.default, Database);
});

test('SqliteError is better-sqlite3\'s own class, and behaves as it does', (t) => {
  t.is(SqliteError, BetterSqlite3.SqliteError, 'one class: errors from SQLite and from PostgreSQL pass the same instanceof');
  const error = new SqliteError('disk on fire', 'SQLITE_IOERR');
  t.like(error, { name: 'SqliteError', message: 'disk on fire', code: 'SQLITE_IOERR' });
  t.true(error instanceof Error);
  t.true(SqliteError('called without new', 'SQLITE_BUSY') instanceof SqliteError);
  t.throws(() => new SqliteError('no code', 5), { instanceOf: TypeError, message: 'Expected second argument to be a string' });
});

test('TranslationError is a SqliteError (SQLITE_ERROR); ConfigurationError is not', (t) => {
  const translation = new TranslationError('cannot translate', 'WITHOUT ROWID', 'CREATE TABLE t (a) WITHOUT ROWID');
  t.true(translation instanceof SqliteError);
  t.like(translation, { name: 'TranslationError', code: 'SQLITE_ERROR', construct: 'WITHOUT ROWID' });
  const configuration = new ConfigurationError('REGISTRY_BACKEND="x" is not valid', 'REGISTRY_BACKEND');
  t.false(configuration instanceof SqliteError);
  t.like(configuration, { name: 'ConfigurationError', variable: 'REGISTRY_BACKEND' });
});

/** Runs fn with these environment variables set (synchronously: no other test runs meanwhile). */
function withEnv(vars, fn) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

test('only the file REGISTRY_DB names follows REGISTRY_BACKEND; REGISTRY_DB=* makes every file follow it', (t) => {
  const dir = tempDir(t);
  const registry = path.join(dir, 'registry.db');
  const other = path.join(dir, 'tickets.db');
  const notSet = { instanceOf: ConfigurationError, message: /DATABASE_URL is not set/ };
  withEnv({ REGISTRY_DB: registry, REGISTRY_BACKEND: 'postgres', DATABASE_URL: undefined }, () => {
    // Any other file is plain SQLite: it opens without a PostgreSQL.
    const db = new Database(other);
    t.is(db.prepare('SELECT sqlite_version() IS NOT NULL AS ok').get().ok, 1);
    db.close();
    const memory = new Database(':memory:');
    memory.close();
    // The registry file, however it is spelt, needs PostgreSQL; nothing is created.
    t.throws(() => new Database(registry), notSet);
    t.throws(() => Database(path.join(dir, 'sub', '..', 'registry.db')), notSet);
    t.false(fs.existsSync(registry));
    t.throws(() => new Database(other, { backend: 'postgres' }), notSet, 'an explicit backend option applies to any file');
  });
  withEnv({ REGISTRY_DB: '*', REGISTRY_BACKEND: 'postgres', DATABASE_URL: undefined }, () => {
    t.throws(() => new Database(other), notSet);
  });
  t.true(fs.existsSync(other));
});

test('the registry file opens on PostgreSQL from the environment alone', async (t) => {
  const { url } = await createTestDatabase(t);
  const registry = path.join(tempDir(t), 'registry.db');
  const db = withEnv({ REGISTRY_DB: registry, REGISTRY_BACKEND: 'postgres', DATABASE_URL: url, REGISTRY_PG_SCHEMA: `facade_${process.pid}` }, () => new Database(registry));
  t.teardown(() => db.close());
  t.throws(() => db.function('f', () => 1), { instanceOf: TypeError, message: /Database#function\(\) is not supported on PostgreSQL/ });
  t.false(fs.existsSync(registry), 'no SQLite file was created');
});
