// The change log under faults, with real processes: two engine processes in shadow mode (with each
// primary: SQLite answering, then PostgreSQL answering) write the same rows at a high rate and are
// SIGKILLed at random points, round after round (the applier among them, in the middle of its
// groups). After a restart catches up, `verify` is clean without --repair and the applied count is
// the committed count.
// CHANGELOG_FAULT_ROUNDS / CHANGELOG_FAULT_RATE / CHANGELOG_FAULT_MS make it longer (the full run:
// 10 rounds at 20000 writes/s).
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import test from 'ava';
import pg from 'pg';
import { tempDir } from './helpers/backends.mjs';
import { createTestDatabase } from './helpers/pg.mjs';
import { cli } from './60.migrate-helpers.mjs';

const require = createRequire(import.meta.url);
const BetterSqlite3 = require('better-sqlite3');
const { REGISTRY_SQLITE_DDL } = require('../dist/schema/index.js');
const WRITER = path.resolve('test/fixtures/changelog-writer.cjs');
const ROUNDS = Number(process.env.CHANGELOG_FAULT_ROUNDS ?? 3);
const RATE = Number(process.env.CHANGELOG_FAULT_RATE ?? 2000); // writes/s per process
const ROUND_MS = Number(process.env.CHANGELOG_FAULT_MS ?? 1500);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A test database, and an empty registry file in WAL mode with the engine's tables. */
async function emptyRegistry(t) {
  const { url } = await createTestDatabase(t);
  const file = path.join(tempDir(t), 'registry.db');
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.exec(REGISTRY_SQLITE_DDL);
  db.close();
  return { url, file };
}

function start(file, url, tag, mode = 'write', primary = 'sqlite') {
  const child = spawn(process.execPath, [WRITER, file, url, tag, mode, String(RATE), primary], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  let ready;
  child.ready = new Promise((resolve) => (ready = resolve));
  child.stdout.on('data', (d) => {
    child.output += d;
    if (child.output.includes('ready')) ready();
  });
  child.stderr.on('data', (d) => (child.output += d));
  child.done = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.done.then(ready);
  return child;
}

/**
 * Where each primary keeps its log and the secondary its applied position: the log's end (the
 * committed count) and the position with the applied count, and the counter the writers bump.
 */
const SIDES = {
  sqlite: {
    committed: async (sqlite) => sqlite.prepare('SELECT max(seq) FROM _registry_changes').pluck().get(),
    applied: async (sqlite, client) => (await client.query("SELECT position::int AS position, applied_txns::int AS applied FROM engine_registry._registry_applied WHERE source = 'sqlite'")).rows,
  },
  postgres: {
    committed: async (sqlite, client) => (await client.query('SELECT max(seq)::int AS n FROM engine_registry._registry_changes')).rows[0].n,
    applied: async (sqlite) => sqlite.prepare("SELECT position, applied_txns AS applied FROM _registry_applied WHERE source = 'postgres'").all(),
  },
};

for (const primary of ['sqlite', 'postgres']) {
// Serial: four engine processes at full speed at once would starve the timing tests of this file.
test.serial(`SIGKILLed writers and applier, round after round (${primary} primary): after catch-up verify is clean and every committed transaction was applied once`, async (t) => {
  t.timeout(600_000);
  const side = SIDES[primary];
  const { url, file } = await emptyRegistry(t);
  const env = { REGISTRY_DB: file, DATABASE_URL: url };
  const init = await cli(['init', '--json'], env);
  t.is(init.code, 0, init.stderr);

  let killed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const writers = [start(file, url, `a${round}`, 'write', primary), start(file, url, `b${round}`, 'write', primary)];
    // Each dies at its own random moment: mid-write, mid-commit, mid-group for the applier.
    await Promise.all(writers.map(async (child) => {
      await child.ready; // writing: from now on it dies at a random point
      await sleep(ROUND_MS / 2 + Math.random() * ROUND_MS);
      child.kill('SIGKILL');
      const { signal } = await child.done;
      t.is(signal, 'SIGKILL', child.output);
      killed++;
    }));
  }
  t.is(killed, ROUNDS * 2);

  const catchUp = start(file, url, 'c', 'catch-up', primary);
  const { code } = await catchUp.done;
  t.is(code, 0, catchUp.output);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t.teardown(() => client.end());
  const sqlite = new BetterSqlite3(file, { readonly: true });
  const committed = await side.committed(sqlite, client);
  const applied = await side.applied(sqlite, client);
  const bumps = sqlite.prepare('SELECT sum(total_vm_time_ms) FROM workflow_runs').pluck().get();
  sqlite.close();
  t.true(committed > ROUNDS * 10, `${committed} transactions committed`);
  t.true(bumps > 0);
  t.deepEqual(applied, [{ position: committed, applied: committed }], 'every committed transaction applied, once');
  const pgBumps = (await client.query('SELECT sum(total_vm_time_ms)::int AS n FROM engine_registry.workflow_runs')).rows[0].n;
  t.is(pgBumps, bumps, 'the counters every transaction incremented are equal: none lost, none applied twice');

  const verify = await cli(['verify', '--json'], env);
  t.is(verify.code, 0, verify.stdout + verify.stderr);
  t.true(verify.json.clean);
  const log = `${file}.divergence.jsonl`;
  const records = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  t.deepEqual(records.filter((r) => r.kind !== 'mirror_outage' && r.kind !== 'mirror_resumed'), []);
  t.log(`${primary} primary: ${ROUNDS} rounds, ${killed} processes killed, ${committed} transactions committed and applied once`);
});
}

