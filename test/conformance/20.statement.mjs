import { seed } from './schema.mjs';

export default function (test, backend) {
  const it = (title, fn) => test(`${backend.name} › statement › ${title}`, fn);

  it('run() counts changes for INSERT, UPDATE and DELETE', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const info = db.prepare("INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES ('vm-a', 'T-1', '2026-01-01 00:00:00')").run();
    t.is(info.changes, 1);
    t.is(typeof info.lastInsertRowid, backend.expects.lastInsertRowid === 'bigint' ? 'bigint' : 'number');
    t.deepEqual(db.prepare("UPDATE workflow_runs SET status = 'archived' WHERE workflow_id = ?").run('wf-1'), { changes: 2, lastInsertRowid: info.lastInsertRowid });
    t.is(db.prepare("DELETE FROM workflow_runs WHERE status = 'archived'").run().changes, 2);
    t.is(db.prepare("DELETE FROM workflow_runs WHERE id = 'nothing'").run().changes, 0);
    if (backend.expects.lastInsertRowid === 'zero') t.is(info.lastInsertRowid, 0);
  });

  it('get() returns the first row or undefined; all() returns every row', async (t) => {
    const db = await backend.open(t);
    seed(db);
    t.deepEqual(db.prepare('SELECT id, name FROM workflows WHERE id = ?').get('wf-1'), { id: 'wf-1', name: 'build' });
    t.is(db.prepare('SELECT id FROM workflows WHERE id = ?').get('nope'), undefined);
    t.deepEqual(db.prepare('SELECT id FROM workflows ORDER BY id').all(), [{ id: 'wf-1' }, { id: 'wf-2' }, { id: 'wf-3' }]);
    t.deepEqual(db.prepare('SELECT id FROM workflows WHERE id = ?').all('nope'), []);
  });

  it('get(), all() and iterate() refuse statements that return no data', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const update = db.prepare("UPDATE workflows SET path = '/x' WHERE id = 'nothing'");
    for (const method of ['get', 'all', 'iterate']) {
      t.throws(() => update[method](), { instanceOf: TypeError, message: 'This statement does not return data. Use run() instead' });
    }
    t.throws(() => update.pluck(), { instanceOf: TypeError, message: 'The pluck() method is only for statements that return data' });
  });

  it('run() works on a statement that returns data', async (t) => {
    const db = await backend.open(t);
    seed(db);
    t.is(db.prepare('SELECT id FROM workflows').run().changes, 0);
  });

  it('iterate() yields rows one by one and stops early without harm', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const stmt = db.prepare('SELECT id FROM workflows ORDER BY id');
    t.deepEqual([...stmt.iterate()], [{ id: 'wf-1' }, { id: 'wf-2' }, { id: 'wf-3' }]);
    const seen = [];
    for (const row of stmt.iterate()) {
      seen.push(row.id);
      if (seen.length === 2) break;
    }
    t.deepEqual(seen, ['wf-1', 'wf-2']);
    t.false(stmt.busy);
    t.is(db.prepare("UPDATE workflows SET path = '/y' WHERE id = 'wf-1'").run().changes, 1);
  });

  it('iterate() marks the statement busy and the connection busy for writes until the loop ends', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const stmt = db.prepare('SELECT id FROM workflows ORDER BY id');
    const iterator = stmt.iterate();
    iterator.next();
    t.true(stmt.busy);
    t.throws(() => db.prepare("UPDATE workflows SET path = '/z'").run(), { instanceOf: TypeError, message: 'This database connection is busy executing a query' });
    t.throws(() => stmt.all(), { instanceOf: TypeError, message: 'This statement is busy executing a query' });
    iterator.return();
    t.false(stmt.busy);
  });

  it('pluck(), raw() and expand() shape rows, each turning the others off', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const stmt = db.prepare("SELECT w.id, r.status FROM workflows w JOIN workflow_runs r ON r.workflow_id = w.id WHERE r.id = 'run-1'");
    t.is(stmt.pluck().get(), 'wf-1');
    t.deepEqual(stmt.raw().get(), ['wf-1', 'completed']);
    t.deepEqual(stmt.expand().get(), { workflows: { id: 'wf-1' }, workflow_runs: { status: 'completed' } });
    t.deepEqual(stmt.expand(false).get(), { id: 'wf-1', status: 'completed' });
    t.deepEqual(stmt.pluck(true).all(), ['wf-1']);
    t.deepEqual(stmt.pluck(false).all(), [{ id: 'wf-1', status: 'completed' }]);
    t.throws(() => stmt.raw(1), { instanceOf: TypeError, message: 'Expected first argument to be a boolean' });
  });

  it('columns() describes the result columns', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const cols = db.prepare('SELECT id, name AS workflow_name FROM workflows').columns();
    t.deepEqual(cols.map((c) => c.name), ['id', 'workflow_name']);
    t.deepEqual(cols.map((c) => c.column), ['id', 'name']);
    t.deepEqual(cols.map((c) => c.table), ['workflows', 'workflows']);
    t.is(cols[0].type, 'TEXT');
    t.throws(() => db.prepare("DELETE FROM workflows WHERE id = 'x'").columns(), { instanceOf: TypeError, message: 'The columns() method is only for statements that return data' });
  });

  it('safeIntegers() returns BigInts for integers', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const stmt = db.prepare("SELECT total_vm_time_ms FROM workflow_runs WHERE id = 'run-2'");
    t.is(stmt.pluck().get(), 5_000_000_000);
    t.is(stmt.safeIntegers().pluck().get(), 5_000_000_000n);
    t.is(stmt.safeIntegers(false).pluck().get(), 5_000_000_000);
  });
}
