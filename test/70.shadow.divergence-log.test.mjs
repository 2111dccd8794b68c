// Divergence records and the log file: one JSON line each, rate-limited per fingerprint (the rest
// counted), rotated by size, never throwing into the caller, no password, usable from a worker thread.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const { DivergenceLog, statementDivergence, notMirrorable, mirrorGap, mirrorOutage, mirrorResumed, GAP_ADVICE, callerFrame, PACKAGE_DIST, compareAnswers } = require('../dist/shadow/mirror/index.js');
const { fingerprint } = require('../dist/translator/index.js');

function tempLog(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'divergence-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'registry.db.divergence.jsonl');
}

const lines = (file) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

function divergence(statement = 'SELECT name FROM agents WHERE id = ?', extra = {}) {
  const primary = { type: 'rows', rows: [{ name: 'alpha' }] };
  const secondary = { type: 'rows', rows: [{ name: 'Alpha' }] };
  return statementDivergence({
    statement, params: ['a1'], primary, secondary,
    difference: compareAnswers(primary, secondary, { ordered: false }),
    primarySide: 'sqlite', secondarySide: 'postgres', stack: new Error().stack, ...extra,
  });
}

test('a statement divergence record has every field the divergence log documents', (t) => {
  const rec = divergence();
  t.is(rec.kind, 'rows');
  t.is(rec.statement, 'SELECT name FROM agents WHERE id = ?');
  t.is(rec.fingerprint, fingerprint(rec.statement));
  t.deepEqual(rec.params, ['a1']);
  t.deepEqual(rec.primary, { type: 'rows', rowCount: 1, rows: [{ name: 'alpha' }] });
  t.is(rec.primarySide, 'sqlite');
  t.is(rec.secondarySide, 'postgres');
  t.false(Number.isNaN(Date.parse(rec.time)));
  t.regex(rec.frame, /70\.shadow\.divergence-log\.test\.mjs/);
});

test('large results are cut to a few rows with their count; BigInts, Buffers and long text fit in JSON', (t) => {
  const many = Array.from({ length: 50 }, (_, i) => ({ id: i, n: 9007199254740993n, b: Buffer.alloc(200, 1), text: 'x'.repeat(5000) }));
  const rec = statementDivergence({
    statement: 'SELECT * FROM artifacts', params: [],
    primary: { type: 'rows', rows: many }, secondary: { type: 'rows', rows: many.slice(1) },
    difference: { kind: 'row_count', detail: { primaryCount: 50, secondaryCount: 49 } },
    primarySide: 'postgres', secondarySide: 'sqlite',
  });
  t.is(rec.primary.rowCount, 50);
  t.is(rec.primary.rows.length, 5);
  t.true(rec.primary.truncated);
  t.deepEqual(rec.primary.rows[0].n, { $bigint: '9007199254740993' });
  t.is(rec.primary.rows[0].b.length, 200);
  t.true(JSON.stringify(rec).length < 8000);
});

test('callerFrame skips this package\'s dist/ and Node internals', (t) => {
  const stack = [
    'Error',
    `    at Statement.get (${PACKAGE_DIST}/adapter/statement.js:10:5)`,
    `    at ShadowBackend.compare (file://${PACKAGE_DIST}/shadow/backend.js:3:1)`,
    '    at node:internal/modules/cjs/loader:1:1',
    '    at runStep (/opt/engine/src/runner.js:120:15)',
    '    at main (/opt/engine/src/index.js:1:1)',
  ].join('\n');
  t.is(callerFrame(stack), 'runStep (/opt/engine/src/runner.js:120:15)');
  t.is(callerFrame(`Error\n    at x (${PACKAGE_DIST}/a.js:1:1)`), undefined);
  t.is(callerFrame(undefined), undefined);
});

test('event records: not mirrorable, gap (with the verify advice), outage (no password), resumed', (t) => {
  const nm = notMirrorable({ statement: 'SELECT random()', reasons: ['random()'] });
  t.like(nm, { kind: 'not_mirrorable', statement: 'SELECT random()', reasons: ['random()'], fingerprint: fingerprint('SELECT random()') });
  const gap = mirrorGap({ cause: 'queue_overflow', droppedWrites: 120, since: new Date('2024-05-01T00:00:00Z') });
  t.like(gap, { kind: 'mirror_gap', droppedWrites: 120, since: '2024-05-01T00:00:00.000Z', advice: GAP_ADVICE });
  t.regex(gap.advice, /swarm-registry verify/);
  const outage = mirrorOutage({ error: new Error('connect ECONNREFUSED postgresql://app:hunter22@db:5432/r'), databaseUrl: 'postgresql://app:hunter22@db:5432/r' });
  t.false(JSON.stringify(outage).includes('hunter22'));
  t.like(mirrorResumed({ downMs: 1500 }), { kind: 'mirror_resumed', downMs: 1500 });
});

test('the log appends one JSON line per record, on flush', (t) => {
  const file = tempLog(t);
  const log = new DivergenceLog(file);
  t.true(log.write(divergence()));
  t.true(log.write(mirrorGap({ cause: 'outage', droppedWrites: 3 })));
  t.false(fs.existsSync(file), 'nothing written on the caller\'s call');
  log.flush();
  t.deepEqual(lines(file).map((l) => l.kind), ['rows', 'mirror_gap']);
  log.write(divergence('SELECT 1'));
  log.close();
  t.is(lines(file).length, 3);
  t.false(log.write(divergence()), 'a closed log takes nothing');
  t.like(log.stats(), { written: 3, suppressed: 0, ioFailures: 0 });
});

