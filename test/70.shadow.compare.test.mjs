// compareAnswers (docs/shadow-mode.md, What is compared, and how): every rule, as a table of primary answer, secondary answer, options, and the
// expected difference kind (undefined: the answers agree). Rows are shaped as better-sqlite3 returns them.
import test from 'ava';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { compareAnswers } = require('../dist/shadow/mirror/index.js');

const rows = (...r) => ({ type: 'rows', rows: r });
const run = (changes) => ({ type: 'run', changes });
const error = (code, message = 'failed') => ({ type: 'error', code, message });
const unordered = { ordered: false };
const ordered = { ordered: true };

const CASES = [
  // What must NOT be a divergence.
  ['identical object rows', rows({ id: 'a', n: 1 }, { id: 'b', n: 2 }), rows({ id: 'a', n: 1 }, { id: 'b', n: 2 }), unordered, undefined],
  ['no rows on either side', rows(), rows(), unordered, undefined],
  ['JSON text, other key order and spacing', rows({ c: '{"a":1,"b":[1,2]}' }), rows({ c: '{"b": [1, 2], "a": 1}' }), unordered, undefined],
  ['JSON array text by value', rows({ c: '[{"x":1,"y":2}]' }), rows({ c: '[{"y": 2, "x": 1}]' }), unordered, undefined],
  ['JSON nested objects by value', rows({ c: '{"a":{"b":{"c":1,"d":2}}}' }), rows({ c: '{"a": {"b": {"d": 2, "c": 1}}}' }), unordered, undefined],
  ['boolean true against 1', rows({ active: 1 }), rows({ active: true }), unordered, undefined],
  ['boolean false against 0', rows({ active: false }), rows({ active: 0 }), unordered, undefined],
  ['numeric text against a number', rows({ total: '42' }), rows({ total: 42 }), unordered, undefined],
  ['decimal text against a number', rows({ avg: '1.5' }), rows({ avg: 1.5 }), unordered, undefined],
  ['a number against a BigInt', rows({ n: 9007199254740993n }), rows({ n: 9007199254740993n }), unordered, undefined],
  ['integral text past 2^53 against a BigInt', rows({ n: '9007199254740993' }), rows({ n: 9007199254740993n }), unordered, undefined],
  ['SQLite timestamp text against ISO text, same instant', rows({ t: '2024-01-02 03:04:05' }), rows({ t: '2024-01-02T03:04:05.000Z' }), unordered, undefined],
  ['timestamp text against a Date', rows({ t: '2024-01-02 03:04:05.678' }), rows({ t: new Date('2024-01-02T03:04:05.678Z') }), unordered, undefined],
  ['timestamps within the default tolerance', rows({ t: '2024-01-02 03:04:05' }), rows({ t: '2024-01-02 03:04:05.900' }), unordered, undefined],
  ['timestamps within the tolerance, unordered and shuffled',
    rows({ id: 1, t: '2024-01-02 03:04:05' }, { id: 2, t: '2024-01-03 00:00:00' }),
    rows({ id: 2, t: '2024-01-03 00:00:00.500' }, { id: 1, t: '2024-01-02 03:04:05.400' }), unordered, undefined],
  ['timestamp with an offset, same instant', rows({ t: '2024-01-02 05:04:05+02:00' }), rows({ t: '2024-01-02 03:04:05' }), unordered, undefined],
  ['Buffers with the same bytes', rows({ b: Buffer.from([1, 2, 3]) }), rows({ b: Buffer.from([1, 2, 3]) }), unordered, undefined],
  ['row order differs, no ORDER BY', rows({ id: 'a' }, { id: 'b' }, { id: 'c' }), rows({ id: 'c' }, { id: 'a' }, { id: 'b' }), unordered, undefined],
  ['duplicate rows, same multiplicity, other order', rows({ x: 1 }, { x: 2 }, { x: 1 }), rows({ x: 1 }, { x: 1 }, { x: 2 }), unordered, undefined],
  ['object key order differs', rows({ a: 1, b: 2 }), rows({ b: 2, a: 1 }), unordered, undefined],
  ['raw rows', rows(['a', 1, '{"k":1}']), rows(['a', true, '{ "k": 1 }']), unordered, undefined],
  ['plucked values, other order', rows('x', 'y'), rows('y', 'x'), unordered, undefined],
  ['plucked Dates, same instant', rows(new Date(1000)), rows(new Date(1000)), unordered, undefined],
  ['plucked Buffers, same bytes', rows(Buffer.from('ab')), rows(Buffer.from('ab')), unordered, undefined],
  ['plucked NULLs', rows(null, 1), rows(1, null), unordered, undefined],
  ['ordered rows in the same order', rows({ id: 1 }, { id: 2 }), rows({ id: 1 }, { id: 2 }), ordered, undefined],
  ['same changes', run(1), run(1), unordered, undefined],
  ['both fail with the same code', error('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: agents.name'), error('SQLITE_CONSTRAINT_UNIQUE', 'duplicate key value'), unordered, undefined],
  ['text that only starts like JSON', rows({ c: '{not json' }), rows({ c: '{not json' }), unordered, undefined],
  ['JSON scalar text stays text', rows({ c: '"a"' }), rows({ c: '"a"' }), unordered, undefined],

  // What must be a divergence.
  ['text exactly: 2 is not 2.0', rows({ vm: '2' }), rows({ vm: '2.0' }), unordered, 'rows'],
  ['text exactly: case', rows({ name: 'Alpha' }), rows({ name: 'alpha' }), unordered, 'rows'],
  ['text exactly: trailing space', rows({ name: 'a' }), rows({ name: 'a ' }), unordered, 'rows'],
  ['numeric text against another number', rows({ total: '42' }), rows({ total: 43 }), unordered, 'rows'],
  ['a number against another number', rows({ n: 1 }), rows({ n: 2 }), unordered, 'rows'],
  ['boolean true against 0', rows({ active: true }), rows({ active: 0 }), unordered, 'rows'],
  ['JSON by value: a different value', rows({ c: '{"a":1}' }), rows({ c: '{"a":2}' }), unordered, 'rows'],
  ['JSON by value: array order matters', rows({ c: '[1,2]' }), rows({ c: '[2,1]' }), unordered, 'rows'],
  ['JSON text against plain text', rows({ c: '{"a":1}' }), rows({ c: 'a=1' }), unordered, 'rows'],
  ['timestamps beyond the tolerance', rows({ t: '2024-01-02 03:04:05' }), rows({ t: '2024-01-02 03:04:07' }), unordered, 'rows'],
  ['timestamps beyond a tighter tolerance', rows({ t: '2024-01-02 03:04:05' }), rows({ t: '2024-01-02 03:04:05.100' }), { ordered: false, timestampToleranceMs: 50 }, 'rows'],
  ['timestamp in another zone read as UTC: 2 h apart', rows({ t: '2024-01-02 03:04:05' }), rows({ t: '2024-01-02T05:04:05.000Z' }), unordered, 'rows'],
  ['Buffers with other bytes', rows({ b: Buffer.from([1, 2, 3]) }), rows({ b: Buffer.from([1, 2, 4]) }), unordered, 'rows'],
  ['plucked Dates, far apart', rows(new Date(1000)), rows(new Date(90000)), unordered, 'rows'],
  ['plucked Buffers, other bytes', rows(Buffer.from('ab')), rows(Buffer.from('ac')), unordered, 'rows'],
  ['Buffer against its text', rows({ b: Buffer.from('abc') }), rows({ b: 'abc' }), unordered, 'rows'],
  ['NULL against empty text', rows({ x: null }), rows({ x: '' }), unordered, 'rows'],
  ['NULL against 0', rows({ x: null }), rows({ x: 0 }), unordered, 'rows'],
  ['duplicate rows, other multiplicity', rows({ x: 1 }, { x: 1 }, { x: 2 }), rows({ x: 1 }, { x: 2 }, { x: 2 }), unordered, 'rows'],
  ['one row more', rows({ id: 'a' }, { id: 'b' }), rows({ id: 'a' }), unordered, 'row_count'],
  ['no row against one row (get)', rows(), rows({ id: 'a' }), unordered, 'row_count'],
  ['other column names', rows({ 'COUNT(*)': 3 }), rows({ count: 3 }), unordered, 'columns'],
  ['raw rows of other widths', rows([1, 2]), rows([1, 2, 3]), unordered, 'columns'],
  ['ordered rows in another order', rows({ id: 1 }, { id: 2 }, { id: 3 }), rows({ id: 1 }, { id: 3 }, { id: 2 }), ordered, 'order'],
  ['ordered rows with another value', rows({ id: 1 }, { id: 2 }), rows({ id: 1 }, { id: 5 }), ordered, 'rows'],
  ['other changes', run(1), run(2), unordered, 'changes'],
  ['only the primary fails', error('SQLITE_CONSTRAINT_UNIQUE'), run(1), unordered, 'error_primary_only'],
  ['only the secondary fails', rows({ id: 1 }), error('SQLITE_ERROR', 'syntax error'), unordered, 'error_secondary_only'],
  ['both fail, other codes', error('SQLITE_CONSTRAINT_UNIQUE'), error('SQLITE_CONSTRAINT_PRIMARYKEY'), unordered, 'error_mismatch'],
  ['rows against a run result', rows({ id: 1 }), run(0), unordered, 'answer_type'],
];

