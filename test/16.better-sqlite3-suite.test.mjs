// better-sqlite3's own test suite (vendored in test/better-sqlite3/, run with mocha) must pass
// through the facade. This runs it as a child process and fails on any failing test.
import test from 'ava';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const runner = path.join(here, 'better-sqlite3', 'run.mjs');
// The vendored suite has 293 passing tests today; fewer passing means tests went missing.
const MIN_PASSING = 293;

function run() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, '--no-color'], {
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

test('better-sqlite3\'s own test suite passes through the facade', async (t) => {
  t.timeout(120_000);
  const { code, signal, output } = await run();
  const passing = Number(/(\d+) passing/.exec(output)?.[1] ?? 0);
  const failing = Number(/(\d+) failing/.exec(output)?.[1] ?? 0);
  if (code !== 0 || failing !== 0 || passing < MIN_PASSING) t.log(output);
  t.is(signal, null);
  t.is(failing, 0, 'mocha reports failing tests');
  t.true(passing >= MIN_PASSING, `only ${passing} tests passed (expected at least ${MIN_PASSING})`);
  t.is(code, 0, 'the mocha run exited non-zero');
});
