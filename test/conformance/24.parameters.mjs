import { seed } from './schema.mjs';

export default function (test, backend) {
  const it = (title, fn) => test(`${backend.name} › parameters › ${title}`, fn);

  it('binds ?, ?NNN, @name, :name and $name', async (t) => {
    const db = await backend.open(t);
    seed(db);
    t.is(db.prepare('SELECT name FROM workflows WHERE id = ?').pluck().get('wf-1'), 'build');
    // better-sqlite3 binds ?NNN by name: { 1: value }.
    t.is(db.prepare('SELECT name FROM workflows WHERE id = ?1 OR name = ?1').pluck().get({ 1: 'wf-2' }), 'Deploy');
    t.throws(() => db.prepare('SELECT name FROM workflows WHERE id = ?1').get('wf-2'), { instanceOf: RangeError, message: 'Too many parameter values were provided' });
    t.is(db.prepare('SELECT name FROM workflows WHERE id = @id').pluck().get({ id: 'wf-3' }), 'audit');
    t.is(db.prepare('SELECT name FROM workflows WHERE id = :id').pluck().get({ id: 'wf-3' }), 'audit');
    t.is(db.prepare('SELECT name FROM workflows WHERE id = $id').pluck().get({ id: 'wf-3' }), 'audit');
    t.is(db.prepare('SELECT COUNT(*) FROM workflows WHERE name = @n OR name = @n').pluck().get({ n: 'build' }), 1);
  });

  it('takes arrays and a named object mixed, as better-sqlite3 allows', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const stmt = db.prepare('SELECT COUNT(*) AS n FROM workflow_runs WHERE workflow_id = ? AND status = @status AND total_vm_time_ms >= ?');
    t.deepEqual(stmt.get('wf-1', { status: 'completed' }, 0), { n: 1 });
    t.deepEqual(stmt.get(['wf-1', 0], { status: 'completed' }), { n: 1 });
    t.deepEqual(stmt.get({ status: 'failed' }, ['wf-1'], [1]), { n: 1 });
  });

  it('refuses bad bindings with better-sqlite3\'s TypeErrors and RangeErrors', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const two = db.prepare('SELECT id FROM workflows WHERE id = ? AND name = ?');
    t.throws(() => two.get('wf-1'), { instanceOf: RangeError, message: 'Too few parameter values were provided' });
    t.throws(() => two.get('wf-1', 'build', 'x'), { instanceOf: RangeError, message: 'Too many parameter values were provided' });
    t.throws(() => two.get('wf-1', true), { instanceOf: TypeError, message: 'SQLite3 can only bind numbers, strings, bigints, buffers, and null' });
    t.throws(() => two.get('wf-1', new Date()), { instanceOf: TypeError });
    const named = db.prepare('SELECT id FROM workflows WHERE id = @id');
    t.throws(() => named.get({}), { instanceOf: RangeError, message: 'Missing named parameter "id"' });
    t.throws(() => named.get('wf-1'), { instanceOf: RangeError });
  });

  it('bind() binds once for good', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const stmt = db.prepare('SELECT name FROM workflows WHERE id = ?').pluck().bind('wf-2');
    t.is(stmt.get(), 'Deploy');
    t.deepEqual(stmt.all(), ['Deploy']);
    t.throws(() => stmt.get('wf-1'), { instanceOf: TypeError, message: 'This statement already has bound parameters' });
    t.throws(() => stmt.bind('wf-1'), { instanceOf: TypeError, message: 'The bind() method can only be invoked once per statement object' });
  });

  it('binds null, numbers, bigints and Buffers', async (t) => {
    const db = await backend.open(t);
    seed(db);
    db.prepare('INSERT INTO secrets (id, workflow_id, name, encrypted_value) VALUES (?, ?, ?, ?)').run('s-1', null, 'token', Buffer.from([0, 1, 2, 255]));
    const row = db.prepare('SELECT workflow_id, encrypted_value FROM secrets WHERE id = ?').get('s-1');
    t.is(row.workflow_id, null);
    t.true(Buffer.isBuffer(row.encrypted_value));
    t.deepEqual([...row.encrypted_value], [0, 1, 2, 255]);
    const plucked = db.prepare('SELECT encrypted_value FROM secrets WHERE id = ?').pluck().get('s-1');
    t.true(Buffer.isBuffer(plucked));
    t.deepEqual([...plucked], [0, 1, 2, 255]);
    t.is(db.prepare('SELECT COUNT(*) FROM workflow_runs WHERE total_vm_time_ms > ?').pluck().get(4_999_999_999n), 1);
  });
}
