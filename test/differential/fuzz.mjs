#!/usr/bin/env node
// `npm run fuzz`: the differential property for FUZZ_SECONDS (default 1800) with a random seed (or
// FUZZ_SEED), against TEST_DATABASE_URL or an embedded PostgreSQL started here. A difference is
// shrunk and printed with the seed and path that replay it; the run then goes on with a new seed
// and reports each class of difference once, with its shrunk example: an error by its kind and
// text, a silent difference by its kind and its SQL's shape (at most FUZZ_CLASSES_PER_KIND a kind).
//   FUZZ_SEED=n FUZZ_PATH=p   replay one counterexample and stop
//   FUZZ_ALL=1                 turn every KNOWN/UNFIXED switch off (show the classes excluded)
//   FUZZ_OFF=a,b               turn the switches named off (check that a class is fixed)
import fc from 'fast-check';
import { startEmbeddedPostgres } from '../helpers/embedded-server.mjs';
import { createTestDatabase } from '../helpers/pg.mjs';
import { checkCase, openPair } from './check.mjs';
import { caseArbitrary, KNOWN, UNFIXED } from './generators.mjs';
import { TABLES, VIEWS } from './schema.mjs';

const seconds = Number(process.env.FUZZ_SECONDS ?? 1800);
// Silent classes reported per kind of difference (rows, order, types...); further ones are counted.
const PER_KIND = Number(process.env.FUZZ_CLASSES_PER_KIND ?? 8);
const replaySeed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

let embedded;
if (!process.env.TEST_DATABASE_URL) {
  embedded = await startEmbeddedPostgres();
  process.env.TEST_DATABASE_URL = embedded.url;
}
const database = await createTestDatabase();
const pair = openPair(database.url);

/**
 * A class of difference. An error: its kind and the error's text without literals. A silent
 * difference (other rows, order, types, changes): its kind and the shape of its SQL (see
 * sqlShape): a failing case belongs to a class already found when it has every feature of that
 * class's shrunk example, so each silent class is reported once with its own shrunk example.
 */
function signature(diff, c) {
  if (diff.kind.includes('error')) {
    const pgLine = diff.report.split('\n').find((l) => l.startsWith('  pg:')) ?? '';
    // Literals, numbers and table.column names vary within one class of difference.
    const stem = pgLine.replace(/"[^"]*"|'[^']*'|\b\w+\.\w+\b|-?\d+(\.\d+)?(e[+-]?\d+)?n?/g, '…').slice(0, 120);
    return { kind: diff.kind, key: `${diff.kind}: ${stem}` };
  }
  const features = sqlShape(c);
  return { kind: diff.kind, features, key: `${diff.kind}: ${[...features].sort().join(' ')}` };
}

const BINARY_OPS = ['||', '<<', '>>', '<=', '>=', '==', '!=', '<>', '->>', '->', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '~'];
/** Words followed by `(` that are no function call. */
const NOT_CALLS = new Set(['SELECT', 'IN', 'VALUES', 'AS', 'AND', 'OR', 'NOT', 'WHERE', 'ON', 'EXISTS', 'FROM', 'JOIN', 'USING', 'INTO', 'THEN', 'ELSE', 'WHEN', 'BY', 'HAVING', 'SET']);
const KEYWORDS = new Set(['LIKE', 'GLOB', 'IS', 'IN', 'BETWEEN', 'CASE', 'NOT', 'DISTINCT', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'JOIN', 'LEFT', 'UNION', 'WITH', 'EXISTS', 'ISNULL', 'NOTNULL', 'ESCAPE', 'COLLATE', 'AND', 'OR']);

/**
 * The shape of a case's SQL, literals removed: its verb, the functions and operators it uses, the
 * types of CASTs, the kinds of the columns it names (int, real, text, json, ... of the tables the
 * statement reads), the classes of its literals and of the values bound.
 */
