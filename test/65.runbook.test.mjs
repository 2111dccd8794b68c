// The runbook (docs/runbook.md), as an operator runs it: every swarm-registry command a child process with the
// environment the runbook sets, on a generated registry (orphans, JSON, blobs, booleans,
// timestamps, '2.0' VM ids), and the engine's writes through the facade in each mode.
// Then what `status` must fail on, `translate`, and bad input.
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createTestDatabase, serverUrl, withClient } from './helpers/pg.mjs';
import { tempDir } from './helpers/backends.mjs';
import { freePort } from './helpers/embedded-server.mjs';
import { cli } from './60.migrate-helpers.mjs';

const require = createRequire(import.meta.url);
const { seedRegistry } = require('../dist/migrate/index.js');
const { runInMode } = require('../dist/demo/index.js');

const check = (result, id) => result.json.checks.find((c) => c.id === id);

/** Runs the engine-like workload through the facade; null when this build has no such mode. */
function engineWrites(t, env, backend, primary, tag, vmBase) {
  const run = runInMode({ file: env.REGISTRY_DB, databaseUrl: env.DATABASE_URL, backend, primary, tag, vmBase, divergenceLog: `${env.REGISTRY_DB}.divergence.jsonl` });
  if (run.result === null) return null;
  t.deepEqual(run.result.unexpectedErrors, [], `${backend}/${primary ?? '-'}: every answer as SQLite gives it`);
  t.is(run.result.expectedErrors, 4, 'duplicate template, duplicate webhook path, missing workflow, failed dispatch');
  return run.result;
}

function noPassword(t, result, password) {
  t.false(`${result.stdout}${result.stderr}`.includes(password), 'no password in the output');
}

function oneSentence(t, result, pattern) {
  t.not(result.code, 0);
  const line = result.stderr.trim();
  t.is(line.split('\n').length, 1, result.stderr);
  t.regex(line, pattern);
  t.false(/\n\s+at /.test(result.stderr), 'no stack trace');
}

