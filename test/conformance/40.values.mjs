import { seed } from './schema.mjs';

const SQLITE_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export default function (test, backend) {
  const it = (title, fn) => test(`${backend.name} › values › ${title}`, fn);

  it('JSON comes back as JSON text with the same meaning', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const row = db.prepare("SELECT steps, tags FROM workflows WHERE id = 'wf-3'").get();
    t.is(typeof row.steps, 'string');
    t.deepEqual(JSON.parse(row.steps), []);
    t.deepEqual(JSON.parse(row.tags), ['nightly', 'ci']);
    t.is(db.prepare("SELECT tags FROM workflows WHERE id = 'wf-2'").pluck().get(), null);
  });

  it('booleans come back as 1 and 0 and compare with 1 and 0', async (t) => {
    const db = await backend.open(t);
    seed(db);
    t.deepEqual(db.prepare('SELECT id, enabled FROM workflows ORDER BY id').raw().all(), [['wf-1', 1], ['wf-2', 0], ['wf-3', 1]]);
    t.deepEqual(db.prepare('SELECT id FROM workflows WHERE enabled = 1 ORDER BY id').pluck().all(), ['wf-1', 'wf-3']);
    t.deepEqual(db.prepare('SELECT id FROM workflows WHERE enabled = ?').pluck().all(0), ['wf-2']);
    db.prepare('UPDATE workflows SET enabled = ? WHERE id = ?').run(0, 'wf-1');
    t.is(db.prepare("SELECT enabled FROM workflows WHERE id = 'wf-1'").pluck().get(), 0);
  });

  it('integers, counts, sums and averages come back as numbers', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const row = db.prepare('SELECT COUNT(*), SUM(total_vm_time_ms) AS total, AVG(total_vm_time_ms) AS mean, MAX(total_vm_time_ms) AS top FROM workflow_runs').get();
    t.deepEqual(row, { 'COUNT(*)': 3, total: 5_000_001_200, mean: 5_000_001_200 / 3, top: 5_000_000_000 });
    t.deepEqual(db.prepare('SELECT count(*) FROM workflows').get(), { 'count(*)': 3 });
  });

  it('a DEFAULT CURRENT_TIMESTAMP comes back as SQLite\'s UTC text', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const createdAt = db.prepare("SELECT created_at FROM workflows WHERE id = 'wf-1'").pluck().get();
    t.regex(createdAt, SQLITE_TIMESTAMP);
    t.true(Math.abs(Date.parse(`${createdAt.replace(' ', 'T')}Z`) - Date.now()) < 120_000);
    t.is(db.prepare("SELECT started_at FROM workflow_runs WHERE id = 'run-1'").pluck().get(), '2026-01-02 03:04:05');
  });

  it('datetime(\'now\', ...) and CURRENT_TIMESTAMP compare with stored timestamps', async (t) => {
    const db = await backend.open(t);
    seed(db);
    t.is(db.prepare("SELECT COUNT(*) FROM workflows WHERE created_at > datetime('now', '-5 minutes')").pluck().get(), 3);
    t.is(db.prepare("SELECT COUNT(*) FROM workflow_runs WHERE started_at < datetime('now', '-1 day')").pluck().get(), 2);
    db.prepare("UPDATE vm_assignments SET heartbeat_at = datetime('now') WHERE vm_id = 'none'").run();
    t.regex(db.prepare("SELECT datetime('now') AS now").pluck().get(), SQLITE_TIMESTAMP);
  });

  it('a JS number bound into a TEXT column is stored as SQLite stores a REAL: 2 → \'2.0\'', async (t) => {
    const db = await backend.open(t);
    seed(db);
    db.prepare('INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, ?, ?)').run(2, 'T-2', '2026-01-01 00:00:00');
    t.deepEqual(db.prepare('SELECT vm_id FROM vm_assignments').pluck().all(), ['2.0']);
    t.is(db.prepare('SELECT ticket_id FROM vm_assignments WHERE vm_id = ?').pluck().get(2), 'T-2');
    t.is(db.prepare('SELECT ticket_id FROM vm_assignments WHERE vm_id = ?').pluck().get('2'), undefined);
    t.is(db.prepare('SELECT ticket_id FROM vm_assignments WHERE vm_id = ?').pluck().get('2.0'), 'T-2');
  });

  it('ORDER BY sorts NULLs first ascending, last descending, and text by byte', async (t) => {
    const db = await backend.open(t);
    seed(db);
    t.deepEqual(db.prepare('SELECT id FROM workflow_runs ORDER BY started_at').pluck().all(), ['run-2', 'run-1', 'run-3']);
    t.deepEqual(db.prepare('SELECT id FROM workflow_runs ORDER BY started_at DESC').pluck().all(), ['run-3', 'run-1', 'run-2']);
    t.deepEqual(db.prepare('SELECT name FROM workflows ORDER BY name').pluck().all(), ['Deploy', 'audit', 'build']);
  });

  it('LIKE is case-insensitive with no escape character; GLOB is case-sensitive', async (t) => {
    const db = await backend.open(t);
    seed(db);
    t.deepEqual(db.prepare("SELECT id FROM workflows WHERE name LIKE 'DEP%'").pluck().all(), ['wf-2']);
    t.deepEqual(db.prepare('SELECT id FROM workflows WHERE path LIKE ? ORDER BY id').pluck().all('/w\\%'), []);
    t.deepEqual(db.prepare("SELECT id FROM workflows WHERE name GLOB 'b*'").pluck().all(), ['wf-1']);
    t.deepEqual(db.prepare("SELECT id FROM workflows WHERE name GLOB 'B*'").pluck().all(), []);
  });

  it('json_extract, IFNULL, IIF and GROUP_CONCAT answer as in SQLite', async (t) => {
    const db = await backend.open(t);
    seed(db);
    t.is(db.prepare("SELECT json_extract(steps, '$[1].id') FROM workflows WHERE id = 'wf-2'").pluck().get(), 's2');
    // json_extract and ->> return the JSON value's own type: numbers as numbers, true as 1, objects as JSON text.
    const doc = `'{"n":4,"t":true,"s":"x","o":{"k":[1,2]}}'`;
    t.deepEqual(db.prepare(`SELECT json_extract(${doc}, '$.n') AS n, json_extract(${doc}, '$.t') AS t, ${doc} ->> '$.s' AS s, json_extract(${doc}, '$.o') AS o, json_extract(${doc}, '$.missing') AS m`).get(), { n: 4, t: 1, s: 'x', o: '{"k":[1,2]}', m: null });
    t.is(db.prepare("SELECT IFNULL(started_at, 'never') FROM workflow_runs WHERE id = 'run-2'").pluck().get(), 'never');
    t.is(db.prepare("SELECT IIF(enabled = 1, 'on', 'off') FROM workflows WHERE id = 'wf-2'").pluck().get(), 'off');
    t.is(db.prepare("SELECT GROUP_CONCAT(id) FROM (SELECT id FROM workflow_runs ORDER BY id)").pluck().get(), 'run-1,run-2,run-3');
  });

  it('INSERT OR REPLACE replaces the whole row; INSERT OR IGNORE skips conflicts', async (t) => {
    const db = await backend.open(t);
    seed(db);
    db.prepare("INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at, status) VALUES ('vm-1', 'T-1', '2026-01-01 00:00:00', 'done')").run();
    const replaced = db.prepare("INSERT OR REPLACE INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES ('vm-1', 'T-9', '2026-02-02 00:00:00')").run();
    t.is(replaced.changes, 1);
    t.deepEqual(db.prepare("SELECT ticket_id, status FROM vm_assignments WHERE vm_id = 'vm-1'").get(), { ticket_id: 'T-9', status: 'running' });
    const ignored = db.prepare("INSERT OR IGNORE INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES ('vm-1', 'T-0', 'x')").run();
    t.is(ignored.changes, 0);
    t.is(db.prepare("SELECT ticket_id FROM vm_assignments WHERE vm_id = 'vm-1'").pluck().get(), 'T-9');
    // A conflict on a UNIQUE key (not the primary key) also deletes the old row.
    const byUnique = db.prepare("REPLACE INTO workflows (id, name, version, path, steps) VALUES ('wf-9', 'Deploy', '1.0.0', '/w/d2', '[]')").run();
    t.is(byUnique.changes, 1);
    t.deepEqual(db.prepare("SELECT id FROM workflows WHERE name = 'Deploy'").pluck().all(), ['wf-9']);
  });

  it('one multi-row INSERT OR REPLACE or upsert applies its rows in turn; a statement whose last row fails keeps none', async (t) => {
    const db = await backend.open(t);
    seed(db);
    const replace = db.prepare('INSERT OR REPLACE INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, ?, ?), (@v, ?, ?)');
    const replaced = replace.run('vm-5', 'T-1', '2026-01-01 00:00:00', 'T-2', '2026-01-02 00:00:00', { v: 'vm-5' });
    t.is(replaced.changes, 2);
    t.deepEqual(db.prepare("SELECT ticket_id FROM vm_assignments WHERE vm_id = 'vm-5'").pluck().all(), ['T-2']);
    const upsert = db.prepare("INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES ('vm-6', 'T-1', 'x'), ('vm-6', 'T-2', 'y'), ('vm-6', ?, 'z') ON CONFLICT(vm_id) DO UPDATE SET ticket_id = vm_assignments.ticket_id || excluded.ticket_id");
    const upserted = upsert.run('T-3');
    t.is(upserted.changes, 3);
    t.is(upserted.lastInsertRowid, replaced.lastInsertRowid + 1);
    t.is(db.prepare("SELECT ticket_id FROM vm_assignments WHERE vm_id = 'vm-6'").pluck().get(), 'T-1T-2T-3');
    db.exec('BEGIN');
    const failing = t.throws(() => db.prepare("INSERT OR REPLACE INTO workflow_runs (id, workflow_id) VALUES ('run-8', 'wf-1'), ('run-8', 'no-such')").run(), { any: true });
    t.is(failing.code, 'SQLITE_CONSTRAINT_FOREIGNKEY');
    t.is(db.prepare("SELECT count(*) FROM workflow_runs WHERE id = 'run-8'").pluck().get(), 0);
    db.exec('COMMIT');
  });

  it('INSERT OR REPLACE of a parent row keeps its children (foreign keys are checked at the end of the statement)', async (t) => {
    const db = await backend.open(t);
    seed(db);
    db.prepare("INSERT OR REPLACE INTO workflows (id, name, version, path, steps) VALUES ('wf-1', 'build', '1.0.1', '/w/build', '[]')").run();
    t.is(db.prepare("SELECT version FROM workflows WHERE id = 'wf-1'").pluck().get(), '1.0.1');
    t.is(db.prepare("SELECT COUNT(*) FROM workflow_runs WHERE workflow_id = 'wf-1'").pluck().get(), 2);
    const orphaning = t.throws(() => db.prepare("REPLACE INTO workflows (id, name, version, path, steps) VALUES ('wf-7', 'build', '1.0.1', '/w/b', '[]')").run(), { any: true });
    t.is(orphaning.code, 'SQLITE_CONSTRAINT_FOREIGNKEY');
  });

  it('LIMIT -1 means no limit; LIMIT with OFFSET pages', async (t) => {
    const db = await backend.open(t);
    seed(db);
    t.deepEqual(db.prepare('SELECT id FROM workflows ORDER BY id LIMIT -1 OFFSET 1').pluck().all(), ['wf-2', 'wf-3']);
    t.deepEqual(db.prepare('SELECT id FROM workflows ORDER BY id LIMIT ? OFFSET ?').pluck().all(1, 1), ['wf-2']);
  });
}