/** The "Change log applied" line of a `status --json` run. */
const changelogLine = (result) => result.json.checks.find((c) => c.id === 'changelog');

/** Runs `status --json` every second until `done(line)` holds or `ms` pass; the last run. */
async function pollStatus(env, done, ms = 30_000) {
  const until = Date.now() + ms;
  let result;
  do {
    await sleep(1000);
    result = await cli(['status', '--json'], env);
  } while (!done(changelogLine(result)) && Date.now() < until);
  return result;
}

/** Commits one more (empty) transaction to PostgreSQL's change log, as a process that does not apply it. */
async function appendPgLogRow(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("INSERT INTO engine_registry._registry_changes (seq, at, pid, writes, ops) SELECT max(seq) + 1, $1, 0, 0, '[]' FROM engine_registry._registry_changes", [Date.now()]);
  await client.end();
}

for (const primary of ['sqlite', 'postgres']) {
test(`status reads the change log (${primary} primary): green while the applier lives, FAILED within 10 s of its death with transactions waiting`, async (t) => {
  t.timeout(120_000);
  const { url, file } = await emptyRegistry(t);
  const env = { REGISTRY_DB: file, DATABASE_URL: url, REGISTRY_BACKEND: 'shadow', REGISTRY_PRIMARY: primary };
  t.is((await cli(['init'], env)).code, 0);
  const writer = start(file, url, 'status', 'write', primary);
  await writer.ready;
  const line = changelogLine;
  // The writer's applier starts within a second or two (seconds more on a loaded machine).
  const alive = await pollStatus(env, (l) => l.status === 'passed');
  t.is(line(alive).status, 'passed', JSON.stringify(line(alive)));
  t.regex(line(alive).reason, /applier alive/);

  writer.kill('SIGKILL');
  await writer.done;
  const killedAt = Date.now();
  // A transaction committed after the applier's death (as by a process that does not apply).
  if (primary === 'sqlite') {
    const sqlite = new BetterSqlite3(file);
    sqlite.prepare("INSERT INTO _registry_changes (seq, at, pid, writes, ops) VALUES ((SELECT max(seq) + 1 FROM _registry_changes), ?, 0, 0, '[]')").run(Date.now());
    sqlite.close();
  } else {
    await appendPgLogRow(url);
  }
  const result = await pollStatus(env, (l) => l.status === 'failed', 30_000 - (Date.now() - killedAt));
  t.is(result.code, 1);
  t.is(line(result).status, 'failed');
  t.regex(line(result).reason, new RegExp(`No applier is running and ${primary === 'sqlite' ? 'PostgreSQL' : 'SQLite'} is \\d+ transaction\\(s\\) behind .*Start the engine .* in shadow mode`));
  t.true(Date.now() - killedAt < 10_000 + 8_000, `FAILED ${Date.now() - killedAt} ms after the death (10 s heartbeat rule, plus one status run)`);
});
}