for (const [name, primary, secondary, options, expected] of CASES) {
  test(`${expected ? 'divergence' : 'agreement'}: ${name}`, (t) => {
    t.is(compareAnswers(primary, secondary, options)?.kind, expected);
    // The rule holds whichever side answers: swapping the sides finds the same kind (errors swap their names).
    const swapped = { error_primary_only: 'error_secondary_only', error_secondary_only: 'error_primary_only' }[expected] ?? expected;
    t.is(compareAnswers(secondary, primary, options)?.kind, swapped);
  });
}

test('a value difference names the first differing row and column and both values', (t) => {
  const difference = compareAnswers(
    rows({ id: 'a', name: 'x', vm: '2.0' }, { id: 'b', name: 'y', vm: '3.0' }),
    rows({ id: 'b', name: 'y', vm: '3.0' }, { id: 'a', name: 'x', vm: '2' }),
    unordered,
  );
  t.deepEqual(difference, {
    kind: 'rows',
    detail: { rowIndex: 0, secondaryRowIndex: 1, column: 'vm', primary: '2.0', secondary: '2', unmatchedPrimary: 1, unmatchedSecondary: 1 },
  });
});

test('raw rows name the column by position, plucked values by null', (t) => {
  t.like(compareAnswers(rows(['a', 1]), rows(['a', 2]), unordered).detail, { column: 1, primary: 1, secondary: 2 });
  t.like(compareAnswers(rows('a'), rows('b'), unordered).detail, { column: null, primary: 'a', secondary: 'b' });
});