test('the runbook, step by step: init, backfill, verify, canary, flip, postgres, retirement, status green', async (t) => {
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const file = path.join(dir, 'registry.db');
  seedRegistry(file, { rows: 2000, orphans: true });
  const env = { REGISTRY_DB: file, DATABASE_URL: url };

  // 1. init: the backup first, then the schema.
  const init = await cli(['init', '--json'], env);
  t.is(init.code, 0, init.stderr);
  t.true(fs.existsSync(init.json.backup), 'init backs the registry up first');
  const empty = await cli(['status', '--json'], env);
  t.is(empty.code, 1);
  t.regex(check(empty, 'counts').reason, /PostgreSQL holds no rows yet .*: run swarm-registry backfill\./);
  t.is(check(empty, 'mirror').status, 'skipped', 'no mirror is expected before the canary');

  // 2. backfill refuses on orphans until the operator chooses; verify is then clean.
  const refused = await cli(['backfill'], env);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /Refusing to copy: .*orphan.*--orphans=skip/);
  t.is((await cli(['backfill', '--orphans=skip'], env)).code, 0);
  const verify = await cli(['verify', '--json'], env);
  t.is(verify.code, 0, verify.stdout);
  t.true(verify.json.clean);
  const ready = await cli(['status'], env);
  t.is(ready.code, 0, ready.stdout);
  t.regex(ready.stdout, /PASSED +Row counts equal +\d+ rows in PostgreSQL, as in SQLite \(\d+ row\(s\) skipped by the backfill, as chosen, set aside\)\./);
  t.regex(ready.stdout, /Safe to go on: run the engine with REGISTRY_BACKEND=shadow/);

  // 3. The canary: the engine in shadow mode, SQLite answering; report, verify, status.
  const canary = engineWrites(t, env, 'shadow', 'sqlite', 'canary', 20000);
  const shadowEnv = { ...env, REGISTRY_BACKEND: 'shadow', REGISTRY_PRIMARY: 'sqlite' };
  if (canary === null) {
    t.log('shadow mode is not available in this build: the canary and the flip are skipped');
  } else {
    const report = await cli(['report', '--json'], env);
    t.is(report.code, 0);
    t.is(report.json.totals.divergences, 0, JSON.stringify(report.json.byStatement.map((s) => s.samples[0]), null, 1));
    const again = await cli(['verify', '--json'], env);
    t.is(again.code, 0, again.stdout);
    const canaryStatus = await cli(['status', '--json'], shadowEnv);
    t.is(canaryStatus.code, 0, JSON.stringify(canaryStatus.json.checks, null, 1));
    t.regex(canaryStatus.json.verdict, /set REGISTRY_PRIMARY=postgres/);

    // 4. The flip: PostgreSQL answers, SQLite still gets every write.
    t.truthy(engineWrites(t, env, 'shadow', 'postgres', 'flipped', 30000));
    const flipped = await cli(['verify', '--json'], env);
    t.is(flipped.code, 0, flipped.stdout);
    const flipStatus = await cli(['status', '--json'], { ...shadowEnv, REGISTRY_PRIMARY: 'postgres' });
    t.is(flipStatus.code, 0, JSON.stringify(flipStatus.json.checks, null, 1));
    t.regex(flipStatus.json.verdict, /set REGISTRY_BACKEND=postgres/);
  }

  // 5. PostgreSQL only, then SQLite retired: status says when the file and better-sqlite3 can go.
  t.truthy(engineWrites(t, env, 'postgres', undefined, 'postgres', 40000));
  const pgEnv = { ...env, REGISTRY_BACKEND: 'postgres' };
  const pgStatus = await cli(['status', '--json'], pgEnv);
  t.is(check(pgStatus, 'counts').status, 'passed', 'counts drift once SQLite no longer gets writes');
  t.regex(check(pgStatus, 'counts').reason, /SQLite no longer gets writes .*verify --repair --from postgres/);
  if (canary === null) {
    t.is(check(pgStatus, 'mirror').status, 'failed');
    t.regex(check(pgStatus, 'mirror').reason, /No mirror has run/);
    return;
  }
  t.is(pgStatus.code, 0, JSON.stringify(pgStatus.json.checks, null, 1));
  const retiredEnv = { ...pgEnv, REGISTRY_SQLITE_RETIRED: '1' };
  const retired = await cli(['status'], retiredEnv);
  t.is(retired.code, 0, retired.stdout);
  t.regex(retired.stdout, /Safe to remove better-sqlite3 .* and .*registry\.db/);

  // The operator archives the files and removes better-sqlite3 from the engine.
  const engine = path.join(dir, 'engine');
  fs.mkdirSync(path.join(engine, 'src'), { recursive: true });
  fs.writeFileSync(path.join(engine, 'package.json'), JSON.stringify({ dependencies: { 'swarm-registry-adapter': '^0.1.0' } }));
  fs.writeFileSync(path.join(engine, 'src', 'registry.js'), "const Database = require('swarm-registry-adapter');\n");
  for (const f of fs.readdirSync(dir)) if (f.includes('.db')) fs.rmSync(path.join(dir, f));
  const done = await cli(['status', '--json', '--code', engine, '--data', dir], retiredEnv);
  t.is(done.code, 0, JSON.stringify(done.json.checks, null, 1));
  t.is(check(done, 'counts').status, 'skipped');
  t.regex(check(done, 'counts').reason, /is gone \(SQLite retired\)/);
  t.is(check(done, 'code').status, 'passed');
  t.is(check(done, 'data').status, 'passed');
  t.regex(done.json.verdict, /^Done: SQLite is retired/);
});

