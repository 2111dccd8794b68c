// AsyncDatabase.transaction(async fn), the same tests on SQLite and on PostgreSQL: commit, rollback,
// nesting through savepoints, statement failures inside a transaction, and routing — calls made
// inside fn run in the transaction, calls from elsewhere do not (PostgreSQL: they run at once on
// another connection; SQLite: they wait for the transaction to end).
import test from 'ava';
import { asyncBackends } from './helpers/async-backends.mjs';

async function withTable(backend, t, options) {
  const db = await backend.open(t, options);
  await db.exec('CREATE TABLE vm (id TEXT PRIMARY KEY, ticket TEXT NOT NULL)');
  return {
    db,
    insert: await db.prepare('INSERT INTO vm (id, ticket) VALUES (?, ?)'),
    ids: await db.prepare('SELECT id FROM vm ORDER BY id'),
  };
}

/** A promise and its resolve function. */
function gate() {
  let open;
  const promise = new Promise((resolve) => (open = resolve));
  return { promise, open };
}

const pending = (promise, ms) => Promise.race([promise.then(() => false, () => false), new Promise((r) => setTimeout(() => r(true), ms))]);

for (const backend of asyncBackends(test)) {
  const name = (title) => `${backend.name}: ${title}`;

  test(name('transaction() commits when fn resolves, returning its value'), async (t) => {
    const { db, insert, ids } = await withTable(backend, t);
    t.false(db.inTransaction);
    const result = await db.transaction(async () => {
      await insert.run('a', 'T');
      await insert.run('b', 'T');
      t.true(db.inTransaction);
      return 'done';
    });
    t.is(result, 'done');
    t.false(db.inTransaction);
    t.deepEqual(await ids.pluck().all(), ['a', 'b']);
  });

  test(name('transaction() rolls back when fn rejects, with fn\'s error'), async (t) => {
    const { db, insert, ids } = await withTable(backend, t);
    const error = await t.throwsAsync(db.transaction(async () => {
      await insert.run('a', 'T');
      throw new Error('stop');
    }));
    t.is(error.message, 'stop');
    t.deepEqual(await ids.pluck().all(), []);
  });

  test(name('a failing statement inside a transaction fails alone; the transaction goes on'), async (t) => {
    const { db, insert, ids } = await withTable(backend, t);
    await db.transaction(async () => {
      await insert.run('a', 'T');
      await t.throwsAsync(insert.run('a', 'T'), { any: true, code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
      await t.throwsAsync(insert.run('b', null), { any: true, code: 'SQLITE_CONSTRAINT_NOTNULL' });
      await insert.run('b', 'T');
    });
    t.deepEqual(await ids.pluck().all(), ['a', 'b']);
  });

  test(name('a nested transaction is a savepoint: its rollback keeps the outer work'), async (t) => {
    const { db, insert, ids } = await withTable(backend, t);
    await db.transaction(async () => {
      await insert.run('outer', 'T');
      await t.throwsAsync(db.transaction(async () => {
        await insert.run('inner', 'T');
        throw new Error('inner fails');
      }), { message: 'inner fails' });
      await db.transaction(async () => insert.run('kept', 'T'));
    }, 'immediate');
    t.deepEqual(await ids.pluck().all(), ['kept', 'outer']);
  });

  test(name('calls started together inside fn all run in the transaction'), async (t) => {
    const { db, insert, ids } = await withTable(backend, t);
    await t.throwsAsync(db.transaction(async () => {
      await Promise.all(Array.from({ length: 8 }, (_, i) => insert.run(`v${i}`, 'T')));
      t.is((await ids.all()).length, 8);
      throw new Error('undo all eight');
    }));
    t.deepEqual(await ids.all(), []);
  });

  test(name('SAVEPOINT/RELEASE/ROLLBACK TO statements work inside transaction(fn)'), async (t) => {
    const { db, insert, ids } = await withTable(backend, t);
    await db.transaction(async () => {
      await insert.run('a', 'T');
      await db.exec('SAVEPOINT sp1');
      await insert.run('b', 'T');
      await db.exec('ROLLBACK TO sp1');
      await db.exec('RELEASE sp1');
    });
    t.deepEqual(await ids.pluck().all(), ['a']);
  });

  test(name('a call from outside the transaction does not see its uncommitted rows'), async (t) => {
    const { db, insert, ids } = await withTable(backend, t);
    const inside = gate();
    const finish = gate();
    const tx = db.transaction(async () => {
      await insert.run('uncommitted', 'T');
      inside.open();
      await finish.promise;
    });
    await inside.promise;
    // This code runs outside fn (its own async context), so its call is not routed to the transaction.
    const outside = ids.pluck().all();
    if (backend.name === 'postgres') {
      // PostgreSQL: another pooled connection answers at once, READ COMMITTED: no uncommitted row.
      t.false(await pending(outside, 5000), 'the outside call is not blocked by the transaction');
      t.deepEqual(await outside, []);
      t.false(db.inTransaction, 'inTransaction is about the caller\'s own context');
      finish.open();
    } else {
      // SQLite: one connection; the outside call waits for the transaction to end, then sees it.
      t.true(await pending(outside, 200), 'the outside call waits for the transaction');
      finish.open();
      t.deepEqual(await outside, ['uncommitted']);
    }
    await tx;
    t.deepEqual(await ids.pluck().all(), ['uncommitted']);
  });
}

const [, postgres] = asyncBackends(test);

test('postgres: two transactions run at once on two connections', async (t) => {
  const { db, insert, ids } = await withTable(postgres, t);
  await insert.run('a', 'T');
  const both = gate();
  let started = 0;
  // Readers: two writers would queue on the write lock, as SQLite's do.
  const one = () => db.transaction(async () => {
    const seen = await ids.pluck().all();
    if (++started === 2) both.open();
    await both.promise; // each waits for the other: only possible if they overlap
    return seen;
  });
  t.deepEqual(await Promise.all([one(), one()]), [['a'], ['a']]);
});

test('postgres: immediate transactions queue on the write lock, as SQLite writers do', async (t) => {
  const { db, insert } = await withTable(postgres, t);
  const inside = gate();
  const finish = gate();
  const order = [];
  const first = db.transaction(async () => {
    order.push('first begins');
    inside.open();
    await finish.promise;
    await insert.run('first', 'T');
    order.push('first ends');
  }, 'immediate');
  await inside.promise;
  const second = db.transaction(async () => {
    order.push('second begins');
  }, 'exclusive');
  t.true(await pending(second, 300), 'the second writer waits for the first');
  finish.open();
  await Promise.all([first, second]);
  t.deepEqual(order, ['first begins', 'first ends', 'second begins']);
});

test('postgres: an async immediate transaction holds the same write lock as the synchronous facade', async (t) => {
  const { db } = await withTable(postgres, t, { pgTimeoutMs: 1500 });
  const { Database } = await import('swarm-registry-adapter');
  const sync = new Database('registry.db', { backend: 'postgres', databaseUrl: db.testUrl, pgSchema: db.testSchema, pgTimeoutMs: 1500 });
  t.teardown(() => sync.close());
  const inside = gate();
  const finish = gate();
  const tx = db.transaction(async () => {
    inside.open();
    await finish.promise;
  }, 'immediate');
  await inside.promise;
  // The synchronous call blocks this thread: it can only fail on the lock's timeout (SQLITE_BUSY).
  const error = t.throws(() => sync.transaction(() => {}).immediate(), { any: true });
  t.is(error.code, 'SQLITE_BUSY');
  finish.open();
  await tx;
  t.notThrows(() => sync.transaction(() => {}).immediate());
});

test('postgres: a statement over the timeout is SQLITE_INTERRUPT and the transaction goes on', async (t) => {
  const { db, insert, ids } = await withTable(postgres, t, { pgTimeoutMs: 1500, sqlOverrides: { "SELECT 'slow'": 'SELECT pg_sleep(5)' } });
  const slow = await db.prepare("SELECT 'slow'");
  const started = Date.now();
  await t.throwsAsync(slow.get(), { any: true, code: 'SQLITE_INTERRUPT' });
  t.true(Date.now() - started < 4000);
  await db.transaction(async () => {
    await insert.run('a', 'T');
    await t.throwsAsync(slow.get(), { any: true, code: 'SQLITE_INTERRUPT' });
    await insert.run('b', 'T');
  });
  t.deepEqual(await ids.pluck().all(), ['a', 'b']);
});

test('postgres: BEGIN and COMMIT statements are refused with a message that says what to use', async (t) => {
  const { db } = await withTable(postgres, t);
  await t.throwsAsync(db.exec('BEGIN'), { any: true, code: 'SQLITE_MISUSE', message: /db\.transaction\(fn, mode\)/ });
  await t.throwsAsync(db.exec('COMMIT'), { any: true, code: 'SQLITE_ERROR', message: 'cannot commit - no transaction is active' });
  await db.transaction(async () => {
    await t.throwsAsync(db.exec('COMMIT'), { any: true, code: 'SQLITE_MISUSE', message: /return from fn to commit/ });
    await t.throwsAsync(db.exec('BEGIN'), { any: true, code: 'SQLITE_ERROR', message: 'cannot start a transaction within a transaction' });
  });
});

test('postgres: a transaction that read before another write committed gets SQLITE_BUSY at its first write, and no update is lost', async (t) => {
  const { db, insert, ids } = await withTable(postgres, t);
  await insert.run('a', 'T');
  const count = await db.prepare('SELECT count(*) AS n FROM vm');
  const read = gate();
  const written = gate();
  const tx = db.transaction(async () => {
    const { n } = await count.get();
    read.open();
    await written.promise;
    await insert.run(`after-${n}`, 'T');
  });
  await read.promise;
  await insert.run('b', 'T'); // outside the transaction: commits at once
  written.open();
  await t.throwsAsync(tx, { any: true, code: 'SQLITE_BUSY' });
  t.deepEqual(await ids.pluck().all(), ['a', 'b']);
});