test('the queued lines are written by the timer', async (t) => {
  const file = tempLog(t);
  const log = new DivergenceLog(file, { flushIntervalMs: 20 });
  log.write(divergence());
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.is(lines(file).length, 1);
  log.close();
});

test('rate limit: N lines per fingerprint per window; the suppressed count rides on the next line, the rest in the summary', (t) => {
  const file = tempLog(t);
  let now = 0;
  const log = new DivergenceLog(file, { maxLinesPerFingerprint: 2, windowMs: 60_000, clock: () => now });
  const results = [];
  for (let i = 0; i < 5; i++) results.push(log.write(divergence()));
  t.deepEqual(results, [true, true, false, false, false]);
  t.true(log.write(divergence('SELECT other FROM agents')), 'another fingerprint has its own budget');
  now = 60_000;
  t.true(log.write(divergence()));
  for (let i = 0; i < 4; i++) log.write(divergence());
  log.close();
  const written = lines(file);
  t.deepEqual(written.map((l) => l.kind), ['rows', 'rows', 'rows', 'rows', 'rows', 'log_summary']);
  t.is(written[3].suppressed, 3);
  const summary = written.at(-1);
  t.deepEqual(summary.suppressedByFingerprint, { [fingerprint('SELECT name FROM agents WHERE id = ?')]: 3 });
  t.is(summary.suppressedTotal, 3);
  t.is(log.stats().suppressed, 6);
});

test('the file rotates past its size, keeping a few files', (t) => {
  const file = tempLog(t);
  const log = new DivergenceLog(file, { maxBytes: 4000, keepFiles: 2, maxLinesPerFingerprint: 1000 });
  for (let i = 0; i < 60; i++) {
    log.write(divergence());
    log.flush();
  }
  log.close();
  t.true(fs.existsSync(`${file}.1`));
  t.true(fs.existsSync(`${file}.2`));
  t.false(fs.existsSync(`${file}.3`));
  for (const f of [file, `${file}.1`, `${file}.2`]) t.true(fs.statSync(f).size <= 4000);
  t.true(log.stats().rotations > 2);
});

test('an unwritable log never throws into the caller: the failure is counted and says what to do', (t) => {
  const file = path.join(tempLog(t), 'missing-dir', 'x.jsonl');
  const log = new DivergenceLog(file, { databaseUrl: 'postgresql://u:topsecretpw@h/db' });
  t.notThrows(() => {
    log.write(divergence());
    log.write(divergence('SELECT 2'));
    log.flush();
    log.close();
  });
  const stats = log.stats();
  t.is(stats.ioFailures, 3, 'the two records and the closing summary');
  t.regex(stats.lastError, /Could not write the divergence log .*REGISTRY_DIVERGENCE_LOG/);
});

test('a record that cannot be serialised plainly (BigInt in a detail) is still written', (t) => {
  const file = tempLog(t);
  const log = new DivergenceLog(file);
  const rec = { ...mirrorResumed({ downMs: 1 }), extra: 5n };
  t.true(log.write(rec));
  log.close();
  t.deepEqual(lines(file)[0].extra, { $bigint: '5' });
});

test('no line ever holds the password of DATABASE_URL', (t) => {
  const file = tempLog(t);
  const url = 'postgresql://app:pa55-w0rd@db:5432/registry';
  const log = new DivergenceLog(file, { databaseUrl: url });
  log.write(mirrorOutage({ error: `password authentication failed for ${url} (pa55-w0rd)` }));
  log.write(divergence(`SELECT '${url}'`));
  log.close();
  const text = fs.readFileSync(file, 'utf8');
  t.false(text.includes('pa55-w0rd'));
  t.true(text.includes('***'));
});

test('the log works from a worker thread, and several writers append to one file', async (t) => {
  const file = tempLog(t);
  const mirror = path.resolve('dist/shadow/mirror/index.js');
  const code = `
    const { workerData } = require('node:worker_threads');
    const { DivergenceLog, mirrorGap } = require(${JSON.stringify(mirror)});
    const log = new DivergenceLog(workerData.file, { maxLinesPerFingerprint: 100 });
    for (let i = 0; i < 10; i++) log.write(mirrorGap({ cause: 'queue_overflow', droppedWrites: i }));
    log.close();`;
  const runWorker = () => new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { file } });
    worker.on('error', reject);
    worker.on('exit', resolve);
  });
  await Promise.all([runWorker(), runWorker()]);
  const written = lines(file);
  t.is(written.length, 20);
  t.true(written.every((l) => l.kind === 'mirror_gap'));
});

test('lines still queued when the process exits are written', async (t) => {
  const file = tempLog(t);
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, ['-e', `
    const { DivergenceLog, mirrorResumed } = require(${JSON.stringify(path.resolve('dist/shadow/mirror/index.js'))});
    new DivergenceLog(${JSON.stringify(file)}, { flushIntervalMs: 60000 }).write(mirrorResumed({ downMs: 5 }));`]);
  t.is(lines(file)[0].kind, 'mirror_resumed');
});
