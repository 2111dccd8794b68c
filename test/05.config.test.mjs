import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import test from 'ava';
import Database from 'swarm-registry-adapter';
import { tempDir } from './helpers/backends.mjs';

const require = createRequire(import.meta.url);
const { planOpen, DEFAULT_REGISTRY_DB } = require('../dist/adapter/index.js');

const URL_WITH_PASSWORD = 'postgresql://swarm:s3cret-pw@localhost:5432/swarmdb';

test('only the registry file follows REGISTRY_BACKEND; other files are plain SQLite', (t) => {
  const env = { REGISTRY_BACKEND: 'postgres', DATABASE_URL: URL_WITH_PASSWORD, REGISTRY_DB: '/data/registry.db' };
  t.deepEqual(planOpen('/data/tickets.db', {}, env), { managed: false, backend: 'sqlite' });
  t.deepEqual(planOpen(':memory:', {}, env), { managed: false, backend: 'sqlite' });
  const plan = planOpen('/data/../data/registry.db', {}, env);
  t.true(plan.managed);
  t.is(plan.backend, 'postgres');
  t.is(plan.pgSchema, 'engine_registry');
  t.is(plan.divergenceLog, '/data/registry.db.divergence.jsonl');
});

test('the defaults are the documented ones (docs/runbook.md, Configuration)', (t) => {
  const plan = planOpen(DEFAULT_REGISTRY_DB, {}, {});
  t.like(plan, { managed: true, backend: 'sqlite', primary: 'sqlite', databaseUrl: null, pgSchema: 'engine_registry', shadowSample: 1, pgTimeoutMs: 30000, pgPoolSize: 10, pgPooler: 'none', sqliteRetired: false });
  t.is(plan.sqlOverrides.size, 0);
});

test('REGISTRY_DB=* manages every file', (t) => {
  const plan = planOpen('/anywhere/else.db', {}, { REGISTRY_DB: '*', REGISTRY_BACKEND: 'shadow', DATABASE_URL: URL_WITH_PASSWORD });
  t.like(plan, { managed: true, backend: 'shadow' });
});

test('constructor options override the environment', (t) => {
  const env = { REGISTRY_BACKEND: 'sqlite', REGISTRY_PG_SCHEMA: 'from_env', REGISTRY_DB: '/r.db' };
  const plan = planOpen('/r.db', { backend: 'postgres', databaseUrl: URL_WITH_PASSWORD, pgSchema: 'from_option', pgTimeoutMs: 500, shadowSample: 0.25 }, env);
  t.like(plan, { backend: 'postgres', pgSchema: 'from_option', pgTimeoutMs: 500, shadowSample: 0.25 });
  t.true(planOpen('/other.db', { backend: 'postgres', databaseUrl: URL_WITH_PASSWORD }, env).managed, 'an explicit backend manages any file');
});

const bad = [
  [{ REGISTRY_BACKEND: 'postgresql' }, /REGISTRY_BACKEND="postgresql" is not valid: use one of sqlite, shadow, postgres\./],
  [{ REGISTRY_PRIMARY: 'pg' }, /REGISTRY_PRIMARY="pg" is not valid: use one of sqlite, postgres\./],
  [{ REGISTRY_BACKEND: 'postgres' }, /DATABASE_URL is not set: REGISTRY_BACKEND=postgres needs it/],
  [{ REGISTRY_BACKEND: 'shadow', DATABASE_URL: 'mysql://u:pw@h/db' }, /DATABASE_URL="mysql:\/\/u:\*\*\*@h\/db" is not valid: use a URL like postgresql:/],
  [{ REGISTRY_PG_SCHEMA: 'engine-registry' }, /REGISTRY_PG_SCHEMA="engine-registry" is not valid: use a PostgreSQL identifier/],
  [{ REGISTRY_SHADOW_SAMPLE: '1.5' }, /REGISTRY_SHADOW_SAMPLE="1.5" is not valid: use a number from 0 to 1/],
  [{ REGISTRY_SHADOW_SAMPLE: 'half' }, /REGISTRY_SHADOW_SAMPLE="half" is not valid/],
  [{ REGISTRY_PG_TIMEOUT_MS: '30s' }, /REGISTRY_PG_TIMEOUT_MS="30s" is not valid: use a whole number from 1 to 2147483647\./],
  [{ REGISTRY_PG_POOL_SIZE: '0' }, /REGISTRY_PG_POOL_SIZE="0" is not valid: use a whole number from 1 to 1000\./],
  [{ REGISTRY_PG_POOLER: 'pgbouncer' }, /REGISTRY_PG_POOLER="pgbouncer" is not valid: use one of none, transaction\./],
  [{ REGISTRY_SQLITE_RETIRED: 'maybe' }, /REGISTRY_SQLITE_RETIRED="maybe" is not valid: use 1 or true/],
  [{ REGISTRY_SQL_OVERRIDES: '/no/such/overrides.json' }, /REGISTRY_SQL_OVERRIDES="\/no\/such\/overrides.json" cannot be read \(ENOENT\)/],
];
for (const [env, message] of bad) {
  test(`a bad value is a clear error: ${JSON.stringify(env)}`, (t) => {
    const error = t.throws(() => planOpen('/r.db', {}, { REGISTRY_DB: '/r.db', ...env }), { message });
    t.is(error.name, 'ConfigurationError');
  });
}

