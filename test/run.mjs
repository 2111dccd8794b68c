#!/usr/bin/env node
// Runs the test suite against one PostgreSQL for the whole run: the server named by
// TEST_DATABASE_URL, or an embedded one started here on a free port and removed afterwards
// (also when the run fails or is interrupted).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startEmbeddedPostgres } from './helpers/embedded-server.mjs';

// ava's package exports neither its CLI nor its package.json: find the CLI next to its main entry.
const require = createRequire(import.meta.url);
const avaBin = path.join(path.dirname(require.resolve('ava')), 'cli.mjs');
let embedded;
if (!process.env.TEST_DATABASE_URL) {
  try {
    embedded = await startEmbeddedPostgres();
  } catch (error) {
    process.stderr.write(`test/run.mjs: ${error.message}\n`);
    process.exit(error.exitCode ?? 2);
  }
  process.env.TEST_DATABASE_URL = embedded.url;
}
// The adapter's start-up lines (one per test database) would drown the summary: tests that check
// them turn them back on.
process.env.REGISTRY_LOG_LEVEL ??= 'silent';
const child = spawn(process.execPath, [avaBin, ...process.argv.slice(2)], { stdio: 'inherit', env: process.env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', async (code, signal) => {
  if (embedded) await embedded.stop();
  process.exit(code ?? (signal ? 1 : 0));
});
