#!/usr/bin/env node
// Runs the test suite against one PostgreSQL for the whole run: the server named by
// TEST_DATABASE_URL, or an embedded one (the newest supported major) started here on a free port and removed afterwards
// (also when the run fails or is interrupted).
// Output: failures and the summary; `--verbose` (or TEST_VERBOSE=1) also lists each passing test.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { startEmbeddedPostgres } from './helpers/embedded-server.mjs';

// ava's package exports neither its CLI nor its package.json: find the CLI next to its main entry.
const require = createRequire(import.meta.url);
const avaBin = path.join(path.dirname(require.resolve('ava')), 'cli.mjs');
// The version matrix (TEST_PG_VERSIONS=14,15,... or --pg-matrix) has its own runner.
if (process.env.TEST_PG_VERSIONS || process.argv.includes('--pg-matrix')) {
  await import('./pg-matrix.mjs');
  process.exit(1); // pg-matrix.mjs exits with its own code
}
const args = process.argv.slice(2).filter((a) => a !== '--verbose');
const verbose = args.length !== process.argv.length - 2 || process.env.TEST_VERBOSE === '1';
const started = Date.now();
let embedded;
if (!process.env.TEST_DATABASE_URL) {
  try {
    embedded = await startEmbeddedPostgres();
  } catch (error) {
    process.stderr.write(`test/run.mjs: ${error.message} (Or set TEST_DATABASE_URL to a PostgreSQL of your own.)\n`);
    process.exit(error.exitCode ?? 2);
  }
  process.env.TEST_DATABASE_URL = embedded.url;
}
// The adapter's start-up line (one per test database) would drown the summary: the tests that
// check it turn it back on.
process.env.REGISTRY_LOG_LEVEL ??= 'silent';
// The tests' temporary files go into one folder of the run, removed at the end whatever happened
// (a test killed by ava's timeout never runs its teardown).
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sra-run-'));
// mkdtemp makes it 0700: as root, a PostgreSQL that a test starts (the demo's) runs as `postgres` and must enter it.
fs.chmodSync(scratch, 0o755);
const removeScratch = () => fs.rmSync(scratch, { recursive: true, force: true });
process.on('exit', removeScratch);
const color = process.stdout.isTTY ? ['--color'] : [];
// One test file more than there are cores: many tests spend their time waiting (a timeout being
// tested, a child process, a mirror draining), and a third file keeps the cores busy meanwhile
// (107 s instead of 124 s on the 2-core machine).
const concurrency = args.some((a) => a.startsWith('--concurrency') || a === '-c') ? [] : [`--concurrency=${os.cpus().length + 1}`];
const child = spawn(process.execPath, [avaBin, ...color, ...concurrency, ...args], { stdio: ['inherit', 'pipe', 'inherit'], env: { ...process.env, TMPDIR: scratch } });

// ava lists every passing test (`✔ title`, then its t.log lines): keep those only in verbose mode.
let hiding = false;
const lines = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
lines.on('line', (line) => {
  const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
  if (/^ {2}✔ /.test(plain)) hiding = !verbose;
  else if (!(hiding && (/^ {4}/.test(plain) || plain.trim() === ''))) hiding = false; // its t.log lines, blank ones too
  if (!hiding) process.stdout.write(`${line}\n`);
});

let interrupted;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = signal;
    child.kill(signal);
  });
}
child.on('close', async (code, signal) => {
  if (embedded) await embedded.stop();
  if (interrupted) process.exit(interrupted === 'SIGINT' ? 130 : 143);
  process.stdout.write(`  (${((Date.now() - started) / 1000).toFixed(1)} s in all)\n`);
  process.exit(code ?? (signal ? 1 : 0));
});
