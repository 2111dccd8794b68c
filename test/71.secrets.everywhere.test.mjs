// No secret value in clear in any output, whatever the statement's shape: marker secrets are
// written through the adapter in shadow mode (parameters, named parameters, literals, Buffers),
// PostgreSQL is changed behind the adapter's back on `secrets` and `triggers` (new values it never
// saw, a row removed, a unique index) so that every read shape diverges, and then every output is
// searched for the markers: the divergence log, `report` (text and --json), `verify` (text and
// --json, with differing secret rows, and --repair), `status`, and the errors thrown to the caller
// (those in postgres and shadow modes: 71.secrets.errors.test.mjs).
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import Database from 'swarm-registry-adapter';
import { createTestDatabase } from './helpers/pg.mjs';
import { tempDir } from './helpers/backends.mjs';
import { settled } from './helpers/shadow.mjs';
import { cli } from './60.migrate-helpers.mjs';

const require = createRequire(import.meta.url);
const { seedRegistry } = require('../dist/migrate/index.js');

const RUN = crypto.randomBytes(4).toString('hex');
const marker = (tag) => `whsec_MARKER_${tag}_${RUN}_tail`;
/** Any trace of a marker: its word, in any case (upper() and substr() keep it). */
const LEAK = /marker/i;

function leaks(text) {
  return (text.match(new RegExp(LEAK.source, 'gi')) ?? []).length;
}

