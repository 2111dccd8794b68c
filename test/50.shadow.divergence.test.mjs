// Shadow mode finds what differs: rows changed behind the adapter's back, a write only PostgreSQL
// refuses, row order (ignored without ORDER BY), SQLite-only members; and keeps secrets out of the log.
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { seed } from './conformance/schema.mjs';
import { closeAndRead, openShadow, settled } from './helpers/shadow.mjs';

const slowApplier = fileURLToPath(new URL('./fixtures/shadow-slow-applier.cjs', import.meta.url));

test('a row changed in PostgreSQL behind the adapter\'s back: the next compared read is a rows divergence with both answers', async (t) => {
  const { db, log, pg } = await openShadow(t);
  seed(db);
  await settled(db);
  await pg.query("UPDATE workflows SET name = 'changed' WHERE id = 'wf-1'");
  t.is(db.prepare('SELECT id, name FROM workflows WHERE id = ?').get('wf-1').name, 'build'); // the primary answers
  await settled(db);
  t.is(db.shadowStats().divergedByKind.rows, 1);
  const [record, ...rest] = closeAndRead(db, log);
  t.deepEqual(rest, []);
  t.is(record.kind, 'rows');
  t.is(record.statement, 'SELECT id, name FROM workflows WHERE id = ?');
  t.deepEqual(record.params, ['wf-1']);
  t.deepEqual(record.primary, { type: 'rows', rowCount: 1, rows: [{ id: 'wf-1', name: 'build' }] });
  t.deepEqual(record.secondary, { type: 'rows', rowCount: 1, rows: [{ id: 'wf-1', name: 'changed' }] });
  t.is(record.primarySide, 'sqlite');
  t.regex(record.frame, /50\.shadow\.divergence\.test\.mjs/);
  t.regex(record.fingerprint, /^[0-9a-f]+$/);
});

test('a write only PostgreSQL refuses (SQLite with foreign_keys = OFF) is an error_secondary_only record', async (t) => {
  const { db, log, pg } = await openShadow(t);
  seed(db);
  db.pragma('foreign_keys = OFF');
  t.is(db.prepare("INSERT INTO workflow_runs (id, workflow_id) VALUES ('r-x', ?)").run('wf-missing').changes, 1);
  await settled(db);
  const records = closeAndRead(db, log);
  // PostgreSQL cannot turn its foreign keys off: the pragma itself is reported as not mirrorable.
  t.deepEqual(records.map((r) => r.kind), ['not_mirrorable', 'error_secondary_only']);
  t.regex(records[0].statement, /foreign_keys = OFF/);
  t.is(records[1].detail.code, 'SQLITE_CONSTRAINT_FOREIGNKEY');
  t.deepEqual(records[1].primary, { type: 'run', changes: 1 });
  t.is((await pg.query("SELECT COUNT(*)::int AS n FROM workflow_runs WHERE id = 'r-x'")).rows[0].n, 0);
});

