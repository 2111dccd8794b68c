// The CLI as an operator meets it: exit codes (0 well, 1 found a problem, 2 could not do its job or
// bad usage), --database-url, and init's refusals of a registry file it must not back up.
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createTestDatabase, withClient } from './helpers/pg.mjs';
import { tempDir } from './helpers/backends.mjs';
import { cli } from './60.migrate-helpers.mjs';

const require = createRequire(import.meta.url);
const { seedRegistry } = require('../dist/migrate/index.js');
const { planOpen } = require('../dist/adapter/index.js');

function backupsIn(dir) {
  return fs.readdirSync(dir).filter((f) => f.includes('.backup-'));
}

async function schemaExists(url) {
  return withClient(url, async (c) => (await c.query("SELECT 1 FROM pg_namespace WHERE nspname = 'engine_registry'")).rowCount === 1);
}

test('bad usage exits 2; help and --version exit 0', async (t) => {
  t.is((await cli(['verify', '--no-such-flag'], {})).code, 2);
  t.is((await cli(['no-such-command'], {})).code, 2);
  t.is((await cli(['backfill', '--orphans'], {})).code, 2, 'an option without its value');
  t.is((await cli(['--help'], {})).code, 0);
  t.is((await cli(['--version'], {})).code, 0);
});

test('a missing DATABASE_URL is a usage failure (2) that names the variable and --database-url', async (t) => {
  const result = await cli(['status'], { DATABASE_URL: '', REGISTRY_BACKEND: '' });
  t.is(result.code, 2);
  t.regex(result.stderr, /DATABASE_URL is not set: this command connects to PostgreSQL\. .*pass --database-url\./);
  t.notRegex(result.stderr, /REGISTRY_BACKEND/, 'no backend was set: the message must not blame one');
});

test('--database-url stands for DATABASE_URL, and its password stays out of the output', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = path.join(tempDir(t), 'registry.db');
  seedRegistry(file, { rows: 50 });
  const result = await cli(['init', '--json', '--database-url', url], { DATABASE_URL: '', REGISTRY_DB: file });
  t.is(result.code, 0, result.stderr);
  t.true(await schemaExists(url));
  const password = decodeURIComponent(new URL(url).password);
  t.false(result.stdout.includes(password) || result.stderr.includes(password));
});

test('init refuses a REGISTRY_DB that does not exist (exit 2, nothing created); --no-backup creates the schema', async (t) => {
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const env = { REGISTRY_DB: path.join(dir, 'registy.db'), DATABASE_URL: url };
  const refused = await cli(['init'], env);
  t.is(refused.code, 2);
  t.regex(refused.stderr, /REGISTRY_DB=.*registy\.db does not exist: .*--no-backup/);
  t.false(await schemaExists(url), 'nothing created on a mistyped path');
  const fresh = await cli(['init', '--no-backup', '--json'], env);
  t.is(fresh.code, 0, fresh.stderr);
  t.is(fresh.json.backup, null);
  t.true(await schemaExists(url));
  t.deepEqual(fs.readdirSync(dir), []);
});

test('init refuses a damaged registry file (exit 2) without backing it up or creating the schema', async (t) => {
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const file = path.join(dir, 'registry.db');
  seedRegistry(file, { rows: 200 });
  const bytes = fs.readFileSync(file);
  bytes.fill(0x5a, 4096, bytes.length - 4096); // pages of b-trees overwritten
  fs.writeFileSync(file, bytes);
  const notSqlite = path.join(dir, 'notes.db');
  fs.writeFileSync(notSqlite, 'these are not the droids\n'.repeat(100));
  for (const registryDb of [file, notSqlite]) {
    const result = await cli(['init'], { REGISTRY_DB: registryDb, DATABASE_URL: url });
    t.is(result.code, 2, result.stderr);
    t.regex(result.stderr, /is not a healthy SQLite database \(.+\): restore it from a backup/);
  }
  t.deepEqual(backupsIn(dir), []);
  t.false(await schemaExists(url));
});