for (const primary of ['sqlite', 'postgres']) test(`${primary} answering: marker secrets through every shape, 0 occurrences in the log, report, verify, repair, status and errors`, async (t) => {
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const file = path.join(dir, 'registry.db');
  const log = path.join(dir, 'divergence.jsonl');
  seedRegistry(file, { rows: 60 });
  const env = { REGISTRY_DB: file, DATABASE_URL: url, REGISTRY_DIVERGENCE_LOG: log };
  t.is((await cli(['init'], env)).code, 0);
  const backfill = await cli(['backfill', '--orphans=skip'], env);
  t.is(backfill.code, 0, backfill.stderr);

  const db = new Database(file, { backend: 'shadow', primary, databaseUrl: url, divergenceLog: log, shadowSample: 1 });
  t.teardown(() => db.open && db.close());
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t.teardown(() => client.end());
  await client.query('SET search_path TO engine_registry');

  const wf = db.prepare('SELECT id FROM workflows ORDER BY id LIMIT 1').pluck().get();
  const insert = db.prepare("INSERT INTO triggers (id, workflow_id, type, webhook_path, webhook_secret) VALUES (?, ?, 'webhook', ?, ?)");
  insert.run('t-m1', wf, '/m1', marker('param'));
  db.prepare("INSERT INTO triggers (id, workflow_id, type, webhook_path, webhook_secret) VALUES (@id, @wf, 'webhook', @path, @secret)")
    .run({ id: 't-m2', wf, path: '/m2', secret: marker('named') });
  db.exec(`INSERT INTO triggers (id, workflow_id, type, webhook_path, webhook_secret) VALUES ('t-m3', '${wf}', 'webhook', '/m3', '${marker('literal')}')`);
  insert.run('t-m4', wf, '/m4', marker('gone'));
  const secret = db.prepare('INSERT INTO secrets (id, workflow_id, name, encrypted_value) VALUES (?, ?, ?, ?)');
  secret.run('s-m1', wf, 'hook-blob', Buffer.from(marker('blob')));
  // A text into the BLOB column: SQLite keeps a text there, PostgreSQL's bytea cannot hold one, so
  // the adapter refuses it when binding (values/store.ts), with a message that never quotes the value.
  const refused = t.throws(() => secret.run('s-m2', wf, 'hook-text', marker('text')), { any: true });
  t.is(refused?.code, 'SQLITE_MISMATCH');
  t.false(String(refused?.message).includes(marker('text')), 'the refusal does not quote the secret');
  await settled(db);

  // Behind the adapter's back: values it never saw, a row it will update, a unique index it does not know.
  await client.query(`UPDATE triggers SET webhook_secret = '${marker('pgonly')}' WHERE id = 't-m1'`);
  await client.query(`UPDATE triggers SET webhook_secret = '${marker('pgonly2')}' WHERE id = 't-m3'`);
  await client.query(`UPDATE secrets SET encrypted_value = convert_to('${marker('pgblob')}', 'UTF8') WHERE id = 's-m1'`);
  await client.query("DELETE FROM triggers WHERE id = 't-m4'");
  await client.query("CREATE UNIQUE INDEX trg_hook_secret ON triggers (webhook_secret) WHERE webhook_secret LIKE 'whsec%'");

  const reads = [
    ['SELECT * FROM triggers WHERE id IN (?, ?, ?) ORDER BY id', ['t-m1', 't-m2', 't-m3'], 'object'],
    ['SELECT * FROM triggers WHERE id IN (?, ?, ?) ORDER BY id', ['t-m1', 't-m2', 't-m3'], 'raw'],
    ['SELECT webhook_secret, id FROM triggers WHERE id = ?', ['t-m1'], 'pluck'],
    ['SELECT * FROM secrets WHERE id IN (?, ?) ORDER BY id', ['s-m1', 's-m2'], 'raw'],
    ['SELECT webhook_secret AS s FROM triggers WHERE id = ?', ['t-m1'], 'object'],
    ["SELECT webhook_secret || '' AS s FROM triggers WHERE id = ?", ['t-m3'], 'object'],
    ['SELECT upper(webhook_secret) AS s FROM triggers WHERE id = ?', ['t-m1'], 'raw'],
    ['SELECT substr(webhook_secret, 1, 16) AS s FROM triggers WHERE id = ?', ['t-m1'], 'pluck'],
    ["SELECT json_object('s', webhook_secret) AS j FROM triggers WHERE id = ?", ['t-m1'], 'object'],
    ["SELECT coalesce(webhook_secret, 'none') AS s, id FROM triggers WHERE id = ?", ['t-m3'], 'object'],
    ["SELECT group_concat(webhook_secret) AS g FROM triggers WHERE id LIKE 't-m%'", [], 'object'],
    ['SELECT CAST(encrypted_value AS TEXT) AS v FROM secrets WHERE id = ?', ['s-m1'], 'object'],
    ['SELECT id FROM triggers WHERE lower(webhook_secret) = lower(?)', [marker('param')], 'object'],
    ['SELECT CAST(webhook_secret AS NUMERIC) AS n FROM triggers WHERE id = ?', ['t-m1'], 'object'],
    ['SELECT t.*, w.name FROM triggers t JOIN workflows w ON w.id = t.workflow_id WHERE t.id = ?', ['t-m1'], 'expand'],
    ['SELECT s FROM (SELECT webhook_secret AS s FROM triggers) WHERE s IS NOT NULL ORDER BY s', [], 'pluck'],
  ];
  // With PostgreSQL answering, what it refuses is thrown to the caller: those errors are outputs too.
  const thrown = [];
  const attempt = (fn) => {
    try {
      fn();
    } catch (error) {
      if (primary === 'sqlite') throw error;
      for (let e = error; e; e = e.cause) thrown.push(String(e.message), String(e.stack), String(e.detail ?? ''));
    }
  };
  for (const [sql, args, shape] of reads) {
    attempt(() => {
      const stmt = db.prepare(sql);
      if (shape !== 'object') stmt[shape](true);
      stmt.all(...args);
    });
  }
  // Writes that diverge: an UPDATE with the secret as a literal (PostgreSQL lost the row), and an
  // INSERT PostgreSQL refuses with the secret in its key detail.
  attempt(() => db.exec(`UPDATE triggers SET webhook_secret = '${marker('update')}' WHERE id = 't-m4'`));
  attempt(() => insert.run('t-m5', wf, '/m5', marker('named')));
  await settled(db);
  const stats = db.shadowStats();
  db.close();
  t.log(`compared ${stats.compared}, inconclusive ${stats.inconclusive ?? 0}, diverged ${stats.diverged}`);
  // SQLite answering, the reads that follow this process's own writes are compared at exactly the
  // change log position they saw (its applier waits for them), never left uncompared.
  if (primary === 'sqlite') t.is(stats.inconclusive, 0);

  const outputs = {};
  outputs['divergence log'] = fs.readFileSync(log, 'utf8');
  if (primary === 'postgres') {
    t.true(thrown.length > 0, 'PostgreSQL refused some statements');
    outputs['errors thrown to the caller'] = thrown.join('\n');
  }
  const records = outputs['divergence log'].split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const kinds = records.map((r) => r.kind);
  t.true(stats.diverged >= 15, `divergences provoked: ${JSON.stringify(stats.divergedByKind)}`);
  t.true(kinds.includes(primary === 'sqlite' ? 'error_secondary_only' : 'error_primary_only'), kinds.join());
  t.true(kinds.includes('row_count'), kinds.join());
  const tables = new Set(records.map((r) => /FROM (triggers|secrets)|INTO (triggers|secrets)|UPDATE (triggers)/.exec(r.statement ?? '')?.slice(1).find(Boolean)));
  t.true(tables.has('triggers') && tables.has('secrets'), 'divergences on both tables with secrets');

  for (const args of [['report'], ['report', '--json'], ['verify'], ['verify', '--json'], ['status'], ['status', '--json'], ['verify', '--repair', '--json']]) {
    const result = await cli(args, { ...env, REGISTRY_BACKEND: 'shadow', REGISTRY_PRIMARY: primary });
    outputs[args.join(' ') + (args.includes('--repair') ? ' (refused)' : '')] = `${result.stdout}${result.stderr}`;
    if (args[0] === 'verify' && !args.includes('--repair')) t.is(result.code, 1, `verify finds the differing secret rows: ${result.stderr}`);
    if (args[0] === 'report') t.is(result.code, 0, result.stderr);
  }
  const html = path.join(path.dirname(log), 'report.html');
  const htmlRun = await cli(['report', '--html', html], { ...env, REGISTRY_BACKEND: 'shadow', REGISTRY_PRIMARY: primary });
  t.is(htmlRun.code, 0, htmlRun.stderr);
  outputs['report --html (the page)'] = fs.readFileSync(html, 'utf8');
  t.regex(outputs['report --html (the page)'], /sha256:[0-9a-f]{16}/, 'the page shows the secrets by their hash');
  // Repair: once refused by the unique index PostgreSQL has and SQLite has not, then done.
  await client.query('DROP INDEX trg_hook_secret');
  const repair = await cli(['verify', '--repair'], env);
  t.is(repair.code, 0, repair.stderr);
  outputs['verify --repair (done)'] = `${repair.stdout}${repair.stderr}`;

  const counts = Object.fromEntries(Object.entries(outputs).map(([name, text]) => [name, leaks(text)]));
  t.log(`${primary} answering: marker occurrences per output: ${JSON.stringify(counts)} (${records.length} log records)`);
  for (const [name, count] of Object.entries(counts)) t.is(count, 0, `${name}: ${outputs[name].split('\n').filter((l) => LEAK.test(l)).slice(0, 3).join('\n')}`);
  t.regex(outputs['verify'], /triggers/);
  t.regex(outputs['verify'], /sha256:[0-9a-f]{16}\b/, 'a differing secret is shown by its hash, as in the divergence log');
});