test('status fails on differing counts, a recorded gap, divergences, better-sqlite3 or a .db file left', async (t) => {
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const file = path.join(dir, 'registry.db');
  seedRegistry(file, { rows: 300 });
  const env = { REGISTRY_DB: file, DATABASE_URL: url };
  t.is((await cli(['init'], env)).code, 0);
  t.is((await cli(['backfill'], env)).code, 0);
  t.is((await cli(['status'], env)).code, 0);

  await withClient(url, (c) => c.query('DELETE FROM engine_registry.execution_artifacts WHERE id = (SELECT min(id) FROM engine_registry.execution_artifacts)'));
  const counts = await cli(['status'], env);
  t.is(counts.code, 1);
  t.regex(counts.stdout, /FAILED +Row counts equal +execution_artifacts has (\d+) in SQLite and \d+ in PostgreSQL: run swarm-registry verify --repair/);
  t.regex(counts.stdout, /Not safe to go on \(1 check\(s\) failed\)\. Row counts equal: /);
  t.is((await cli(['verify', '--repair'], env)).code, 0);
  t.is((await cli(['status'], env)).code, 0, 'green again after the repair');

  // A mirror that lost writes (the shadow backend records this row; here it is written by hand).
  await withClient(url, async (c) => {
    await c.query('CREATE TABLE IF NOT EXISTS engine_registry._registry_mirror (mirror_id text PRIMARY KEY, host text, pid integer, primary_side text, started_at timestamptz, updated_at timestamptz, enqueued bigint, applied bigint, lag_ms bigint, queue_depth integer, gaps bigint, overflow bigint, outages bigint, closed boolean)');
    await c.query("INSERT INTO engine_registry._registry_mirror VALUES ('m1', 'engine-1', 4242, 'postgres', now() - interval '1 hour', now() - interval '10 minutes', 100, 97, 0, 0, 3, 0, 1, true)");
  });
  const gap = await cli(['status', '--json'], { ...env, REGISTRY_BACKEND: 'shadow', REGISTRY_PRIMARY: 'postgres' });
  t.is(gap.code, 1);
  t.is(check(gap, 'mirror').status, 'failed');
  t.regex(check(gap, 'mirror').reason, /3 gap\(s\) in the last 24 h \(mirror of pid 4242 on engine-1\): writes never reached SQLite; run swarm-registry verify --repair --from postgres/);
  const later = await cli(['status', '--json', '--window', '5m'], { ...env, REGISTRY_BACKEND: 'shadow' });
  t.is(check(later, 'mirror').status, 'passed', 'a gap before the window (after the repair) no longer counts');

  // Divergences in the window.
  const log = `${file}.divergence.jsonl`;
  fs.writeFileSync(log, `${JSON.stringify({ time: new Date().toISOString(), kind: 'rows', fingerprint: 'abc', statement: 'SELECT 1' })}\n`);
  const diverged = await cli(['status', '--json'], env);
  t.is(check(diverged, 'divergences').status, 'failed');
  t.regex(check(diverged, 'divergences').reason, /1 divergence\(s\) in the last 24 h: run swarm-registry report --since 24h/);
  fs.rmSync(log);

  // Code and data that still hold SQLite.
  const engine = path.join(dir, 'engine');
  fs.mkdirSync(path.join(engine, 'lib'), { recursive: true });
  fs.mkdirSync(path.join(engine, 'node_modules', 'better-sqlite3'), { recursive: true });
  fs.writeFileSync(path.join(engine, 'package.json'), JSON.stringify({ dependencies: { 'better-sqlite3': '^12.0.0' } }));
  fs.writeFileSync(path.join(engine, 'lib', 'tickets.mjs'), "// tickets\nimport Database from 'better-sqlite3';\n");
  const left = await cli(['status', '--json', '--code', engine, '--data', dir], env);
  t.is(left.code, 1);
  t.regex(check(left, 'code').reason, /package\.json \(dependencies\).*node_modules\/better-sqlite3.*lib\/tickets\.mjs:2.*npm uninstall better-sqlite3/);
  t.regex(check(left, 'data').reason, /registry\.db/);
  const missing = await cli(['status', '--code', path.join(dir, 'nope')], env);
  oneSentence(t, missing, /--code .*nope is not a folder/);
});

test('translate: the PostgreSQL form offline and against the schema; what prepare() would refuse exits 1', async (t) => {
  const offline = { DATABASE_URL: '' };
  const get = await cli(['translate', 'SELECT * FROM agents WHERE id = ?'], offline);
  t.is(get.code, 0, get.stderr);
  // `*` is written out without the hidden rowid column.
  t.regex(get.stdout, /^SELECT "agents"\."id", "agents"\."name", .*"agents"\."updated_at" FROM agents WHERE id = \$1;\n-- \$1: parameter 1 \(\?\) → agents\.id \(text\)/);
  t.regex(get.stdout, /built-in schema/);

  const vm = await cli(['translate', '--json', 'INSERT OR IGNORE INTO vm_assignments (vm_id, ticket_id, assigned_at) VALUES (?, ?, ?)'], offline);
  t.is(vm.code, 0);
  t.like(vm.json.translation, { kind: 'insert', reader: false, readonly: false, ordered: false });
  t.is(vm.json.translation.slots.length, 3);
  t.regex(vm.json.translation.text, /ON CONFLICT/i);

  const ordered = await cli(['translate', '--json', "SELECT name FROM workflows WHERE enabled = 1 AND name LIKE 'a%' ORDER BY name"], offline);
  t.like(ordered.json.translation, { kind: 'select', reader: true, ordered: true });
  const now = await cli(['translate', "UPDATE vm_assignments SET heartbeat_at = datetime('now') WHERE vm_id = ?"], offline);
  t.regex(now.stdout, /-- \$1: 'now', evaluated once per statement/);

  const attach = await cli(['translate', '--json', "ATTACH DATABASE 'other.db' AS other"], offline);
  oneSentence(t, attach, /^swarm-registry: Cannot translate ATTACH to PostgreSQL: it only exists in SQLite; rewrite the statement, or give its PostgreSQL form in the REGISTRY_SQL_OVERRIDES file\.$/);
  t.is(attach.code, 1);
  t.like(attach.json, { ok: false, construct: 'ATTACH', kind: 'TranslationError' });
  oneSentence(t, await cli(['translate', 'SELEC 1'], offline), /near "SELEC": syntax error; prepare\(\) raises the same error/);

  const { url } = await createTestDatabase(t);
  oneSentence(t, await cli(['translate', 'SELECT 1'], { DATABASE_URL: url }), /Schema engine_registry has no tables .*: run swarm-registry init first, or unset DATABASE_URL/);
  t.is((await cli(['init', '--no-backup'], { DATABASE_URL: url, REGISTRY_DB: path.join(tempDir(t), 'none.db') })).code, 0);
  const live = await cli(['translate', '--json', 'SELECT COUNT(*) FROM step_executions WHERE vm_id = ?'], { DATABASE_URL: url });
  t.is(live.code, 0, live.stderr);
  t.like(live.json, { catalog: 'database', preparedOnServer: true });
  const tickets = await cli(['translate', 'SELECT * FROM tickets'], { DATABASE_URL: url });
  oneSentence(t, tickets, /no such table: tickets; prepare\(\) raises the same error: fix the statement\./);
  t.is(tickets.code, 1);
});

