// init → backfill (refuses on orphans, then --orphans=skip) → verify clean; a changed row → exit 1;
// --repair both ways. The CLI runs as a child process, against a real PostgreSQL and SQLite file.
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createTestDatabase, withClient } from './helpers/pg.mjs';
import { tempDir } from './helpers/backends.mjs';
import { cli } from './60.migrate-helpers.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { seedRegistry } = require('../dist/migrate/index.js');

test('the whole path: init, a refused then chosen backfill, verify, changes found and repaired both ways', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = path.join(tempDir(t), 'registry.db');
  const seeded = seedRegistry(file, { rows: 3000, orphans: true });
  const env = { REGISTRY_DB: file, DATABASE_URL: url };

  const init = await cli(['init', '--json'], env);
  t.is(init.code, 0, init.stderr);
  t.true(fs.existsSync(init.json.backup), 'init backs the registry up first');

  const refused = await cli(['backfill', '--json'], env);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /^swarm-registry: Refusing to copy: .*orphan.*--orphans=skip or --orphans=null.*\.\n$/);
  t.true(refused.json.profile.orphans.some((o) => o.table === 'step_executions' && o.column === 'agent_id'));
  t.true(refused.json.profile.orphans.some((o) => o.table === 'workflow_runs' && o.column === 'workflow_id'));
  await withClient(url, async (c) => t.is(Number((await c.query('SELECT count(*) FROM engine_registry.agents')).rows[0].count), 0, 'a refused copy writes nothing'));

  const nullRefused = await cli(['backfill', '--orphans=null'], env);
  t.is(nullRefused.code, 1, 'workflow_runs.workflow_id is NOT NULL: it cannot be nulled');
  t.regex(nullRefused.stderr, /NOT NULL.*--orphans=skip/);

  const backfill = await cli(['backfill', '--orphans=skip', '--json'], env);
  t.is(backfill.code, 0, backfill.stderr);
  const skipped = backfill.json.exceptions.filter((e) => e.column === null);
  t.true(skipped.length > 0);
  t.true(skipped.some((e) => e.table === 'step_executions' && /skipped workflow_runs/.test(e.reason)), 'children of skipped rows are skipped too');
  const total = Object.values(seeded).reduce((a, b) => a + b, 0);
  t.is(backfill.json.copied + skipped.length, total);

  await withClient(url, async (c) => {
    const vm = await c.query("SELECT vm_id FROM engine_registry.vm_assignments WHERE vm_id IN ('1.0', '0.5') ORDER BY vm_id");
    t.deepEqual(vm.rows.map((r) => r.vm_id), ['0.5', '1.0'], "VM ids keep SQLite's '1.0' text");
    const art = await c.query("SELECT count(*) FROM engine_registry.execution_artifacts WHERE content = '3.14'");
    t.true(Number(art.rows[0].count) > 0, 'a number stored in a TEXT column is copied as its text');
    const secret = await c.query('SELECT encrypted_value FROM engine_registry.secrets WHERE encrypted_value IS NOT NULL LIMIT 1');
    t.true(Buffer.isBuffer(secret.rows[0].encrypted_value));
    const json = await c.query("SELECT jsonb_typeof(inputs) AS t FROM engine_registry.step_executions LIMIT 1");
    t.is(json.rows[0].t, 'object');
    const big = await c.query('SELECT max(total_vm_time_ms)::text AS m FROM engine_registry.workflow_runs');
    t.true(BigInt(big.rows[0].m) > 2n ** 32n);
    const comment = await c.query("SELECT col_description('engine_registry.agents'::regclass, 16) AS c");
    t.regex(comment.rows[0].c, /sqlite-format=iso/, 'agents.updated_at was written with toISOString');
  });

  const clean = await cli(['verify', '--json'], env);
  t.is(clean.code, 0, clean.stdout + clean.stderr);
  t.true(clean.json.clean);
  const steps = clean.json.tables.find((x) => x.table === 'step_executions');
  t.true(steps.exceptions > 0, 'step_executions has rows skipped by choice');
  t.is(steps.sqliteRows, seeded.step_executions, "SQLite's rows are counted, the skipped ones too");

  // A table with skipped rows is still compared by checksums: a changed row is found, the skipped ones are not reported.
  await withClient(url, async (c) => {
    await c.query("UPDATE engine_registry.step_executions SET status = 'tampered' WHERE id = (SELECT min(id COLLATE \"C\") FROM engine_registry.step_executions)");
  });
  const tampered = await cli(['verify', '--json'], env);
  t.is(tampered.code, 1);
  t.like(tampered.json.tables.find((x) => x.table === 'step_executions'), { different: 1, missing: 0, extra: 0 });
  t.like(tampered.json, { missing: 0, extra: 0, different: 1 });
  const fixed = await cli(['verify', '--repair', '--json'], env);
  t.like(fixed.json.repair, { direction: 'postgres', written: 1, deleted: 0 });

  // One row changed in each direction: PostgreSQL loses a row, gets an extra one and a changed value.
  await withClient(url, async (c) => {
    await c.query("UPDATE engine_registry.triggers SET webhook_secret = 'leaked?' WHERE id = (SELECT min(id COLLATE \"C\") FROM engine_registry.triggers)");
    await c.query("DELETE FROM engine_registry.execution_artifacts WHERE id = (SELECT min(id COLLATE \"C\") FROM engine_registry.execution_artifacts)");
    await c.query("INSERT INTO engine_registry.vm_assignments (vm_id, ticket_id, assigned_at) VALUES ('999.0', 'T', 'x')");
  });
  const dirty = await cli(['verify', '--json'], env);
  t.is(dirty.code, 1);
  const byTable = Object.fromEntries(dirty.json.tables.map((x) => [x.table, x]));
  t.like(byTable.triggers, { different: 1, missing: 0, extra: 0 });
  t.like(byTable.execution_artifacts, { missing: 1 });
  t.like(byTable.vm_assignments, { extra: 1 });
  t.like(dirty.json, { missing: 1, extra: 1, different: 1 });
  const secretSample = byTable.triggers.samples[0].columns.find((c) => c.column === 'webhook_secret');
  t.regex(secretSample.postgres, /^sha256:/);
  t.false(dirty.stdout.includes('leaked?') || dirty.stdout.includes('topsecret'), 'secret values are never printed');
  const human = await cli(['verify'], env);
  t.is(human.code, 1);
  t.regex(human.stdout, /triggers .* 0 missing in PostgreSQL, 0 extra in PostgreSQL, 1 different/);

  const repair = await cli(['verify', '--repair', '--json'], env);
  t.is(repair.code, 0, repair.stderr);
  t.like(repair.json.repair, { direction: 'postgres', written: 2, deleted: 1 });
  t.is((await cli(['verify'], env)).code, 0, 'clean after --repair');
  t.is((await cli(['verify', '--repair', '--json'], env)).json.repair, undefined, 'a second repair has nothing to do');

  // The rollback direction: SQLite made to match PostgreSQL.
  await withClient(url, async (c) => {
    await c.query("INSERT INTO engine_registry.vm_assignments (vm_id, ticket_id, assigned_at, heartbeat_at) VALUES ('1234.0', 'T-PG', '2024-05-05 10:00:00', NULL)");
    await c.query("UPDATE engine_registry.workflows SET enabled = NOT enabled, updated_at = '2030-01-01T00:00:00Z', steps = '{\"written\": \"on postgres\"}' WHERE id = (SELECT min(id COLLATE \"C\") FROM engine_registry.workflows)");
  });
  const back = await cli(['verify', '--repair', '--from', 'postgres', '--json'], env);
  t.is(back.code, 0, back.stderr);
  t.like(back.json.repair, { direction: 'sqlite', written: 2, deleted: 0 });
  t.is((await cli(['verify'], env)).code, 0);
  const db = new Database(file, { readonly: true });
  t.teardown(() => db.close());
  t.is(db.prepare("SELECT ticket_id FROM vm_assignments WHERE vm_id = '1234.0'").pluck().get(), 'T-PG');
  const wf = db.prepare('SELECT enabled, updated_at, steps FROM workflows ORDER BY id LIMIT 1').get();
  t.is(wf.updated_at, '2030-01-01 00:00:00', 'timestamps go back in the format the column held');
  t.deepEqual(JSON.parse(wf.steps), { written: 'on postgres' });
});
