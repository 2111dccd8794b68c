// AsyncDatabase's statements, the same tests on SQLite and on PostgreSQL (straight on a pg pool).
import test from 'ava';
import sinon from 'sinon';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteError } from 'swarm-registry-adapter';
import { asyncBackends } from './helpers/async-backends.mjs';

const DDL = `CREATE TABLE agents (id TEXT PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL, memory_mb INTEGER DEFAULT 128,
  capabilities JSON, enabled BOOLEAN DEFAULT 1, UNIQUE(name, version));
  CREATE TABLE runs (id TEXT PRIMARY KEY, agent_id TEXT NOT NULL REFERENCES agents(id), status TEXT)`;

async function seeded(backend, t, rows = 3) {
  const db = await backend.open(t);
  await db.exec(DDL);
  const insert = await db.prepare('INSERT INTO agents (id, name, version, memory_mb) VALUES (?, ?, ?, ?)');
  await db.transaction(async () => {
    for (let i = 0; i < rows; i++) await insert.run(`agent-${i}`, `name-${i % 2}`, `1.${i}.0`, 100 + i);
  });
  return db;
}

for (const backend of asyncBackends(test)) {
  const name = (title) => `${backend.name}: ${title}`;

  test(name('run() reports changes; lastInsertRowid is the rowid SQLite assigns, on both backends'), async (t) => {
    const db = await seeded(backend, t);
    const insert = await db.prepare('INSERT INTO agents (id, name, version) VALUES (@id, @name, @version)');
    const result = await insert.run({ id: 'x', name: 'x', version: '1' });
    t.is(result.changes, 1);
    t.is(result.lastInsertRowid, 4);
    t.deepEqual(await (await db.prepare('UPDATE agents SET memory_mb = 1 WHERE name = ?')).run('name-0'), { changes: 2, lastInsertRowid: 4 });
  });

  test(name('one multi-row REPLACE or upsert applies its rows in turn; a statement whose last row fails keeps none'), async (t) => {
    const db = await seeded(backend, t);
    const replace = await db.prepare('REPLACE INTO agents (id, name, version) VALUES (?, ?, ?), (?, ?, ?)');
    t.deepEqual(await replace.run('x', 'a', '1', 'y', 'a', '1'), { changes: 2, lastInsertRowid: 5 });
    t.deepEqual(await (await db.prepare("SELECT id FROM agents WHERE name = 'a'")).all(), [{ id: 'y' }]);
    const upsert = await db.prepare("INSERT INTO agents (id, name, version) VALUES ('z', 'b', '1'), ('z', 'c', '1') ON CONFLICT(id) DO UPDATE SET name = agents.name || excluded.name");
    t.deepEqual(await upsert.run(), { changes: 2, lastInsertRowid: 6 });
    t.is((await (await db.prepare("SELECT name FROM agents WHERE id = 'z'")).get()).name, 'bc');
    await db.transaction(async () => {
      const failing = await db.prepare("REPLACE INTO runs (id, agent_id) VALUES ('r1', 'x'), ('r1', 'no-such')");
      await t.throwsAsync(failing.run(), { any: true, code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
      t.is((await (await db.prepare("SELECT count(*) AS n FROM runs")).get()).n, 0);
    });
  });

  // Parameters no column types take the type of each call's values (one prepared variant per class
  // combination): the same statement answers by the class of what is bound, as on SQLite.
  test(name('a parameter no column types answers by the class of the value bound, call after call'), async (t) => {
    const db = await seeded(backend, t);
    const stmt = await db.prepare('SELECT ? + 1 AS a, (?) AS b, 7 / ? AS c FROM agents WHERE memory_mb > ? ORDER BY id LIMIT 1');
    t.deepEqual(await stmt.get(5, 'x', 2, 100.5), { a: 6, b: 'x', c: 3.5 });
    t.deepEqual(await stmt.get(5n, Buffer.from('A'), 2n, 101), { a: 6, b: Buffer.from('A'), c: 3 });
    t.deepEqual(await stmt.get(null, null, null, 100.5), { a: null, b: null, c: null });
    t.deepEqual(await stmt.get(0.5, 7, 4, 101.5), { a: 1.5, b: 7, c: 1.75 });
    const blob = await db.prepare('SELECT count(*) AS n FROM agents WHERE ? IS NOT 0.5 AND memory_mb < ?');
    t.deepEqual(await blob.get(Buffer.from([0xff, 0x10]), Buffer.alloc(0)), { n: 3 });
  });

  test(name('get() and all() return rows shaped as SQLite returns them'), async (t) => {
    const db = await seeded(backend, t);
    const get = await db.prepare('SELECT id, memory_mb, enabled FROM agents WHERE id = ?');
    t.deepEqual(await get.get('agent-1'), { id: 'agent-1', memory_mb: 101, enabled: 1 });
    t.is(await get.get('missing'), undefined);
    const all = await db.prepare('SELECT id FROM agents WHERE name = ? ORDER BY id');
    t.deepEqual(await all.all('name-0'), [{ id: 'agent-0' }, { id: 'agent-2' }]);
    t.deepEqual(await all.all('nobody'), []);
    t.true(get.reader);
    t.false((await db.prepare('DELETE FROM agents')).reader);
    t.is(get.source, 'SELECT id, memory_mb, enabled FROM agents WHERE id = ?');
  });

  test(name('pluck(), raw() and expand() shape rows; columns() describes them'), async (t) => {
    const db = await seeded(backend, t);
    const stmt = await db.prepare('SELECT a.id, a.memory_mb, COUNT(*) FROM agents a WHERE a.id = ? GROUP BY a.id, a.memory_mb');
    t.is(await stmt.pluck().get('agent-0'), 'agent-0');
    t.deepEqual(await stmt.raw().get('agent-0'), ['agent-0', 100, 1]);
    t.deepEqual(await stmt.expand().get('agent-0'), { agents: { id: 'agent-0', memory_mb: 100 }, $: { 'COUNT(*)': 1 } });
    t.deepEqual(await stmt.expand(false).get('agent-0'), { id: 'agent-0', memory_mb: 100, 'COUNT(*)': 1 });
    t.deepEqual(await stmt.columns(), [
      { name: 'id', column: 'id', table: 'agents', database: 'main', type: 'TEXT' },
      { name: 'memory_mb', column: 'memory_mb', table: 'agents', database: 'main', type: 'INTEGER' },
      { name: 'COUNT(*)', column: null, table: null, database: null, type: null },
    ]);
    const write = await db.prepare('DELETE FROM agents');
    t.throws(() => write.pluck(), { instanceOf: TypeError, message: /only for statements that return data/ });
    t.throws(() => write.get(), { instanceOf: TypeError, message: /does not return data/ });
  });

  test(name('modes follow better-sqlite3\'s rules, as the synchronous Statement does: safeIntegers(), a shape turned off only when it is the current one, a toggle that is not a boolean'), async (t) => {
    const db = await seeded(backend, t);
    const stmt = await db.prepare('SELECT id, memory_mb FROM agents WHERE id = ?');
    t.deepEqual(await stmt.safeIntegers().get('agent-0'), { id: 'agent-0', memory_mb: 100n });
    t.deepEqual(await stmt.safeIntegers(false).get('agent-0'), { id: 'agent-0', memory_mb: 100 });
    // better-sqlite3: pluck(false) while raw() is on leaves raw() on; raw(false) goes back to objects.
    const native = new BetterSqlite3(':memory:').prepare('SELECT 1 AS id, 100 AS memory_mb');
    const calls = [['raw', true], ['pluck', false], ['expand', true], ['raw', false], ['raw', true], ['raw', false]];
    for (const [method, toggle] of calls) {
      stmt[method](toggle);
      native[method](toggle);
      const expected = native.get();
      t.deepEqual(await stmt.get('agent-0'), expected.id === 1 ? { id: 'agent-0', memory_mb: 100 } : Array.isArray(expected) ? ['agent-0', 100] : { agents: { id: 'agent-0', memory_mb: 100 } }, `after ${method}(${toggle})`);
    }
    t.throws(() => stmt.raw('yes'), { instanceOf: TypeError, message: 'Expected first argument to be a boolean' });
    t.throws(() => stmt.safeIntegers(1), { instanceOf: TypeError, message: 'Expected first argument to be a boolean' });
    t.deepEqual(await stmt.get('agent-0'), { id: 'agent-0', memory_mb: 100 }, 'a refused toggle leaves the mode as it was');
  });

  test(name('bind() binds once; parameters after bind() are refused'), async (t) => {
    const db = await seeded(backend, t);
    const stmt = (await db.prepare('SELECT id FROM agents WHERE name = :name AND version = :version')).bind({ name: 'name-1', version: '1.1.0' });
    t.deepEqual(await stmt.all(), [{ id: 'agent-1' }]);
    t.throws(() => stmt.bind({ name: 'x', version: 'y' }), { instanceOf: TypeError, message: /only be invoked once/ });
    await t.throwsAsync(stmt.get({ name: 'x', version: 'y' }), { instanceOf: TypeError, message: /already has bound parameters/ });
  });

  test(name('binding errors are better-sqlite3\'s TypeErrors and RangeErrors'), async (t) => {
    const db = await seeded(backend, t);
    const stmt = await db.prepare('SELECT id FROM agents WHERE id = ? AND name = ?');
    await t.throwsAsync(stmt.get('a'), { instanceOf: RangeError, message: 'Too few parameter values were provided' });
    await t.throwsAsync(stmt.get('a', 'b', 'c'), { instanceOf: RangeError, message: 'Too many parameter values were provided' });
    await t.throwsAsync(stmt.get(true, 'b'), { instanceOf: TypeError, message: /can only bind numbers, strings, bigints, buffers, and null/ });
  });

  test(name('iterate() yields every row, and an early stop frees what it held'), async (t) => {
    const db = await seeded(backend, t, 600); // more than one cursor batch on PostgreSQL
    const stmt = await db.prepare('SELECT id FROM agents ORDER BY memory_mb');
    const seen = [];
    for await (const row of stmt.pluck().iterate()) seen.push(row);
    t.is(seen.length, 600);
    t.is(seen[599], 'agent-599');
    // Each loop that breaks must give its connection back: more loops than the pool has connections.
    for (let i = 0; i < 12; i++) {
      const first = [];
      for await (const row of stmt.iterate()) {
        first.push(row);
        if (first.length === 2) break;
      }
      t.deepEqual(first, ['agent-0', 'agent-1']);
    }
    t.is(await (await db.prepare('SELECT COUNT(*) FROM agents')).pluck().get(), 600);
  });

  test(name('errors are SqliteErrors with better-sqlite3\'s codes'), async (t) => {
    const db = await seeded(backend, t);
    const insert = await db.prepare('INSERT INTO agents (id, name, version) VALUES (?, ?, ?)');
    await t.throwsAsync(insert.run('agent-0', 'n', 'v'), { any: true, instanceOf: SqliteError, code: 'SQLITE_CONSTRAINT_PRIMARYKEY', message: 'UNIQUE constraint failed: agents.id' });
    await t.throwsAsync(insert.run('new', 'name-0', '1.0.0'), { any: true, instanceOf: SqliteError, code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: agents.name, agents.version' });
    await t.throwsAsync(insert.run('new', null, 'v'), { any: true, instanceOf: SqliteError, code: 'SQLITE_CONSTRAINT_NOTNULL', message: 'NOT NULL constraint failed: agents.name' });
    const run = await db.prepare('INSERT INTO runs (id, agent_id) VALUES (?, ?)');
    await t.throwsAsync(run.run('r', 'nobody'), { any: true, instanceOf: SqliteError, code: 'SQLITE_CONSTRAINT_FOREIGNKEY', message: 'FOREIGN KEY constraint failed' });
  });

  test(name('prepare() rejects bad SQL and missing tables with SQLITE_ERROR, without running anything'), async (t) => {
    const db = await seeded(backend, t);
    await t.throwsAsync(db.prepare('SELEC id FROM agents'), { any: true, instanceOf: SqliteError, code: 'SQLITE_ERROR', message: 'near "SELEC": syntax error' });
    await t.throwsAsync(db.prepare('SELECT id FROM agents WHERE'), { any: true, instanceOf: SqliteError, code: 'SQLITE_ERROR' });
    await t.throwsAsync(db.prepare('SELECT * FROM tickets'), { any: true, instanceOf: SqliteError, code: 'SQLITE_ERROR', message: 'no such table: tickets' });
    await t.throwsAsync(db.prepare('SELECT nope FROM agents'), { any: true, instanceOf: SqliteError, code: 'SQLITE_ERROR', message: 'no such column: nope' });
    await t.throwsAsync(db.prepare('SELECT 1; SELECT 2'), { instanceOf: RangeError, message: /more than one statement/ });
    // prepare() of a write describes it only: nothing changed.
    await db.prepare('DELETE FROM agents');
    t.is(await (await db.prepare('SELECT COUNT(*) FROM agents')).pluck().get(), 3);
  });

  test(name('exec() runs several statements; pragma() answers'), async (t) => {
    const db = await seeded(backend, t);
    t.is(await db.exec("UPDATE agents SET memory_mb = 7 WHERE id = 'agent-0'; DELETE FROM agents WHERE id = 'agent-1';"), db);
    t.deepEqual(await (await db.prepare('SELECT id, memory_mb FROM agents ORDER BY id')).raw().all(), [['agent-0', 7], ['agent-2', 102]]);
    const info = await db.pragma('table_info(agents)');
    t.deepEqual(info.map((c) => [c.name, c.type, c.pk]).slice(0, 2), [['id', 'TEXT', 1], ['name', 'TEXT', 0]]);
    t.is(await db.pragma('foreign_keys', { simple: true }), 1);
  });

  test(name('close() ends the database; later calls are refused'), async (t) => {
    const db = await seeded(backend, t);
    const stmt = await db.prepare('SELECT 1 AS one');
    await db.close();
    t.false(db.open);
    await t.throwsAsync(stmt.get(), { instanceOf: TypeError, message: 'The database connection is not open' });
    await t.throwsAsync(db.prepare('SELECT 1'), { instanceOf: TypeError, message: 'The database connection is not open' });
  });
}

const [, postgres] = asyncBackends(test);

test.serial('postgres: opening logs `Database initialized (PostgreSQL)` once per target, without the password', async (t) => {
  const saved = process.env.REGISTRY_LOG_LEVEL;
  process.env.REGISTRY_LOG_LEVEL = 'info'; // the test runner sets silent
  const log = sinon.stub(console, 'log'); // captured, not printed
  try {
    const db = await postgres.open(t);
    await db.prepare('SELECT 1');
    const lines = log.args.map((a) => String(a[0])).filter((l) => l.startsWith('Database initialized (PostgreSQL)'));
    t.is(lines.length, 1);
    t.true(lines[0].includes(`schema ${db.testSchema}`));
    t.false(lines[0].includes('test-password'));
    t.true(lines[0].includes('***'));
    await db.exec('CREATE TABLE x (id TEXT)');
  } finally {
    log.restore();
    if (saved === undefined) delete process.env.REGISTRY_LOG_LEVEL; else process.env.REGISTRY_LOG_LEVEL = saved;
  }
});

test('postgres: a database that cannot be reached rejects the first call with SQLITE_CANTOPEN, without the password', async (t) => {
  const { AsyncDatabase } = await import('swarm-registry-adapter');
  const db = new AsyncDatabase('registry.db', { backend: 'postgres', databaseUrl: 'postgres://someone:s3cret-pw@127.0.0.1:1/none', pgTimeoutMs: 2000 });
  const error = await t.throwsAsync(db.prepare('SELECT 1'), { any: true, instanceOf: SqliteError, code: 'SQLITE_CANTOPEN' });
  t.false(error.message.includes('s3cret-pw'));
  await db.close();
});