test('a rerun of init on an unchanged registry keeps its backup; a changed one gets a new backup', async (t) => {
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const file = path.join(dir, 'registry.db');
  seedRegistry(file, { rows: 100 });
  const env = { REGISTRY_DB: file, DATABASE_URL: url };
  const first = await cli(['init', '--json'], env);
  t.is(first.code, 0, first.stderr);
  t.false(first.json.backupReused);
  await new Promise((resolve) => setTimeout(resolve, 1100)); // backups are named by the second
  const second = await cli(['init', '--json'], env);
  t.is(second.code, 0, second.stderr);
  t.true(second.json.backupReused);
  t.is(second.json.backup, first.json.backup);
  t.is(backupsIn(dir).length, 1);
  const human = await cli(['init'], env);
  t.regex(human.stdout, /has not changed since its backup .*: kept that one\./);
  const Database = require('better-sqlite3');
  const db = new Database(file);
  db.prepare("UPDATE agents SET name = name || '!' WHERE rowid = 1").run();
  db.close();
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const third = await cli(['init', '--json'], env);
  t.false(third.json.backupReused);
  t.is(backupsIn(dir).length, 2);
});

test('REGISTRY_SHADOW_SAMPLE takes a decimal fraction only', (t) => {
  const env = (value) => ({ REGISTRY_DB: '/tmp/r.db', REGISTRY_BACKEND: 'sqlite', REGISTRY_SHADOW_SAMPLE: value });
  for (const bad of ['0x1', '1e-1', '.', '1/2', 'Infinity', '-0.5', '1.5']) {
    t.throws(() => planOpen('/tmp/r.db', {}, env(bad)), { message: new RegExp(`REGISTRY_SHADOW_SAMPLE=${JSON.stringify(bad).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid: use a number from 0 to 1`) }, bad);
  }
  for (const [good, value] of [['0', 0], ['1', 1], ['0.25', 0.25], [' .5 ', 0.5], ['1.', 1]]) {
    t.is(planOpen('/tmp/r.db', {}, env(good)).shadowSample, value, good);
  }
});

test('backfill --dry-run shows what each choice leaves out, dependents included, and matches the real copy', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = path.join(tempDir(t), 'registry.db');
  seedRegistry(file, { rows: 3000, orphans: true, loose: true });
  const dry = await cli(['backfill', '--dry-run', '--json'], { REGISTRY_DB: file, DATABASE_URL: '' });
  t.is(dry.code, 0, dry.stderr);
  t.true(dry.json.dryRun);
  const flags = dry.json.outcomes.map((o) => o.flags).sort();
  t.deepEqual(flags, ['--orphans=null --loose=null', '--orphans=null --loose=skip', '--orphans=skip --loose=null', '--orphans=skip --loose=skip']);
  const skip = dry.json.outcomes.find((o) => o.flags === '--orphans=skip --loose=skip');
  t.is(skip.refusal, null);
  const dependents = skip.tables.reduce((n, row) => n + row.dependents, 0);
  t.true(dependents > 0, 'skipping orphans also leaves out the rows that point at them');

  const human = await cli(['backfill', '--dry-run', '--orphans=skip', '--loose=skip'], { REGISTRY_DB: file, DATABASE_URL: '' });
  t.regex(human.stdout, /Dry run: nothing copied/);
  t.regex(human.stdout, /skipped because a row they point at is skipped/);

  t.is((await cli(['init'], { REGISTRY_DB: file, DATABASE_URL: url })).code, 0);
  const real = await cli(['backfill', '--orphans=skip', '--loose=skip', '--json'], { REGISTRY_DB: file, DATABASE_URL: url });
  t.is(real.code, 0, real.stderr);
  const leftOut = real.json.exceptions.filter((e) => e.column === null).length;
  t.is(leftOut, skip.skippedRows, 'the dry run said exactly how many rows the copy leaves out');
  for (const row of skip.tables) t.is(real.json.tables.find((r) => r.table === row.table).skipped, row.skipped + row.dependents, row.table);
});