test('an order difference names the first row out of place', (t) => {
  t.deepEqual(compareAnswers(rows(1, 2, 3, 4), rows(1, 2, 4, 3), ordered), { kind: 'order', detail: { rowIndex: 2 } });
});

test('row counts, changes and error codes are in the detail', (t) => {
  t.deepEqual(compareAnswers(rows(1, 2), rows(1), unordered).detail, { primaryCount: 2, secondaryCount: 1 });
  t.deepEqual(compareAnswers(run(3), run(1), unordered).detail, { primary: 3, secondary: 1 });
  t.deepEqual(compareAnswers(error('A', 'one'), error('B', 'two'), unordered).detail, {
    primaryCode: 'A', secondaryCode: 'B', primaryMessage: 'one', secondaryMessage: 'two',
  });
});

test('numeric text stays exact where both sides hold text, even beside numbers elsewhere', (t) => {
  // Column vm holds text on both sides: '2' against '2.0' is the SQLite quirk the adapter keeps, so it diverges.
  t.is(compareAnswers(rows({ n: 1, vm: '2.0' }), rows({ n: '1', vm: '2' }), unordered)?.kind, 'rows');
});

test('10 000 unordered rows compare as multisets quickly', (t) => {
  const primary = [];
  for (let i = 0; i < 10_000; i++) primary.push({ id: `id-${i}`, n: i, meta: `{"i":${i},"tags":["a","b"]}`, at: '2024-01-02 03:04:05', ok: i % 2 });
  const secondary = primary.map((r) => ({ ...r, meta: `{"tags": ["a", "b"], "i": ${r.n}}`, ok: r.ok === 1 })).reverse();
  // CPU time, not wall time: other processes on a loaded machine do not count against it.
  const started = process.cpuUsage();
  t.is(compareAnswers({ type: 'rows', rows: primary }, { type: 'rows', rows: secondary }, unordered), undefined);
  const { user, system } = process.cpuUsage(started);
  const ms = (user + system) / 1000;
  t.log(`${ms.toFixed(1)} ms of CPU for 10 000 rows`);
  t.true(ms < 2000, `${ms} ms of CPU`);
  secondary[1234] = { ...secondary[1234], n: -1 };
  t.is(compareAnswers({ type: 'rows', rows: primary }, { type: 'rows', rows: secondary }, unordered)?.kind, 'rows');
});
