// The runbook in its online order: init, then the engine in shadow mode (writes are captured in
// the change log from this moment), then backfill while the engine keeps writing, then the canary.
// The applier applies nothing until the backfill hands over at its snapshot's log position, so the
// order creates no divergence: report empty, verify clean without --repair, status green.
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import test from 'ava';
import { createTestDatabase, withClient } from './helpers/pg.mjs';
import { tempDir } from './helpers/backends.mjs';
import { cli } from './60.migrate-helpers.mjs';

const require = createRequire(import.meta.url);
const { seedRegistry } = require('../dist/migrate/index.js');
const { runInMode } = require('../dist/demo/index.js');
const WRITER = path.resolve('test/fixtures/changelog-writer.cjs');
const check = (result, id) => result.json.checks.find((c) => c.id === id);

function engine(file, url, tag, rate) {
  const child = spawn(process.execPath, [WRITER, file, url, tag, 'write', String(rate)], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  child.ready = new Promise((resolve) => child.stdout.on('data', (d) => {
    child.output += d;
    if (child.output.includes('ready')) resolve();
  }));
  child.stderr.on('data', (d) => (child.output += d));
  child.done = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return child;
}

test('init → shadow → backfill while the engine writes → canary: no divergence, verify clean, status green', async (t) => {
  t.timeout(300_000);
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const file = path.join(dir, 'registry.db');
  seedRegistry(file, { rows: 20000, orphans: true });
  const env = { REGISTRY_DB: file, DATABASE_URL: url };

  // 1. init, then the engine in shadow mode: its writes wait in the change log.
  t.is((await cli(['init'], env)).code, 0);
  const writer = engine(file, url, 'online', 400);
  await writer.ready;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = await withClient(url, async (c) => {
    const table = await c.query("SELECT to_regclass('engine_registry._registry_applied') IS NOT NULL AS present");
    return table.rows[0].present ? (await c.query('SELECT count(*)::int AS n FROM engine_registry._registry_applied')).rows[0].n : 0;
  });
  t.is(before, 0, 'no position before the backfill: nothing applied, nothing compared');

  // 2. backfill while the engine writes; it hands over at its snapshot's position.
  const backfill = await cli(['backfill', '--orphans=skip', '--json'], env);
  t.is(backfill.code, 0, backfill.stderr);
  await new Promise((resolve) => setTimeout(resolve, 500)); // a few more writes after the hand-off
  writer.kill('SIGTERM');
  t.deepEqual(await writer.done, { code: 0, signal: null }, writer.output);
  const handoff = await withClient(url, (c) => c.query("SELECT position::int AS position, set_by FROM engine_registry._registry_applied WHERE source = 'sqlite'"));
  t.true(handoff.rows[0].position > 0, 'the engine wrote before the snapshot, and the log position of the snapshot was recorded');

  // 3. The canary: the engine-like workload in shadow mode; report, verify, status.
  const run = runInMode({ file, databaseUrl: url, backend: 'shadow', primary: 'sqlite', tag: 'canary', vmBase: 20000, divergenceLog: `${file}.divergence.jsonl` });
  t.deepEqual(run.result.unexpectedErrors, []);
  // close() waits 5 s for the process's own transactions to be applied; on a loaded machine some
  // may still wait in the log, for the next shadow process: one that only catches up.
  const catchUp = spawn(process.execPath, [WRITER, file, url, 'catch-up', 'catch-up', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let caught = '';
  catchUp.stdout.on('data', (d) => (caught += d));
  catchUp.stderr.on('data', (d) => (caught += d));
  t.is(await new Promise((resolve) => catchUp.on('exit', resolve)), 0, caught);
  const report = await cli(['report', '--json'], env);
  t.is(report.code, 0);
  t.is(report.json.totals.divergences, 0, JSON.stringify(report.json.byStatement.map((s) => s.samples[0]), null, 1));
  const verify = await cli(['verify', '--json'], env);
  t.is(verify.code, 0, verify.stdout);
  t.true(verify.json.clean);
  const status = await cli(['status', '--json'], { ...env, REGISTRY_BACKEND: 'shadow', REGISTRY_PRIMARY: 'sqlite' });
  t.is(status.code, 0, JSON.stringify(status.json.checks, null, 1));
  t.is(check(status, 'counts').status, 'passed');
});
