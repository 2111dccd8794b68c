#!/usr/bin/env node
// `npm run fuzz`: the differential property for FUZZ_SECONDS (default 1800) with a random seed (or
// FUZZ_SEED), against TEST_DATABASE_URL or an embedded PostgreSQL started here. A difference is
// shrunk and printed with the seed and path that replay it; the run then goes on with a new seed
// and reports each class of difference (by kind and error) once, with its shrunk example.
//   FUZZ_SEED=n FUZZ_PATH=p   replay one counterexample and stop
//   FUZZ_ALL=1                 turn every KNOWN/UNFIXED switch off (show the classes excluded)
//   FUZZ_OFF=a,b               turn the switches named off (check that a class is fixed)
import fc from 'fast-check';
import { startEmbeddedPostgres } from '../helpers/embedded-server.mjs';
import { createTestDatabase } from '../helpers/pg.mjs';
import { checkCase, openPair } from './check.mjs';
import { caseArbitrary, KNOWN, UNFIXED } from './generators.mjs';

const seconds = Number(process.env.FUZZ_SECONDS ?? 1800);
const replaySeed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

let embedded;
if (!process.env.TEST_DATABASE_URL) {
  embedded = await startEmbeddedPostgres();
  process.env.TEST_DATABASE_URL = embedded.url;
}
const database = await createTestDatabase();
const pair = openPair(database.url);

/** A class of difference: its kind and the error or the JS types involved, without literals. */
function signature(diff) {
  const pgLine = diff.report.split('\n').find((l) => l.startsWith('  pg:')) ?? '';
  // Literals, numbers and table.column names vary within one class of difference.
  const stem = pgLine.replace(/"[^"]*"|'[^']*'|\b\w+\.\w+\b|-?\d+(\.\d+)?(e[+-]?\d+)?n?/g, '…').slice(0, 120);
  return diff.kind.includes('error') ? `${diff.kind}: ${stem}` : diff.kind;
}

const arb = caseArbitrary();
const env = ['FUZZ_ALL', 'FUZZ_OFF'].filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]} `).join('');
const replay = (seed, path) => `${env}FUZZ_SEED=${seed}${path ? ` FUZZ_PATH=${path}` : ''} npm run fuzz`;
const switchesOff = Object.entries({ ...KNOWN, ...UNFIXED }).filter(([, v]) => v).map(([k]) => k);
const classes = new Map();
let cases = 0;
const started = Date.now();

// The property is async only to give the event loop a turn between cases: the embedded server
// writes its log (an ERROR line per failed statement) into a pipe that only the event loop drains,
// and a full pipe stops the server (a query then "does not answer within 20000 ms").
function property(dedupe, onNew) {
  return fc.asyncProperty(arb, async (c) => {
    await new Promise((resolve) => setImmediate(resolve));
    cases++;
    const diff = checkCase(pair, c);
    if (!diff) return true;
    const sig = signature(diff);
    if (dedupe && classes.has(sig)) {
      classes.get(sig).count++;
      return true;
    }
    onNew(sig);
    throw Object.assign(new Error(`\n${diff.report}`), { sig });
  });
}

try {
  if (replaySeed !== undefined) {
    const out = await fc.check(property(false, () => {}), { seed: replaySeed, path: process.env.FUZZ_PATH, numRuns: process.env.FUZZ_PATH ? 1 : 1e9, interruptAfterTimeLimit: seconds * 1000 });
    console.log(out.failed ? `${out.errorInstance?.message ?? out.error}` : `no difference in ${out.numRuns} cases`);
    process.exitCode = out.failed ? 1 : 0;
  } else {
    console.log(`fuzz: ${seconds} s; switches on (classes excluded): ${switchesOff.join(', ') || 'none'}`);
    while (Date.now() - started < seconds * 1000) {
      const seed = Math.floor(Math.random() * 2 ** 31);
      console.log(`[${Math.round((Date.now() - started) / 1000)} s] seed ${seed} (replay: ${replay(seed)})`);
      let first;
      const out = await fc.check(property(true, (sig) => { first ??= sig; }), {
        seed, numRuns: 1e9, interruptAfterTimeLimit: seconds * 1000 - (Date.now() - started), markInterruptAsFailure: false,
      });
      if (!out.failed) break;
      const sig = out.errorInstance?.sig ?? first;
      for (const s of new Set([sig, first])) if (!classes.has(s)) classes.set(s, { count: 1, example: out.errorInstance?.message, replay: replay(seed, out.counterexamplePath) });
      console.log(`\n[${Math.round((Date.now() - started) / 1000)} s] new class: ${sig}${out.errorInstance?.message}\n  replay: ${replay(seed, out.counterexamplePath)}`);
    }
    const secs = (Date.now() - started) / 1000;
    console.log(`\nfuzz: ${cases} cases in ${secs.toFixed(0)} s (${(cases / secs).toFixed(1)}/s), ${classes.size} classes of difference`);
    for (const [sig, c] of classes) console.log(`  ${c.count}× ${sig}\n     replay: ${c.replay}`);
    process.exitCode = classes.size ? 1 : 0;
  }
} finally {
  pair.close();
  await database.drop();
  if (embedded) await embedded.stop();
}
// The embedded server's shutdown leaves handles behind; the exit code is the run's answer.
process.exit(process.exitCode ?? 0);
