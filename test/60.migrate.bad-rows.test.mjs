// One bad row never stops verify or --repair: values one side holds that the other cannot (an
// 'infinity' timestamp in PostgreSQL, a NUL character or a word in an INTEGER column in SQLite),
// put there behind the adapter's back, are named by table and key with the reason; every other
// row is compared and repaired, and the exit code (1) says that something was left.
import test from 'ava';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createTestDatabase, withClient } from './helpers/pg.mjs';
import { tempDir } from './helpers/backends.mjs';
import { cli } from './60.migrate-helpers.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { seedRegistry } = require('../dist/migrate/index.js');

test('verify and verify --repair finish past an infinity timestamp and a NUL character, naming those rows', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = path.join(tempDir(t), 'registry.db');
  seedRegistry(file, { rows: 300 });
  const env = { REGISTRY_DB: file, DATABASE_URL: url };
  t.is((await cli(['init'], env)).code, 0);
  const backfill = await cli(['backfill'], env);
  t.is(backfill.code, 0, backfill.stderr);

  const sqlite = new Database(file);
  const [agentNul, agentChanged] = sqlite.prepare('SELECT id FROM agents ORDER BY id LIMIT 2').pluck().all();
  const [runInfinity, runWord, runRollback] = sqlite.prepare('SELECT id FROM workflow_runs ORDER BY id LIMIT 3').pluck().all();
  sqlite.prepare("UPDATE agents SET description = 'before' || char(0) || 'after' WHERE id = ?").run(agentNul);
  sqlite.prepare("UPDATE workflow_runs SET total_vm_time_ms = 'lots' WHERE id = ?").run(runWord);
  sqlite.close();
  await withClient(url, async (c) => {
    await c.query("UPDATE engine_registry.workflow_runs SET started_at = 'infinity' WHERE id = $1", [runInfinity]);
    await c.query("UPDATE engine_registry.agents SET description = 'changed behind its back' WHERE id = $1", [agentChanged]);
  });

  const verify = await cli(['verify', '--json'], env);
  t.is(verify.code, 1, verify.stderr);
  const named = (problems) => problems.map((p) => `${p.table} ${p.key} ${p.column}`).sort();
  t.deepEqual(named(verify.json.problems), [`agents ${agentNul} description`, `workflow_runs ${runInfinity} started_at`].sort());
  t.regex(verify.json.problems.find((p) => p.key === agentNul).reason, /NUL character/);
  t.regex(verify.json.problems.find((p) => p.key === runInfinity).reason, /'infinity'/);
  t.like(verify.json, { different: 4 });
  const human = await cli(['verify'], env);
  t.is(human.code, 1);
  t.true(human.stdout.includes(`agents ${agentNul} (description, in SQLite): text with a NUL character`), human.stdout);

  const repair = await cli(['verify', '--repair', '--json'], env);
  t.is(repair.code, 1, 'rows were left: the exit code says so');
  t.is(repair.json.repair.written, 2, 'the infinity row and the changed row are repaired');
  const left = Object.fromEntries(repair.json.repair.left.map((p) => [p.key, p]));
  t.deepEqual(Object.keys(left).sort(), [agentNul, runWord].sort());
  t.like(left[agentNul], { table: 'agents', column: 'description', side: 'sqlite' });
  t.like(left[runWord], { table: 'workflow_runs', side: 'sqlite' });
  t.regex(left[runWord].reason, /^PostgreSQL refused the row: .*bigint/, 'a row no check foresaw is found by its own transaction');
  const humanRepair = await cli(['verify', '--repair'], env);
  t.is(humanRepair.code, 1);
  t.regex(humanRepair.stdout, /Left as they are: 2 row\(s\)/);
  t.false(/safe to rerun/.test(humanRepair.stderr + humanRepair.stdout));

  const after = await cli(['verify', '--json'], env);
  t.is(after.code, 1);
  t.like(after.json, { missing: 0, extra: 0, different: 2 }, 'only the two rows left still differ');

  // The rollback direction: PostgreSQL's infinity cannot go to SQLite; the rest of PostgreSQL can.
  await withClient(url, (c) => c.query("UPDATE engine_registry.workflow_runs SET completed_at = '-infinity' WHERE id = $1", [runRollback]));
  const rollback = await cli(['verify', '--repair', '--from', 'postgres', '--json'], env);
  t.is(rollback.code, 1, rollback.stderr);
  t.deepEqual(rollback.json.repair.left.map((p) => `${p.key} ${p.column} ${p.side}`), [`${runRollback} completed_at postgres`]);
  t.is(rollback.json.repair.written, 2);
  const clean = await cli(['verify', '--json'], env);
  t.like(clean.json, { missing: 0, extra: 0, different: 1 }, 'all but the -infinity row match after the rollback repair');
});