/**
 * How to catch each primary's applier in the middle of a group: `hold` keeps it from finishing (or
 * starting) groups, `midGroup` waits until one is open, its writes applied and not committed.
 */
const MID_GROUP = {
  // The group's last statement, the position's UPDATE in PostgreSQL, waits behind a lock of ours.
  sqlite: {
    hold: async ({ client }) => {
      await client.query('BEGIN');
      await client.query('LOCK TABLE engine_registry._registry_applied IN SHARE MODE');
      return { release: () => client.query('ROLLBACK') };
    },
    midGroup: async ({ client }, held) => {
      for (const until = Date.now() + 30_000; Date.now() < until; await sleep(20)) {
        // (A pipelined statement's text is not always the one shown: any wait for a lock in this database is ours.)
        const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        if (rows[0].n > 0) return { after: held.release };
      }
      throw new Error('the applier never reached the end of a group');
    },
  },
  // The registry file's write lock held by us: the log grows; released, the applier's first
  // group holds the lock while it applies (seen as SQLITE_BUSY by a probe that does not wait).
  postgres: {
    hold: async ({ file }) => {
      const sqlite = new BetterSqlite3(file, { timeout: 5000 });
      sqlite.exec('BEGIN IMMEDIATE');
      return { release: () => sqlite.exec('ROLLBACK'), close: () => sqlite.close() };
    },
    midGroup: async ({ file }, held) => {
      await sleep(1500); // a backlog of transactions: a large first group
      held.release();
      held.close();
      const probe = new BetterSqlite3(file, { timeout: 0 });
      try {
        for (const until = Date.now() + 30_000; Date.now() < until;) {
          try {
            probe.exec('BEGIN IMMEDIATE');
            probe.exec('ROLLBACK');
          } catch (error) {
            if (error.code === 'SQLITE_BUSY') return { after: async () => {} };
            throw error;
          }
        }
      } finally {
        probe.close();
      }
      throw new Error('the applier never began a group');
    },
  },
};

for (const primary of ['sqlite', 'postgres']) {
test.serial(`the applier SIGKILLed in the middle of a group (${primary} primary): the group is applied once, by the next applier`, async (t) => {
  t.timeout(180_000);
  const side = SIDES[primary];
  const { url, file } = await emptyRegistry(t);
  const env = { REGISTRY_DB: file, DATABASE_URL: url };
  t.is((await cli(['init', '--json'], env)).code, 0);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t.teardown(() => client.end());
  const writer = start(file, url, 'mid', 'write', primary);
  t.teardown(() => writer.kill('SIGKILL'));
  await writer.ready;
  // The applier has started (its position exists) before it is held.
  const reader = new BetterSqlite3(file, { readonly: true });
  const positionRow = async () => (await side.applied(reader, client).catch(() => [])).length > 0; // its table may not exist yet
  for (const until = Date.now() + 30_000; !(await positionRow()) && Date.now() < until;) await sleep(50);
  t.true(await positionRow(), 'the applier started');
  const before = (await side.applied(reader, client))[0].position;
  const held = await MID_GROUP[primary].hold({ client, file });
  const caught = await MID_GROUP[primary].midGroup({ client, file }, held);
  writer.kill('SIGKILL');
  t.is((await writer.done).signal, 'SIGKILL', writer.output);
  await caught.after();
  const atKill = (await side.applied(reader, client))[0].position;
  const logged = await side.committed(reader, client);
  reader.close();
  t.true(atKill < logged, `the group was cut: position ${atKill} (was ${before}), ${logged} transactions logged`);

  const catchUp = start(file, url, 'c', 'catch-up', primary);
  t.is((await catchUp.done).code, 0, catchUp.output);
  const sqlite = new BetterSqlite3(file, { readonly: true });
  const committed = await side.committed(sqlite, client);
  const applied = await side.applied(sqlite, client);
  const bumps = sqlite.prepare('SELECT sum(total_vm_time_ms) FROM workflow_runs').pluck().get();
  sqlite.close();
  t.deepEqual(applied, [{ position: committed, applied: committed }], 'every committed transaction applied, once');
  t.is((await client.query('SELECT sum(total_vm_time_ms)::int AS n FROM engine_registry.workflow_runs')).rows[0].n, bumps);
  const verify = await cli(['verify', '--json'], env);
  t.is(verify.code, 0, verify.stdout + verify.stderr);
  t.true(verify.json.clean);
});
}