test('a bad constructor option is named as the option', (t) => {
  t.throws(() => planOpen('/r.db', { backend: 'mysql' }, {}), { message: 'option "backend"="mysql" is not valid: use one of sqlite, shadow, postgres.' });
  t.throws(() => planOpen('/r.db', { pgPoolSize: 2.5 }, { REGISTRY_DB: '/r.db' }), { message: /option "pgPoolSize"=2.5 is not valid/ });
});

test('a misspelt option is caught as better-sqlite3 catches readOnly', (t) => {
  t.throws(() => planOpen('/r.db', { databaseURL: 'x' }, {}), { instanceOf: TypeError, message: 'Misspelled option "databaseURL" should be "databaseUrl"' });
  t.throws(() => new Database(':memory:', { readOnly: true }), { instanceOf: TypeError, message: 'Misspelled option "readOnly" should be "readonly"' });
});

test('REGISTRY_SQLITE_RETIRED refuses sqlite and shadow for the registry, and says what to do', (t) => {
  const env = { REGISTRY_DB: '/r.db', REGISTRY_SQLITE_RETIRED: '1', DATABASE_URL: URL_WITH_PASSWORD };
  t.throws(() => planOpen('/r.db', {}, env), { message: /REGISTRY_SQLITE_RETIRED is set, so the registry's SQLite is gone, but REGISTRY_BACKEND is unset \(sqlite\): set REGISTRY_BACKEND=postgres/ });
  t.throws(() => planOpen('/r.db', {}, { ...env, REGISTRY_BACKEND: 'shadow' }), { message: /but REGISTRY_BACKEND=shadow: set REGISTRY_BACKEND=postgres/ });
  t.like(planOpen('/r.db', {}, { ...env, REGISTRY_BACKEND: 'postgres' }), { backend: 'postgres', sqliteRetired: true });
  t.deepEqual(planOpen('/tickets.db', {}, env), { managed: false, backend: 'sqlite' }, 'unmanaged files still use SQLite');
});

test('no configuration error ever prints the password', (t) => {
  const urls = ['postgres://swarm:s3cret-pw@h:5432/db', 'postgresql://swarm:s3cret-pw@h/db?sslmode=require'];
  for (const url of urls) {
    for (const env of [{ REGISTRY_BACKEND: 'bogus', DATABASE_URL: url }, { REGISTRY_BACKEND: 'shadow', DATABASE_URL: url.replace('postgres', 'pg') }, { REGISTRY_BACKEND: 'postgres', DATABASE_URL: url, REGISTRY_PG_POOL_SIZE: '-1' }]) {
      const error = t.throws(() => planOpen('/r.db', {}, { REGISTRY_DB: '/r.db', ...env }));
      t.false(error.message.includes('s3cret-pw'), error.message);
    }
  }
});

test('REGISTRY_SQL_OVERRIDES is read once at open, keyed as prepare() looks statements up', (t) => {
  const file = path.join(tempDir(t), 'overrides.json');
  fs.writeFileSync(file, JSON.stringify({ 'SELECT  *\n FROM agents': 'SELECT * FROM agents ORDER BY id', "SELECT 'a  b' -- note\n;": 'SELECT 1' }));
  const plan = planOpen('/r.db', {}, { REGISTRY_DB: '/r.db', REGISTRY_SQL_OVERRIDES: file });
  // The same key as prepare() looks up: comments and a trailing semicolon dropped, literals kept.
  t.deepEqual([...plan.sqlOverrides], [['SELECT * FROM agents', 'SELECT * FROM agents ORDER BY id'], ["SELECT 'a  b'", 'SELECT 1']]);
  fs.writeFileSync(file, '{"a": 1}');
  t.throws(() => planOpen('/r.db', {}, { REGISTRY_DB: '/r.db', REGISTRY_SQL_OVERRIDES: file }), { message: /the override for "a" must be a string/ });
  fs.writeFileSync(file, '[');
  t.throws(() => planOpen('/r.db', {}, { REGISTRY_DB: '/r.db', REGISTRY_SQL_OVERRIDES: file }), { message: /is not valid JSON/ });
});

test('new Database() throws the configuration error at open, and opens nothing', (t) => {
  const file = path.join(tempDir(t), 'registry.db');
  t.throws(() => new Database(file, { backend: 'postgres' }), { message: /DATABASE_URL is not set/ });
  t.false(fs.existsSync(file));
});
