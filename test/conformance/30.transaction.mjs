import { seed } from './schema.mjs';

const count = (db) => db.prepare('SELECT COUNT(*) FROM vm_assignments').pluck().get();

export default function (test, backend) {
  const it = (title, fn) => test(`${backend.name} › transaction › ${title}`, fn);
  const insertVm = (db) => db.prepare("INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, 'T', '2026-01-01 00:00:00')");

  it('commits when the function returns, and passes arguments and this through', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const insert = insertVm(db);
    const trx = db.transaction(function (ids) {
      t.true(db.inTransaction);
      for (const id of ids) insert.run(id);
      return this;
    });
    const self = {};
    t.is(trx.call(self, ['vm-1', 'vm-2']), self);
    t.false(db.inTransaction);
    t.is(count(db), 2);
    t.is(trx.database, db);
  });

  it('rolls back and rethrows when the function throws', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const insert = insertVm(db);
    const trx = db.transaction(() => {
      insert.run('vm-1');
      throw new Error('boom');
    });
    t.throws(() => trx(), { message: 'boom' });
    t.false(db.inTransaction);
    t.is(count(db), 0);
  });

  it('nests through savepoints: an inner failure undoes only the inner part', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const insert = insertVm(db);
    const inner = db.transaction((id) => {
      insert.run(id);
      throw new Error('inner');
    });
    const outer = db.transaction(() => {
      insert.run('vm-outer');
      t.throws(() => inner('vm-inner'), { message: 'inner' });
      t.true(db.inTransaction);
      insert.run('vm-after');
    });
    outer();
    t.deepEqual(db.prepare('SELECT vm_id FROM vm_assignments ORDER BY vm_id').pluck().all(), ['vm-after', 'vm-outer']);
  });

  it('a failing statement inside a transaction fails alone; the transaction goes on', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const insert = insertVm(db);
    db.transaction(() => {
      insert.run('vm-1');
      const error = t.throws(() => insert.run('vm-1'), { any: true });
      t.is(error.code, 'SQLITE_CONSTRAINT_PRIMARYKEY');
      insert.run('vm-2');
    })();
    t.is(count(db), 2);
  });

  it('has deferred, immediate and exclusive variants', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const insert = insertVm(db);
    const trx = db.transaction((id) => insert.run(id).changes);
    t.is(trx.deferred('vm-1'), 1);
    t.is(trx.immediate('vm-2'), 1);
    t.is(trx.exclusive('vm-3'), 1);
    t.is(trx.default, trx);
    t.is(count(db), 3);
  });

  it('refuses a function that returns a promise, and rolls back', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const insert = insertVm(db);
    const trx = db.transaction(async () => insert.run('vm-1'));
    t.throws(() => trx(), { instanceOf: TypeError, message: 'Transaction function cannot return a promise' });
    t.false(db.inTransaction);
    t.is(count(db), 0);
    t.throws(() => db.transaction('nope'), { instanceOf: TypeError, message: 'Expected first argument to be a function' });
  });

  it('BEGIN, COMMIT and ROLLBACK statements drive inTransaction', async (t) => {
    const db = await backend.open(t);
    seed(db);
    db.exec('BEGIN IMMEDIATE');
    t.true(db.inTransaction);
    insertVm(db).run('vm-1');
    db.prepare('ROLLBACK').run();
    t.false(db.inTransaction);
    t.is(count(db), 0);
    db.prepare('BEGIN').run();
    insertVm(db).run('vm-2');
    db.exec('COMMIT');
    t.is(count(db), 1);
  });
}