test('a divergence log that cannot be written is an error when the database opens, never a silent drop', async (t) => {
  const dir = tempDir(t);
  const { default: Database } = await import('swarm-registry-adapter');
  const error = t.throws(() => new Database(path.join(dir, 'registry.db'), { backend: 'shadow', primary: 'sqlite', databaseUrl: 'postgres://localhost:1/none', divergenceLog: path.join(dir, 'missing', 'divergence.jsonl') }));
  t.is(error.name, 'ConfigurationError');
  t.regex(error.message, /REGISTRY_DIVERGENCE_LOG=.*missing.*cannot be used: the folder .* does not exist/);
});

test('a rollback to SQLite before PostgreSQL\'s change log reached the registry file: status FAILED with SQLite answering, green again once a PostgreSQL-primary process applied it', async (t) => {
  t.timeout(120_000);
  const { url, file } = await emptyRegistry(t);
  const flipped = { REGISTRY_DB: file, DATABASE_URL: url, REGISTRY_BACKEND: 'shadow', REGISTRY_PRIMARY: 'postgres' };
  const rolledBack = { ...flipped, REGISTRY_PRIMARY: 'sqlite' };
  t.is((await cli(['init'], flipped)).code, 0);
  const line = changelogLine;
  const writer = start(file, url, 'rollback', 'write', 'postgres');
  await writer.ready;
  const alive = await pollStatus(flipped, (l) => l.status === 'passed');
  t.is(line(alive).status, 'passed', line(alive).reason);
  writer.kill('SIGKILL');
  await writer.done;
  // A transaction PostgreSQL committed after its applier died: not in the registry file.
  await appendPgLogRow(url);

  const back = await cli(['status', '--json'], rolledBack);
  t.is(back.code, 1);
  t.is(line(back).status, 'failed');
  t.regex(line(back).reason, /PostgreSQL's change log holds [1-9]\d* transaction\(s\).*SQLite has not received.*REGISTRY_PRIMARY=postgres/);

  // PostgreSQL answering again (a process that writes nothing): its applier passes the waiting
  // transactions on, then it exits; the rollback is safe.
  const again = start(file, url, 'rollback-2', 'catch-up', 'postgres');
  t.deepEqual(await again.done, { code: 0, signal: null }, again.output);
  const safe = await cli(['status', '--json'], rolledBack);
  t.false(line(safe).reason.includes('has not received'), line(safe).reason);
});

test('status fails at once on a divergence log that cannot be written', async (t) => {
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const file = path.join(dir, 'registry.db');
  const db = new BetterSqlite3(file);
  db.exec(REGISTRY_SQLITE_DDL);
  db.close();
  const env = { REGISTRY_DB: file, DATABASE_URL: url, REGISTRY_BACKEND: 'shadow', REGISTRY_DIVERGENCE_LOG: path.join(dir, 'missing', 'divergence.jsonl') };
  t.is((await cli(['init'], env)).code, 0);
  const status = await cli(['status', '--json'], env);
  t.is(status.code, 1);
  const line = status.json.checks.find((c) => c.id === 'divergences');
  t.is(line.status, 'failed');
  t.regex(line.reason, /cannot be written \(the folder .*missing does not exist\)/);
});

for (const opened of ['after the backfill', 'before the backfill, as the runbook does']) {
test(`rows the operator skipped in the backfill: a difference on them is acknowledged, never a divergence, in the log, report and status (engine opened ${opened})`, async (t) => {
  t.timeout(120_000);
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const file = path.join(dir, 'registry.db');
  const log = path.join(dir, 'divergence.jsonl');
  const { seedRegistry } = require('../dist/migrate/index.js');
  seedRegistry(file, { rows: 200, orphans: true });
  const env = { REGISTRY_DB: file, DATABASE_URL: url, REGISTRY_DIVERGENCE_LOG: log, REGISTRY_BACKEND: 'shadow' };
  t.is((await cli(['init'], env)).code, 0);
  const { default: Database } = await import('swarm-registry-adapter');
  const open = () => new Database(file, { backend: 'shadow', primary: 'sqlite', databaseUrl: url, divergenceLog: log, shadowSample: 1 });
  // Opened first, the engine's mirror reads the (still empty) list of skipped rows before the backfill writes it.
  let db = opened.startsWith('before') ? open() : undefined;
  t.teardown(() => db?.open && db.close());
  if (db) await sleep(500);
  const backfill = await cli(['backfill', '--orphans=skip'], env);
  t.is(backfill.code, 0, backfill.stderr);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t.teardown(() => client.end());
  const { rows: [skipped] } = await client.query("SELECT table_name, row_key FROM engine_registry._registry_backfill_exceptions WHERE column_name = '' ORDER BY 1, 2 LIMIT 1");
  t.truthy(skipped, 'the seeded orphans were skipped');

  db ??= open();
  const key = db.pragma(`table_info(${skipped.table_name})`).find((c) => c.pk === 1).name;
  t.is(db.prepare(`SELECT count(*) FROM ${skipped.table_name} WHERE ${key} = ?`).pluck().get(skipped.row_key), 1);
  t.is(db.prepare(`DELETE FROM ${skipped.table_name} WHERE ${key} = ?`).run(skipped.row_key).changes, 1);
  db.close();
  const stats = db.shadowStats();
  t.is(stats.diverged, 0);
  t.is(stats.acknowledged, 2);
  const records = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  t.deepEqual(records.map((r) => [r.kind, r.difference]).sort(), [['acknowledged_exception', 'changes'], ['acknowledged_exception', 'rows']]);
  t.like(records[0].exception, { table: skipped.table_name, key: skipped.row_key });
  const report = await cli(['report', '--json'], env);
  t.is(report.json.totals.divergences, 0);
  t.is(report.json.totals.acknowledged, 2);
  const status = await cli(['status', '--json'], env);
  const line = status.json.checks.find((c) => c.id === 'divergences');
  t.is(line.status, 'passed', line.reason);
  t.regex(line.reason, /2 difference\(s\) on rows the backfill skipped by your choice, acknowledged/);
});
}

test('a divergence log that stops being writable while the engine runs: status fails on the mirror line within seconds', async (t) => {
  t.timeout(60_000);
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const file = path.join(dir, 'registry.db');
  const logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir);
  const log = path.join(logDir, 'divergence.jsonl');
  const sqlite = new BetterSqlite3(file);
  sqlite.exec(REGISTRY_SQLITE_DDL);
  sqlite.close();
  const env = { REGISTRY_DB: file, DATABASE_URL: url, REGISTRY_BACKEND: 'shadow', REGISTRY_DIVERGENCE_LOG: path.join(dir, 'status.jsonl') };
  t.is((await cli(['init'], env)).code, 0);
  const { default: Database } = await import('swarm-registry-adapter');
  const db = new Database(file, { backend: 'shadow', primary: 'sqlite', databaseUrl: url, divergenceLog: log });
  t.teardown(() => db.open && db.close());
  await sleep(1500);
  const mirror = async () => (await cli(['status', '--json'], env)).json.checks.find((c) => c.id === 'mirror');
  t.not((await mirror()).status, 'failed');
  fs.rmSync(logDir, { recursive: true });
  const removed = Date.now();
  await sleep(1500);
  const line = await mirror();
  t.is(line.status, 'failed', line.reason);
  t.regex(line.reason, /divergence log of the mirror of pid \d+ .* cannot be written \(.*does not exist\)/);
  t.true(Date.now() - removed < 10_000);
});
