// `swarm-registry report` and summarizeDivergences: totals by kind and statement, first/last seen,
// samples, suppressed counts, windows, rotated files, malformed lines, missing logs; run as the operator
// runs it (a child process) on generated logs, one of which holds a secret that must not come out.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { summarizeDivergences, parseWindow } = require('../dist/shadow/report/index.js');
const { DivergenceLog, statementDivergence, notMirrorable, mirrorGap, mirrorOutage, mirrorResumed, compareAnswers } = require('../dist/shadow/mirror/index.js');

const BIN = path.resolve('bin/swarm-registry.js');
const SECRET = 'whsec_live_0123456789abcdef';
const NOW = Date.now();
const ago = (ms) => new Date(NOW - ms);
const HOUR = 3_600_000;

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function cli(args, env = {}) {
  return new Promise((resolve) => {
    const clean = { ...process.env };
    for (const key of ['REGISTRY_DB', 'REGISTRY_DIVERGENCE_LOG', 'DATABASE_URL', 'REGISTRY_BACKEND']) delete clean[key];
    execFile(process.execPath, [BIN, 'report', ...args], { env: { ...clean, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

function compared(statement, primary, secondary, time, extra = {}) {
  return statementDivergence({
    statement, params: extra.params ?? [], slots: extra.slots, primary, secondary,
    difference: compareAnswers(primary, secondary, { ordered: extra.ordered ?? false }),
    primarySide: 'sqlite', secondarySide: 'postgres', time, secretsContext: extra.secretsContext,
    stack: 'Error\n    at runStep (/opt/engine/src/runner.js:120:15)',
  });
}

/** A log as shadow mode writes it: two statements, a secret, a gap, an outage, rate-limited lines. */
function writeLog(file) {
  let now = NOW - 2 * HOUR;
  const log = new DivergenceLog(file, { maxLinesPerFingerprint: 3, clock: () => now });
  const byName = 'SELECT id, name FROM agents WHERE name = ?';
  for (let i = 0; i < 8; i++) {
    log.write(compared(byName, { type: 'rows', rows: [{ id: 'a1', name: 'B' }] }, { type: 'rows', rows: [{ id: 'a1', name: 'b' }] }, ago(2 * HOUR - i * 1000), { params: ['B'] }));
  }
  now = NOW - HOUR;
  log.write(compared(
    'UPDATE triggers SET webhook_secret = ? WHERE id = ?',
    { type: 'run', changes: 1 },
    { type: 'error', code: 'SQLITE_CONSTRAINT_UNIQUE', message: `duplicate key value violates unique constraint. Key (webhook_secret)=(${SECRET}) already exists.` },
    ago(HOUR),
    { params: [SECRET, 't1'], slots: [{ source: { kind: 'positional', index: 0 }, targetColumn: { table: 'triggers', column: 'webhook_secret' } }] },
  ));
  log.write(notMirrorable({ statement: 'SELECT random()', reasons: ['random()'], time: ago(HOUR) }));
  log.write(mirrorOutage({ error: 'connection refused', time: ago(HOUR) }));
  log.write(mirrorGap({ cause: 'outage', droppedWrites: 42, time: ago(HOUR - 1000) }));
  log.write(mirrorResumed({ downMs: 2000, time: ago(HOUR - 2000) }));
  log.close();
}

test('summarizeDivergences: totals by kind and by statement, first and last seen, samples, suppressed', (t) => {
  const file = path.join(tempDir(t), 'registry.db.divergence.jsonl');
  writeLog(file);
  const summary = summarizeDivergences(file, { since: null });
  t.true(summary.exists);
  t.false(summary.clean);
  t.deepEqual(summary.byKind, { rows: 8, error_secondary_only: 1, not_mirrorable: 1, mirror_outage: 1, mirror_gap: 1, mirror_resumed: 1 });
  t.like(summary.totals, { divergences: 9, notMirrorable: 1, mirrorGaps: 1, droppedWrites: 42, mirrorOutages: 1, mirrorResumed: 1, suppressed: 5 });
  const top = summary.byStatement[0];
  t.is(top.statement, 'SELECT id, name FROM agents WHERE name = ?');
  t.is(top.count, 8);
  t.is(top.suppressed, 5);
  t.is(top.samples.length, 3);
  t.deepEqual(top.frames, ['runStep (/opt/engine/src/runner.js:120:15)']);
  t.true(top.firstSeen < top.lastSeen);
  t.is(summary.malformedLines, 0);
  t.false(JSON.stringify(summary).includes(SECRET));
});

test('summarizeDivergences: the window, rotated files and malformed lines', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'd.jsonl');
  const old = compared('SELECT 1 AS x', { type: 'rows', rows: [{ x: 1 }] }, { type: 'rows', rows: [{ x: 2 }] }, ago(48 * HOUR));
  const recent = compared('SELECT 2 AS x', { type: 'rows', rows: [{ x: 1 }] }, { type: 'rows', rows: [{ x: 2 }] }, ago(HOUR));
  fs.writeFileSync(`${file}.1`, JSON.stringify(old) + '\n{"cut in the midd\n');
  fs.writeFileSync(file, JSON.stringify(recent) + '\nnot json\n{"kind":"rows"}\n\n');
  const all = summarizeDivergences(file);
  t.deepEqual(all.files, [`${file}.1`, file]);
  t.is(all.totals.divergences, 2);
  t.is(all.malformedLines, 3);
  const day = summarizeDivergences(file, { since: parseWindow('24h').since });
  t.is(day.totals.divergences, 1);
  t.is(day.byStatement[0].statement, 'SELECT 2 AS x');
  const clean = summarizeDivergences(file, { since: parseWindow('30m').since });
  t.true(clean.clean);
});

test('summarizeDivergences: a missing log is an empty, clean summary', (t) => {
  const summary = summarizeDivergences(path.join(tempDir(t), 'none.jsonl'), { since: null });
  t.false(summary.exists);
  t.true(summary.clean);
});

test('parseWindow: durations, dates, all, and a clear error otherwise', (t) => {
  const now = new Date('2024-05-02T00:00:00Z');
  t.is(parseWindow('24h', now).since.toISOString(), '2024-05-01T00:00:00.000Z');
  t.is(parseWindow('24h', now).label, 'the last 24 h');
  t.is(parseWindow('30m', now).since.toISOString(), '2024-05-01T23:30:00.000Z');
  t.is(parseWindow('7d', now).since.toISOString(), '2024-04-25T00:00:00.000Z');
  t.is(parseWindow('2024-04-01', now).since.toISOString(), '2024-04-01T00:00:00.000Z');
  t.is(parseWindow('all', now).since, null);
  t.throws(() => parseWindow('yesterday', now), { instanceOf: RangeError, message: /--since "yesterday" is not valid: use a duration like 30m/ });
});

test('CLI: a readable summary that never prints the secret', async (t) => {
  const file = path.join(tempDir(t), 'registry.db.divergence.jsonl');
  writeLog(file);
  const { code, stdout, stderr } = await cli(['--log', file]);
  t.is(code, 0, stderr);
  t.regex(stdout, /DIVERGED in the last 24 h: 9 divergences, 1 not mirrorable, 1 mirror gap in 3 statements/);
  t.regex(stdout, /SELECT id, name FROM agents WHERE name = \?/);
  t.regex(stdout, /row 0, column "name": sqlite "B", postgres "b"/);
  t.regex(stdout, /only postgres failed: SQLITE_CONSTRAINT_UNIQUE/);
  t.regex(stdout, /42 writes never reached the secondary: run `swarm-registry verify`/);
  t.regex(stdout, /5 of these were left out of the log by its rate limit/);
  t.false(stdout.includes(SECRET));
  t.log(stdout);
});

test('CLI: --json prints one JSON document without the secret', async (t) => {
  const file = path.join(tempDir(t), 'registry.db.divergence.jsonl');
  writeLog(file);
  const { code, stdout } = await cli(['--log', file, '--since', 'all', '--json']);
  t.is(code, 0);
  const doc = JSON.parse(stdout);
  t.like(doc, { ok: true, exists: true, clean: false, window: 'the whole log' });
  t.is(doc.totals.divergences, 9);
  t.false(stdout.includes(SECRET));
});

test('CLI: a log written by another writer with a secret in clear is redacted by column name', async (t) => {
  const file = path.join(tempDir(t), 'd.jsonl');
  const line = {
    time: new Date(NOW - HOUR).toISOString(), kind: 'rows', fingerprint: 'abc', statement: 'SELECT * FROM triggers',
    params: [{ webhook_secret: SECRET }], primarySide: 'sqlite', secondarySide: 'postgres',
    primary: { type: 'rows', rowCount: 1, rows: [{ id: 't1', webhook_secret: SECRET }] },
    secondary: { type: 'rows', rowCount: 1, rows: [{ id: 't1', webhook_secret: 'x' }] },
    detail: { rowIndex: 0, secondaryRowIndex: 0, column: 'webhook_secret', primary: SECRET, secondary: 'x' },
  };
  fs.writeFileSync(file, JSON.stringify(line) + '\n');
  for (const args of [['--log', file], ['--log', file, '--json']]) {
    const { code, stdout } = await cli(args);
    t.is(code, 0);
    t.false(stdout.includes(SECRET), stdout);
    t.regex(stdout, /sha256:[0-9a-f]{16}/);
  }
});

test('CLI: no divergence in the window says so at a glance', async (t) => {
  const file = path.join(tempDir(t), 'd.jsonl');
  fs.writeFileSync(file, JSON.stringify(mirrorResumed({ downMs: 5, time: ago(HOUR) })) + '\n');
  const { code, stdout } = await cli(['--log', file]);
  t.is(code, 0);
  t.regex(stdout, /^Divergence log: .*\nNo divergence in the last 24 h: PostgreSQL and SQLite answered alike\./);
});

test('CLI: a missing log is nothing to report yet (exit 0); the default path follows REGISTRY_DB', async (t) => {
  const dir = tempDir(t);
  const { code, stdout } = await cli([], { REGISTRY_DB: path.join(dir, 'registry.db') });
  t.is(code, 0);
  t.is(stdout, `Nothing to report yet: there is no divergence log at ${path.join(dir, 'registry.db')}.divergence.jsonl (shadow mode creates it when it records the first divergence).\n`);
  const json = await cli(['--json'], { REGISTRY_DIVERGENCE_LOG: path.join(dir, 'custom.jsonl') });
  t.like(JSON.parse(json.stdout), { ok: true, exists: false, clean: true, log: path.join(dir, 'custom.jsonl') });
});

test('CLI: an unreadable path or a bad window fails with one sentence (exit 2)', async (t) => {
  const dir = tempDir(t);
  const unreadable = await cli(['--log', dir]);
  t.is(unreadable.code, 2);
  t.is(unreadable.stderr, `swarm-registry: Cannot read the divergence log ${dir} (it is a directory, not a file): pass the log file with --log, or fix its permissions.\n`);
  const window = await cli(['--log', path.join(dir, 'x'), '--since', 'soon']);
  t.is(window.code, 2);
  t.regex(window.stderr, /--since "soon" is not valid/);
  const star = await cli([], { REGISTRY_DB: '*' });
  t.is(star.code, 2);
  t.regex(star.stderr, /pass --log PATH or set REGISTRY_DIVERGENCE_LOG/);
});