test('bad input: unreachable server, wrong password, missing schema, bad window; no password printed', async (t) => {
  const file = path.join(tempDir(t), 'registry.db');
  seedRegistry(file, { rows: 100 });
  const down = `postgres://postgres:test-password@127.0.0.1:${await freePort()}/postgres`;
  const unreachable = await cli(['status', '--json'], { REGISTRY_DB: file, DATABASE_URL: down });
  t.is(unreachable.code, 1);
  t.regex(check(unreachable, 'postgres').reason, /^Cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres \(ECONNREFUSED\): check that the server is running/);
  t.true(['tables', 'counts', 'mirror'].every((id) => check(unreachable, id).status === 'skipped'));
  noPassword(t, unreachable, 'test-password');

  const wrong = new URL(serverUrl());
  wrong.password = 'wrong-pw';
  const refused = await cli(['status'], { REGISTRY_DB: file, DATABASE_URL: wrong.toString() });
  t.is(refused.code, 1);
  t.regex(refused.stdout, /FAILED +PostgreSQL reachable +PostgreSQL at .* refused the login .*: check the user and password in DATABASE_URL\./);
  noPassword(t, refused, 'wrong-pw');

  const { url } = await createTestDatabase(t);
  const noSchema = await cli(['status'], { REGISTRY_DB: file, DATABASE_URL: url });
  t.is(noSchema.code, 1);
  t.regex(noSchema.stdout, /FAILED +All 8 tables in engine_registry +Schema engine_registry does not exist in .*: run swarm-registry init first\./);
  t.regex(noSchema.stdout, /SKIPPED +Row counts equal/);

  oneSentence(t, await cli(['status', '--window', 'yesterday'], { REGISTRY_DB: file, DATABASE_URL: url }), /--window "yesterday" is not valid: use a duration like 30m, 24h or 7d/);
  oneSentence(t, await cli(['status'], { REGISTRY_DB: file, DATABASE_URL: '' }), /DATABASE_URL is not set/);
  oneSentence(t, await cli(['status'], { REGISTRY_DB: file, DATABASE_URL: url, REGISTRY_BACKEND: 'sqlite', REGISTRY_SQLITE_RETIRED: '1' }), /REGISTRY_SQLITE_RETIRED is set, .*set REGISTRY_BACKEND=postgres/);

  const translateDown = await cli(['translate', 'SELECT 1'], { DATABASE_URL: down });
  oneSentence(t, translateDown, /Cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres \(ECONNREFUSED\)/);
  noPassword(t, translateDown, 'test-password');
  const translateWrong = await cli(['translate', 'SELECT 1'], { DATABASE_URL: wrong.toString() });
  oneSentence(t, translateWrong, /refused the login/);
  noPassword(t, translateWrong, 'wrong-pw');
  oneSentence(t, await cli(['translate', 'SELECT 1'], { DATABASE_URL: 'mysql://u:wrong-pw@h/db' }), /DATABASE_URL="mysql:\/\/u:\*\*\*@h\/db" is not valid/);
});
