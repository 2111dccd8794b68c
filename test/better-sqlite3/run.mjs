#!/usr/bin/env node
// Runs better-sqlite3's own test suite (vendored here) against swarm-registry-adapter's facade.
// Usage: node test/better-sqlite3/run.mjs [extra mocha args or files]
// Exits with mocha's status: non-zero when any test fails. The facade is loaded from dist/:
// build first (`npm run build`, which `npm test` does).
// BETTER_SQLITE3_BASELINE=1 runs the same files against better-sqlite3 itself (to compare).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);
const mocha = path.join(path.dirname(require.resolve('mocha/package.json')), 'bin', 'mocha.js');

const args = process.argv.slice(2);
const files = args.some((a) => a.endsWith('.js'))
  ? []
  : fs.readdirSync(here).filter((f) => /^\d\d\..*\.js$/.test(f)).sort().map((f) => path.join(here, f));
const requires = process.env.BETTER_SQLITE3_BASELINE ? ['--require', path.join(here, 'baseline.cjs')] : [];


// The same flags as better-sqlite3's `npm test` (mocha --exit --slow=75 --timeout=5000).
const child = spawn(process.execPath, [mocha, '--exit', '--slow=75', '--timeout=5000', ...requires, ...args, ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, REGISTRY_BACKEND: 'sqlite' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
