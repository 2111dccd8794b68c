// `swarm-registry demo` (what `npm start` runs): the whole rehearsal on its own embedded PostgreSQL,
// and it shows the product catching something — a row changed behind the adapter's back.
import test from 'ava';
import path from 'node:path';
import { execFile } from 'node:child_process';

test('the demo ends well, shows a divergence caught with the compared count, and prints no progress line measured over its first rows only', async (t) => {
  const { code, stdout, stderr } = await new Promise((resolve) => {
    execFile(process.execPath, [path.resolve('bin/swarm-registry.js'), 'demo', '--rows', '1500'], { maxBuffer: 16 << 20 }, (error, out, err) => resolve({ code: error ? error.code : 0, stdout: out, stderr: err }));
  });
  t.is(code, 0, `${stdout.slice(-3000)}\n${stderr}`);
  t.regex(stdout, /shadow mode compared \d+ answers: \d+ the same, 1 different; \d+ writes mirrored to PostgreSQL\./);
  t.regex(stdout, /row 0, column "name": sqlite "[^"]+", postgres "[^"]+ \(edited by hand\)"/);
  t.regex(stdout, /report\s+1 divergence\(s\) caught: the row changed by hand/);
  t.regex(stdout, /status during the canary\s+failed on the divergence, as it should/);
  t.regex(stdout, /Safe to go on/);
  // A copy that ends within 2 s prints no progress line; a slower one (a loaded machine) may, but
  // never one whose rate was measured over the first rows only: its rows / rate is 2 s or more.
  for (const [line, done, rate] of stdout.matchAll(/^\s*(?:backfill|verify): (\d+)(?:\/\d+ \(\d+%\))? rows, (\d+) rows\/s.*$/gm)) {
    t.true(Number(rate) > 0 && Number(done) / Number(rate) >= 1.9, `a progress line measured over less than 2 s: ${line}`);
  }
});