function sqlShape(c) {
  const f = new Set();
  const sql = c.sql;
  const verb = /^\s*(?:WITH\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql)?.[1]?.toUpperCase();
  if (verb) f.add(verb);
  const params = c.params.length === 1 && c.params[0] && typeof c.params[0] === 'object' && !Buffer.isBuffer(c.params[0]) ? Object.values(c.params[0]) : c.params;
  for (const v of params) f.add(`param:${v === null || v === undefined ? 'null' : Buffer.isBuffer(v) ? 'blob' : typeof v === 'number' ? (Number.isInteger(v) ? 'intnum' : 'real') : typeof v}`);
  // Comments and literals first (their content is no shape), then the words, numbers and operators.
  const rest = sql.replace(/--[^\n]*\n?|\/\*[\s\S]*?\*\//g, ' ')
    .replace(/[xX]'[0-9a-fA-F]*'/g, () => { f.add('lit:blob'); return ' '; })
    .replace(/'(?:[^']|'')*'/g, () => { f.add('lit:text'); return ' '; });
  const tables = new Set([...rest.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+(\w+)/gi)].map((m) => m[1].toLowerCase()));
  const kinds = (name) => [...tables].map((t) => (TABLES[t] ?? VIEWS[t])?.columns[name]).filter(Boolean);
  const re = /(\d+\.\d*(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+)|(\w+)(\s*\()?|(\|\||<<|>>|<=|>=|==|!=|<>|->>|->|[=<>+\-*/%&|~])/g;
  let m;
  let prev = '';
  while ((m = re.exec(rest))) {
    if (m[1] !== undefined) f.add(/[.eE]/.test(m[1]) ? 'lit:real' : 'lit:int');
    else if (m[2] !== undefined) {
      const w = m[2];
      const up = w.toUpperCase();
      if (m[3] && !NOT_CALLS.has(up)) f.add(`fn:${w.toLowerCase()}`);
      else if (prev === 'AS' && /^(TEXT|INTEGER|REAL|NUMERIC|BLOB)$/.test(up)) f.add(`cast:${up.toLowerCase()}`);
      else if (KEYWORDS.has(up)) f.add(up);
      else for (const k of kinds(w.toLowerCase())) f.add(`col:${k}`);
      prev = up;
      continue;
    } else if (BINARY_OPS.includes(m[4])) f.add(m[4]);
    prev = '';
  }
  return f;
}

/** A class found before that `sig` belongs to (every feature of its shrunk example), or undefined. */
function knownClass(sig) {
  if (classes.has(sig.key)) return classes.get(sig.key);
  if (!sig.features) return undefined;
  for (const k of classes.values()) {
    if (k.kind === sig.kind && k.features && [...k.features].every((x) => sig.features.has(x))) return k;
  }
  // Past the cap, every further silent class of a kind counts in that kind's overflow.
  const shown = [...classes.values()].filter((k) => k.kind === sig.kind && k.features && !k.alias).length;
  if (shown >= PER_KIND) {
    const key = `${sig.kind}: (more classes, not shown: FUZZ_CLASSES_PER_KIND=${PER_KIND})`;
    if (!classes.has(key)) classes.set(key, { kind: sig.kind, count: 0, overflow: true });
    return classes.get(key);
  }
  return undefined;
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
    const sig = signature(diff, c);
    const known = dedupe ? knownClass(sig) : undefined;
    if (known) {
      known.count++;
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
      const example = { kind: sig.kind, features: sig.features, count: 1, example: out.errorInstance?.message, replay: replay(seed, out.counterexamplePath) };
      if (!knownClass(sig)) classes.set(sig.key, example);
      // The case first found may have features its shrunk example lost: it counts in the same class.
      if (first && first.key !== sig.key && !knownClass(first)) classes.set(first.key, { ...example, alias: true });
      console.log(`\n[${Math.round((Date.now() - started) / 1000)} s] new class: ${sig.key}${out.errorInstance?.message}\n  replay: ${example.replay}`);
    }
    const secs = (Date.now() - started) / 1000;
    const shown = [...classes.entries()].filter(([, c]) => !c.alias);
    console.log(`\nfuzz: ${cases} cases in ${secs.toFixed(0)} s (${(cases / secs).toFixed(1)}/s), ${shown.length} classes of difference`);
    for (const [key, c] of shown) console.log(`  ${c.count}× ${key}${c.replay ? `\n     replay: ${c.replay}` : ''}`);
    process.exitCode = classes.size ? 1 : 0;
  }
} finally {
  pair.close();
  await database.drop();
  if (embedded) await embedded.stop();
}
// The embedded server's shutdown leaves handles behind; the exit code is the run's answer.
process.exit(process.exitCode ?? 0);