test('a write that fails alike on both sides is agreement; one inside a transaction fails alone there too', async (t) => {
  const { db, log, pg } = await openShadow(t);
  seed(db);
  const insert = db.prepare("INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, 'T', 'x')");
  db.transaction(() => {
    insert.run('vm-1');
    t.throws(() => insert.run('vm-1'), { any: true, code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    insert.run('vm-2');
  })();
  t.throws(() => insert.run('vm-2'), { any: true, code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
  await settled(db);
  const stats = db.shadowStats();
  t.is(stats.diverged, 0);
  t.true(stats.matched >= 4);
  t.deepEqual((await pg.query('SELECT vm_id FROM vm_assignments ORDER BY vm_id')).rows.map((r) => r.vm_id), ['vm-1', 'vm-2']);
  t.deepEqual(closeAndRead(db, log), []);
});

test('rolled-back transactions and savepoints never reach PostgreSQL; committed ones do, as units', async (t) => {
  const { db, log, pg } = await openShadow(t);
  seed(db);
  const insert = db.prepare("INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, 'T', 'x')");
  t.throws(() => db.transaction(() => { insert.run('vm-rolled-back'); throw new Error('no'); })());
  db.transaction(() => {
    insert.run('vm-outer');
    t.throws(() => db.transaction(() => { insert.run('vm-inner'); throw new Error('inner'); })());
    insert.run('vm-after');
  })();
  db.exec('BEGIN');
  insert.run('vm-exec-rollback');
  db.exec('ROLLBACK');
  db.prepare('SAVEPOINT s1').run();
  insert.run('vm-savepoint');
  db.prepare('RELEASE s1').run();
  await settled(db);
  t.deepEqual((await pg.query('SELECT vm_id FROM vm_assignments ORDER BY vm_id')).rows.map((r) => r.vm_id), ['vm-after', 'vm-outer', 'vm-savepoint']);
  t.deepEqual(closeAndRead(db, log), []);
});

test('row order: ignored without ORDER BY; with ORDER BY a sort key changed behind the adapter\'s back is an order record', async (t) => {
  const { db, log, pg } = await openShadow(t);
  seed(db);
  await settled(db);
  // PostgreSQL writes an updated row as a new tuple at the end of the table: its scan order now differs.
  await pg.query("UPDATE workflows SET path = path WHERE id = 'wf-1'");
  t.deepEqual(db.prepare('SELECT id FROM workflows').pluck().all(), ['wf-1', 'wf-2', 'wf-3']);
  t.deepEqual((await pg.query('SELECT id FROM workflows')).rows.map((r) => r.id), ['wf-2', 'wf-3', 'wf-1']);
  await settled(db);
  t.is(db.shadowStats().diverged, 0);
  await pg.query("UPDATE workflows SET version = '0.0.1' WHERE id = 'wf-3'");
  db.prepare('SELECT id FROM workflows ORDER BY version, id').pluck().all();
  db.prepare('SELECT id, version FROM workflows ORDER BY version, id').all();
  const records = closeAndRead(db, log);
  t.deepEqual(records.map((r) => r.kind), ['order', 'rows']);
});

test('timestamps written with \'now\' are equal on both sides, not close', async (t) => {
  const { db, log, pg } = await openShadow(t);
  seed(db);
  db.prepare("INSERT INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES ('vm-1', 'T', datetime('now', '-5 minutes'))").run();
  await new Promise((resolve) => setTimeout(resolve, 1100)); // the mirror applies it in another second
  db.prepare("UPDATE vm_assignments SET heartbeat_at = CURRENT_TIMESTAMP WHERE vm_id = ?").run('vm-1');
  db.prepare("UPDATE workflow_runs SET started_at = datetime('now') WHERE id = 'run-2'").run();
  await settled(db);
  const sqlite = db.prepare("SELECT assigned_at, heartbeat_at FROM vm_assignments WHERE vm_id = 'vm-1'").get();
  const started = db.prepare("SELECT started_at FROM workflow_runs WHERE id = 'run-2'").pluck().get();
  const row = (await pg.query("SELECT assigned_at, heartbeat_at FROM vm_assignments WHERE vm_id = 'vm-1'")).rows[0];
  const pgStarted = (await pg.query("SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS s FROM workflow_runs WHERE id = 'run-2'")).rows[0].s;
  t.deepEqual(row, sqlite);
  t.is(pgStarted, started);
  t.deepEqual(closeAndRead(db, log), []);
});

test('a DEFAULT CURRENT_TIMESTAMP left out of an INSERT holds the same instant on both sides, however late the mirror applies it', async (t) => {
  process.env.SHADOW_TEST_DELAY_MS = '1200'; // the mirror applies each group more than a second later
  const { db, log, pg } = await openShadow(t, { shadowApplierWrapper: slowApplier });
  seed(db);
  db.prepare("INSERT INTO workflows (id, name, version, path, steps) VALUES ('wf-late', 'late', '1', '/w/late', '[]')").run();
  db.exec("INSERT INTO workflow_runs (id, workflow_id) VALUES ('run-late', 'wf-late')");
  await settled(db);
  const sqlite = db.prepare("SELECT w.created_at, r.created_at AS run_created FROM workflows w JOIN workflow_runs r ON r.workflow_id = w.id WHERE w.id = 'wf-late'").get();
  const row = (await pg.query(`SELECT to_char(w.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS created_at,
    to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS run_created FROM workflows w JOIN workflow_runs r ON r.workflow_id = w.id WHERE w.id = 'wf-late'`)).rows[0];
  t.deepEqual(row, sqlite);
  t.deepEqual(closeAndRead(db, log), []);
});

test('statements using db.function() or random() are reported once as not mirrorable, and not compared', async (t) => {
  const { db, log } = await openShadow(t);
  seed(db);
  db.function('slugify', (s) => String(s).toLowerCase());
  const update = db.prepare("UPDATE workflows SET path = '/w/' || slugify(name) WHERE id = ?");
  update.run('wf-1');
  update.run('wf-2');
  db.prepare('SELECT id, random() AS r FROM workflows').all();
  await settled(db);
  const stats = db.shadowStats();
  t.is(stats.notMirrorable, 2);
  t.is(stats.notMirrorableWrites, 2);
  const records = closeAndRead(db, log);
  t.deepEqual(records.map((r) => [r.kind, r.reasons]), [['not_mirrorable', ['db.function("slugify")']], ['not_mirrorable', ['random()']]]);
});

test('secret values never reach the log: answers and parameters are hashed', async (t) => {
  const { db, log, pg } = await openShadow(t);
  seed(db);
  db.exec('CREATE TABLE IF NOT EXISTS triggers (id TEXT PRIMARY KEY, workflow_id TEXT NOT NULL REFERENCES workflows(id), type TEXT NOT NULL, webhook_secret TEXT)');
  db.prepare('INSERT INTO secrets (id, workflow_id, name, encrypted_value) VALUES (?, ?, ?, ?)').run('s-1', 'wf-1', 'API_KEY', Buffer.from('TOPSECRETBYTES'));
  await settled(db);
  await pg.query("UPDATE secrets SET encrypted_value = convert_to('OTHERSECRETBYTES', 'UTF8') WHERE id = 's-1'");
  db.prepare('SELECT * FROM secrets').all();
  db.pragma('foreign_keys = OFF');
  db.prepare('INSERT INTO triggers (id, workflow_id, type, webhook_secret) VALUES (?, ?, ?, ?)').run('tr-1', 'wf-missing', 'webhook', 'whsec_TOPSECRET');
  const records = closeAndRead(db, log);
  // Writes are compared by the change log's applier, reads by their own process: sorted by kind.
  t.deepEqual(records.map((r) => r.kind).sort(), ['error_secondary_only', 'not_mirrorable', 'rows']);
  const text = JSON.stringify(records);
  for (const secret of ['TOPSECRET', Buffer.from('TOPSECRETBYTES').toString('hex'), Buffer.from('TOPSECRETBYTES').toString('base64'), 'OTHERSECRET', Buffer.from('OTHERSECRETBYTES').toString('hex'), 'test-password']) {
    t.false(text.includes(secret), secret);
  }
});

test('shadowStats() counts what the mirror did; the progress table shows it from outside', async (t) => {
  const { db, log, pg } = await openShadow(t, { shadowSample: 1 });
  seed(db);
  db.prepare('SELECT * FROM workflows').all();
  await settled(db);
  const stats = db.shadowStats();
  t.like(stats, { primary: 'sqlite', secondary: 'postgres', queueDepth: 0, lagOps: 0, overflow: 0, gaps: 0, diverged: 0, outages: 0, down: false });
  t.is(stats.mirrored, stats.enqueuedWrites);
  t.true(stats.compared >= 8);
  t.is(stats.compared, stats.matched);
  t.deepEqual(closeAndRead(db, log), []);
  const { rows } = await pg.query('SELECT * FROM _registry_mirror');
  t.is(rows.length, 1);
  t.like(rows[0], { pid: process.pid, primary_side: 'sqlite', queue_depth: 0, gaps: '0', overflow: '0', outages: '0', closed: true });
  t.is(rows[0].enqueued, rows[0].applied);
});

test('object rows cross as column names + values: duplicate names, __proto__, changed columns, raw/pluck/expand all compare alike', async (t) => {
  const { db, log, pg } = await openShadow(t);
  seed(db);
  const dup = db.prepare('SELECT id, name, version AS name FROM workflows WHERE id = ?');
  t.deepEqual(dup.get('wf-1'), { id: 'wf-1', name: '1.0.0' }); // the last one wins: two keys for three columns
  t.is(dup.all('wf-2').length, 1);
  db.prepare('SELECT id AS "__proto__", name FROM workflows WHERE id = ?').get('wf-1');
  const star = db.prepare('SELECT * FROM workflows ORDER BY id');
  star.all();
  db.exec('ALTER TABLE workflows ADD COLUMN extra TEXT');
  db.prepare("UPDATE workflows SET extra = 'x' WHERE id = 'wf-2'").run();
  t.is(star.all()[1].extra, 'x'); // the statement's columns changed: learnt again
  db.prepare('SELECT id, name FROM workflows ORDER BY id').raw().all();
  db.prepare('SELECT name FROM workflows ORDER BY id').pluck().all();
  db.prepare('SELECT w.id, r.id FROM workflows w JOIN workflow_runs r ON r.workflow_id = w.id ORDER BY r.id').expand().all();
  db.prepare('SELECT * FROM workflows WHERE id = ?').get('wf-none');
  await settled(db);
  // Values land under their own names: a change behind the adapter's back shows in that column only.
  await pg.query("UPDATE workflows SET version = '9.9.9' WHERE id = 'wf-1'");
  dup.get('wf-1');
  await settled(db);
  const records = closeAndRead(db, log);
  // `SELECT *` after ADD COLUMN answers alike on both sides (the new column included): the only
  // divergence is the change made behind the adapter's back.
  t.deepEqual(records.map((r) => r.kind), ['rows']);
  t.deepEqual(records[0].primary.rows, [{ id: 'wf-1', name: '1.0.0' }]);
  t.deepEqual(records[0].secondary.rows, [{ id: 'wf-1', name: '9.9.9' }]);
});
