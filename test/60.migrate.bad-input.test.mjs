// Bad input: one sentence on stderr, a non-zero exit, no stack trace, no password, nothing changed.
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

function oneSentence(t, result, pattern) {
  t.not(result.code, 0);
  const line = result.stderr.trim();
  t.is(line.split('\n').length, 1, result.stderr);
  t.regex(line, pattern);
  t.false(/\n\s+at /.test(result.stderr), 'no stack trace');
  t.false(result.stderr.includes('test-password') || result.stderr.includes('wrong-pw'), 'no password');
}

async function schemaExists(url) {
  return withClient(url, async (c) => (await c.query("SELECT 1 FROM pg_namespace WHERE nspname = 'engine_registry'")).rowCount === 1);
}

test('REGISTRY_DB missing: backfill and verify say so and change nothing', async (t) => {
  const { url } = await createTestDatabase(t);
  const env = { REGISTRY_DB: path.join(tempDir(t), 'nope.db'), DATABASE_URL: url };
  t.is((await cli(['init', '--no-backup'], env)).code, 0);
  for (const command of ['backfill', 'verify']) {
    const result = await cli([command], env);
    oneSentence(t, result, /REGISTRY_DB=.*nope\.db does not exist: point REGISTRY_DB at the registry's SQLite file\./);
  }
  t.false(fs.existsSync(env.REGISTRY_DB));
});

test('unreachable server and wrong password: one sentence, no password, no backup taken', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'registry.db');
  seedRegistry(file, { rows: 100 });
  const down = `postgres://postgres:test-password@127.0.0.1:${await freePort()}/postgres`;
  for (const command of ['init', 'backfill', 'verify']) {
    oneSentence(t, await cli([command], { REGISTRY_DB: file, DATABASE_URL: down }), /Cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres \(ECONNREFUSED\)/);
  }
  const wrong = new URL(serverUrl());
  wrong.password = 'wrong-pw';
  const result = await cli(['init', '--json'], { REGISTRY_DB: file, DATABASE_URL: wrong.toString() });
  oneSentence(t, result, /refused the login .*: check the user and password in DATABASE_URL\./);
  t.is(result.json.ok, false);
  t.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('backup')), [], 'no backup when the server cannot be used');
});

test('schema missing: backfill and verify say to run init first', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = path.join(tempDir(t), 'registry.db');
  seedRegistry(file, { rows: 100 });
  for (const command of ['backfill', 'verify']) {
    oneSentence(t, await cli([command], { REGISTRY_DB: file, DATABASE_URL: url }), /Schema engine_registry does not exist in .*: run swarm-registry init first\./);
  }
  t.false(await schemaExists(url));
});

test('bad settings and --print: DATABASE_URL checked, DDL printed without connecting', async (t) => {
  oneSentence(t, await cli(['verify'], { DATABASE_URL: '', REGISTRY_DB: '/tmp/x.db' }), /DATABASE_URL is not set/);
  oneSentence(t, await cli(['backfill'], { DATABASE_URL: 'mysql://u:wrong-pw@h/db', REGISTRY_DB: '/tmp/x.db' }), /is not valid: use a URL like postgresql:/);
  const printed = await cli(['init', '--print'], { DATABASE_URL: '', REGISTRY_PG_SCHEMA: 'reg_v2' });
  t.is(printed.code, 0);
  t.regex(printed.stdout, /CREATE SCHEMA IF NOT EXISTS "reg_v2";/);
  t.regex(printed.stdout, /CREATE TABLE IF NOT EXISTS "reg_v2"\.triggers/);
  const help = await cli(['verify', '--help'], {});
  t.is(help.code, 0);
  t.regex(help.stdout, /--repair/);
});

test('loose values are profiled and refused until chosen; --loose=skip and --loose=null copy the rest', async (t) => {
  const { url } = await createTestDatabase(t);
  const file = path.join(tempDir(t), 'registry.db');
  seedRegistry(file, { rows: 1000, loose: true });
  const env = { REGISTRY_DB: file, DATABASE_URL: url };
  t.is((await cli(['init', '--no-backup'], env)).code, 0);
  const refused = await cli(['backfill', '--json'], env);
  t.is(refused.code, 1);
  const kinds = refused.json.profile.loose.map((l) => `${l.table}.${l.column}:${l.kind}`).sort();
  t.deepEqual(kinds, ['agents.memory_mb:not-an-integer', 'triggers.enabled:not-a-boolean', 'workflow_runs.started_at:unparseable-timestamp', 'workflows.steps:invalid-json']);
  t.true(refused.json.profile.notes.some((n) => /triggers\.next_run_at: mixed timestamp formats/.test(n)));
  const nulled = await cli(['backfill', '--loose=null', '--json'], env);
  t.is(nulled.code, 1, 'workflows.steps is NOT NULL');
  t.regex(nulled.stderr, /workflows\.steps is NOT NULL.*--loose=skip/);
  const copied = await cli(['backfill', '--loose=skip', '--orphans=skip', '--json'], env);
  t.is(copied.code, 0, copied.stderr);
  t.is((await cli(['verify'], env)).code, 0);
});