test('Ctrl-C in backfill says that progress is kept and how to resume', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = path.join(tempDir(t), 'registry.db');
  seedRegistry(file, { rows: 60000 });
  const env = { REGISTRY_DB: file, DATABASE_URL: url };
  t.is((await cli(['init'], env)).code, 0);
  const child = spawn(process.execPath, [path.resolve('bin/swarm-registry.js'), 'backfill', '--chunk-rows', '500'], { env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  await new Promise((resolve) => {
    const poll = setInterval(async () => {
      const copied = await withClient(url, async (c) => (await c.query('SELECT count(*)::int AS n FROM engine_registry.step_executions').catch(() => ({ rows: [{ n: 0 }] }))).rows[0].n);
      if (copied > 0) { clearInterval(poll); resolve(); }
    }, 50);
  });
  child.kill('SIGINT');
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
  t.is(code, 130);
  t.regex(stderr, /backfill interrupted\. Every chunk committed so far is kept: run the same swarm-registry backfill command again to resume/);
  const resumed = await cli(['backfill', '--json'], env);
  t.is(resumed.code, 0, resumed.stderr);
  t.true(resumed.json.tables.some((row) => row.copiedEarlier > 0), 'the rerun resumed after the interrupted one');
});

test('human verify shows both sides\' row counts and timestamps as instants, not epoch milliseconds', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = path.join(tempDir(t), 'registry.db');
  seedRegistry(file, { rows: 300 });
  const env = { REGISTRY_DB: file, DATABASE_URL: url };
  t.is((await cli(['init'], env)).code, 0);
  t.is((await cli(['backfill', '--json'], env)).code, 0);
  await withClient(url, async (c) => {
    await c.query("UPDATE engine_registry.agents SET created_at = '2031-02-03 04:05:06+00' WHERE id = (SELECT min(id) FROM engine_registry.agents)");
    await c.query('DELETE FROM engine_registry.triggers WHERE id = (SELECT min(id) FROM engine_registry.triggers)');
  });
  const result = await cli(['verify'], env);
  t.is(result.code, 1, result.stderr);
  t.regex(result.stdout, /triggers\s+(\d+) rows in SQLite, \d+ in PostgreSQL: 1 missing in PostgreSQL/);
  t.regex(result.stdout, /agents\s+\d+ rows on each side: 0 missing in PostgreSQL, 0 extra in PostgreSQL, 1 different/);
  t.regex(result.stdout, /created_at: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z" in SQLite, "2031-02-03T04:05:06\.000Z" in PostgreSQL/);
  t.notRegex(result.stdout, /created_at: "\d{12,}"/);
});

test('status lists every process that mirrored, not only the last one', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = path.join(tempDir(t), 'registry.db');
  seedRegistry(file, { rows: 100 });
  const env = { REGISTRY_DB: file, DATABASE_URL: url, REGISTRY_BACKEND: 'shadow' };
  t.is((await cli(['init'], env)).code, 0);
  t.is((await cli(['backfill'], env)).code, 0);
  await withClient(url, (c) => c.query(`CREATE TABLE engine_registry._registry_mirror (mirror_id text PRIMARY KEY, host text, pid integer, primary_side text, started_at timestamptz, updated_at timestamptz, enqueued bigint, applied bigint, lag_ms bigint, queue_depth integer, gaps bigint, overflow bigint, outages bigint, closed boolean);
    INSERT INTO engine_registry._registry_mirror VALUES
      ('engine-a', 'host-a', 4101, 'sqlite', now() - interval '1 hour', now() - interval '2 seconds', 900, 900, 3, 0, 0, 0, 0, false),
      ('engine-b', 'host-b', 4202, 'sqlite', now() - interval '1 hour', now() - interval '1 second', 800, 799, 5, 1, 0, 0, 0, false),
      ('cli-c', 'host-a', 4303, 'sqlite', now() - interval '2 hours', now() - interval '30 minutes', 12, 12, 0, 0, 0, 0, 0, true)`));
  const result = await cli(['status'], env);
  t.regex(result.stdout, /Mirror lag and gaps/);
  for (const [pid, host] of [[4101, 'host-a'], [4202, 'host-b'], [4303, 'host-a']]) {
    t.regex(result.stdout, new RegExp(`pid ${pid} on ${host} \\(sqlite answering\\), (running|closed), last report .* UTC: \\d+ of \\d+ op\\(s\\) applied`));
  }
});
