// The differential suite: generated SQLite statements run on a real SQLite file and through the
// facade on PostgreSQL must give the same answer, or a TranslationError at prepare. A fixed seed
// and a time budget here; `npm run fuzz` runs the same property longer with a random seed.
import test from 'ava';
import { testProp, fc } from '@fast-check/ava';
import { createTestDatabase } from './helpers/pg.mjs';
import { checkCase, Difference, openPair } from './differential/check.mjs';
import { caseArbitrary, KNOWN, UNFIXED } from './differential/generators.mjs';
import { REGRESSIONS } from './differential/regressions.mjs';

const SEED = 20261207;
// A fixed number of cases (the same ones on every machine), cut short on a slow or loaded one.
const RUNS = Number(process.env.DIFF_RUNS ?? 3000);
const BUDGET_MS = Number(process.env.DIFF_BUDGET_MS ?? 10000);

let pair;
let database;
test.before(async () => {
  database = await createTestDatabase();
  pair = openPair(database.url);
});
test.after.always(async () => {
  pair?.close();
  await database?.drop();
});

for (const r of REGRESSIONS) {
  const pending = r.known && ({ ...KNOWN, ...UNFIXED })[r.known.split('.')[1]];
  (pending ? test.failing : test)(`regression: ${r.name}`, (t) => {
    const diff = checkCase(pair, { params: [], ...r });
    if (diff) t.fail(diff.report);
    else t.pass();
  });
}

// A Buffer bound for a typed column used to be sent as binary bytes, which PostgreSQL read as a value
// of the column's type (8 bytes as a bigint) or took as a broken message (a "lost" connection).
// Compared with the column it is a blob, equal to no integer, as in SQLite; stored into it, refused.
test('a Buffer bound for an INTEGER column: compared, no row; stored, a SQLITE_MISMATCH error naming the column; the connection stays', (t) => {
  const stmt = pair.pg.prepare('SELECT id FROM mix WHERE id = ?');
  t.deepEqual(stmt.all(Buffer.from([0, 0, 0, 0, 0, 0, 0, 1])), []);
  let error;
  try {
    pair.pg.prepare('UPDATE mix SET i = ? WHERE id = 1').run(Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]));
  } catch (e) {
    error = e;
  }
  t.is(error?.code, 'SQLITE_MISMATCH');
  t.regex(error.message, /Buffer cannot be bound for mix\.i /);
  t.deepEqual(stmt.all(1), [{ id: 1 }]);
});

// The assignment kept when a column is assigned twice lost its column: a Buffer was then stored
// into the TEXT column as text ('' for an empty one) instead of being refused.
test('the kept assignment of a column assigned twice is bound for its column', (t) => {
  let error;
  try {
    pair.pg.prepare('UPDATE mix2 SET t = ?, t = ? WHERE id = 1').run('a', Buffer.alloc(0));
  } catch (e) {
    error = e;
  }
  t.is(error?.code, 'SQLITE_MISMATCH');
  t.regex(error.message, /bound for mix2\.t/);
  t.deepEqual(pair.pg.prepare('SELECT t FROM mix2 WHERE id = 1').get(), { t: 'a' });
});

// A value bound into a typed column is stored as SQLite's affinity stores it; what the affinity keeps
// in a class the PostgreSQL column cannot hold is refused at bind, naming the column and the fix.
test('a value bound into a typed column: converted by the column\'s affinity, or refused with SQLITE_MISMATCH naming the column', (t) => {
  const refusal = (sql, value) => {
    try {
      pair.pg.prepare(sql).run(value);
    } catch (e) {
      return e;
    }
    return undefined;
  };
  const text = refusal('UPDATE mix2 SET i = ? WHERE id = 1', 'abc');
  t.is(text?.code, 'SQLITE_MISMATCH');
  t.regex(text.message, /a text stored into mix2\.i would be kept by SQLite as TEXT .*; bind an integer/);
  t.notRegex(text.message, /abc/); // the value itself is never quoted
  const flag = refusal("UPDATE workflows SET enabled = ? WHERE id = 'wf-1'", 2);
  t.regex(flag?.message ?? '', /the number 2 stored into workflows\.enabled would be kept by SQLite as an INTEGER .*; bind 0 or 1/);
  pair.pg.prepare('UPDATE mix2 SET i = ? WHERE id = 1').run(' 1e1 ');
  t.deepEqual(pair.pg.prepare('SELECT i FROM mix2 WHERE id = 1').get(), { i: 10 });
  pair.pg.prepare('UPDATE mix2 SET i = 1 WHERE id = 1').run();
});

let ran = 0;
testProp('generated statements answer as on SQLite, or are refused at prepare', [caseArbitrary()], (t, c) => {
  ran++;
  const diff = checkCase(pair, c);
  if (diff) throw new Difference(diff);
  t.pass();
}, { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false, endOnFailure: false });

test.after('cases run', (t) => t.log(`${ran} generated cases`));
