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

function engine(t, file, url, tag, rate) {
  const child = spawn(process.execPath, [WRITER, file, url, tag, 'write', String(rate)], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  child.ready = new Promise((resolve) => child.stdout.on('data', (d) => {
    child.output += d;
    if (child.output.includes('ready')) resolve();
  }));
  child.stderr.on('data', (d) => (child.output += d));
  child.done = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  t.teardown(() => child.kill('SIGKILL')); // a failed test leaves no writer behind
  return child;
}

/** A shadow process that applies what waits in the log, then exits. */
async function catchUp(t, file, url) {
  const child = spawn(process.execPath, [WRITER, file, url, 'catch-up', 'catch-up', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let caught = '';
  child.stdout.on('data', (d) => (caught += d));
  child.stderr.on('data', (d) => (caught += d));
  t.is(await new Promise((resolve) => child.on('exit', resolve)), 0, caught);
}

/** A seeded registry with the schema initialised and an engine writing to it in shadow mode. */
async function writingRegistry(t, tag) {
  const { url } = await createTestDatabase(t);
  const file = path.join(tempDir(t), 'registry.db');
  seedRegistry(file, { rows: 20000, orphans: true });
  const env = { REGISTRY_DB: file, DATABASE_URL: url };
  t.is((await cli(['init'], env)).code, 0);
  const writer = engine(t, file, url, tag, 400);
  await writer.ready;
  return { url, file, env, writer };
}

test('init → shadow → backfill while the engine writes → canary: no divergence, verify clean, status green', async (t) => {
  t.timeout(300_000);
  // 1. init, then the engine in shadow mode: its writes wait in the change log.
  const { url, file, env, writer } = await writingRegistry(t, 'online');
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
  await catchUp(t, file, url);
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

test('a backfill stopped and run again while the engine writes copies one snapshot: no write lost, verify clean', async (t) => {
  t.timeout(300_000);
  const { url, file, env, writer } = await writingRegistry(t, 'resume');

  // The first run is stopped once it has copied part of workflow_runs, which the engine keeps updating.
  const first = spawn(process.execPath, [path.resolve('bin/swarm-registry.js'), 'backfill', '--orphans=skip', '--chunk-rows', '20'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const firstExit = new Promise((resolve) => first.on('exit', (code) => resolve(code)));
  t.teardown(() => first.kill('SIGKILL'));
  await withClient(url, async (c) => {
    const copiedRuns = "SELECT 1 FROM engine_registry._registry_backfill WHERE table_name = 'workflow_runs' AND rows > 0";
    while (first.exitCode === null && (await c.query(copiedRuns).catch(() => ({ rows: [] }))).rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  });
  first.kill('SIGTERM');
  t.is(await firstExit, 143, 'the first run was stopped before it finished');
  await new Promise((resolve) => setTimeout(resolve, 700)); // the engine updates copied rows meanwhile

  const resumed = await cli(['backfill', '--orphans=skip', '--json'], env);
  t.is(resumed.code, 0, resumed.stderr);
  t.regex(resumed.json.start ?? '', /again from this snapshot/);
  writer.kill('SIGTERM');
  t.deepEqual(await writer.done, { code: 0, signal: null }, writer.output);
  await catchUp(t, file, url);
  const verify = await cli(['verify', '--json'], env);
  t.is(verify.code, 0, JSON.stringify(verify.json?.tables?.filter((x) => x.missing || x.extra || x.different), null, 1));
  t.true(verify.json.clean);

  // Run again once handed over: nothing copied, the position is not moved past unapplied writes.
  const again = await cli(['backfill', '--orphans=skip', '--json'], env);
  t.is(again.code, 0, again.stderr);
  t.is(again.json.copied, 0);
  t.regex(again.json.start ?? '', /Nothing copied/);
  const restart = await cli(['backfill', '--orphans=skip', '--restart'], env);
  t.is(restart.code, 1);
  t.regex(restart.stderr, /Refusing to copy again.*verify --repair/s);
});
