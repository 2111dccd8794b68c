// The CLI as an operator meets it: exit codes (0 well, 1 found a problem, 2 could not do its job or
// bad usage), --database-url, and init's refusals of a registry file it must not back up.
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createTestDatabase, withClient } from './helpers/pg.mjs';
import { tempDir } from './helpers/backends.mjs';
import { cli } from './60.migrate-helpers.mjs';

const require = createRequire(import.meta.url);
const { seedRegistry } = require('../dist/migrate/seed.js');
const { planOpen } = require('../dist/adapter/config.js');

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
