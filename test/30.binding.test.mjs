// bindParams must accept and refuse exactly what better-sqlite3 12 does, with the same errors.
import test from 'ava';
import vm from 'node:vm';
import { inspect } from 'node:util';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { bindParams, BindingPlan, bindTwiceError, alreadyBoundError } = require('../dist/backends/postgres/values/index.js');
const { tokenize } = require('../dist/translator/index.js');
const { readParams } = require('../dist/translator/index.js');

const db = new Database(':memory:');
test.after.always(() => db.close());

// Each SQL; its binding shape comes from the translator's own reading of its parameters.
const statements = {
  none: { sql: 'SELECT 1' },
  one: { sql: 'SELECT ?' },
  two: { sql: 'SELECT ?, ?' },
  named: { sql: 'SELECT :a' },
  namedTwo: { sql: 'SELECT :a, @b' },
  repeated: { sql: 'SELECT :a, @a, $a, :a' },
  mixed: { sql: 'SELECT ?, :a, ?' },
  namedFirst: { sql: 'SELECT :a, ?' },
  numbered: { sql: 'SELECT ?1' },
  // SQLite numbers `?` after the highest index so far, and a `?NNN` leaves unnamed gaps that
  // better-sqlite3 fills with anonymous values.
  numberedThenAnonymous: { sql: 'SELECT ?1, ?' },
  anonymousThenNumbered: { sql: 'SELECT ?, ?1' },
  gapThenAnonymous: { sql: 'SELECT ?2, ?' },
  anonymousThenGap: { sql: 'SELECT ?, ?3' },
  numberedAndNamed: { sql: 'SELECT ?2, :a, ?' },
};

/** The statement's parameters as the translator reads them, one slot per parameter token. */
function shapeOf({ sql }) {
  const tokens = tokenize(sql);
  const info = readParams(tokens);
  const slots = tokens.filter((t) => t.type === 'param').map((t) => ({ source: info.sources.get(t) }));
  return { slots, positionalCount: info.positionalCount, namedParams: info.namedParams };
}

class Thing { constructor() { this.a = 1; } }
const otherRealmObject = vm.runInNewContext('({ a: 7 })');

const cases = [
  ['none', []],
  ['none', [1]],
  ['none', [{}]],
  ['none', [{ a: 1 }]],
  ['none', [[]]],
  ['none', [true]],
  ['one', []],
  ['one', [1]],
  ['one', [1, 2]],
  ['one', [[1]]],
  ['one', [[1], []]],
  ['one', [[1, 2]]],
  ['one', [[[1]]]],
  ['one', [null]],
  ['one', [undefined]],
  ['one', ['text']],
  ['one', [2.5]],
  ['one', [NaN]],
  ['one', [12n]],
  ['one', [2n ** 63n - 1n]],
  ['one', [2n ** 63n]],
  ['one', [-(2n ** 63n) - 1n]],
  ['one', [Buffer.from('ab')]],
  ['one', [new Uint8Array([1, 2, 3])]],
  ['one', [new Float64Array([1.5])]],
  ['one', [new ArrayBuffer(2)]],
  ['one', [true]],
  ['one', [false]],
  ['one', [[true]]],
  ['one', [() => 1]],
  ['one', [Symbol('s')]],
  ['one', [new Date(0)]],
  ['one', [new Thing()]],
  ['one', [new Map()]],
  ['one', [new Number(3)]],
  ['one', [new String('x')]],
  ['one', [{}]],
  ['one', [{ a: 1 }]],
  ['one', [1, true]],
  ['one', [1, 2, true]],
  ['one', [2n ** 64n, 1]],
  ['one', [1, 2n ** 64n]],
  ['two', [1]],
  ['two', [1, 2]],
  ['two', [[1], [2]]],
  ['two', [[1, 2]]],
  ['two', [[1, 2, 3]]],
  ['two', [1, [2]]],
  ['two', [[], 1, [], 2]],
  ['two', [[1, true]]],
  ['two', [1, { a: 1 }]],
  ['named', []],
  ['named', [{ a: 1 }]],
  ['named', [{}]],
  ['named', [{ b: 1 }]],
  ['named', [{ a: undefined }]],
  ['named', [{ a: true }]],
  ['named', [{ a: [1] }]],
  ['named', [{ a: new String('x') }]],
  ['named', [{ a: 1, b: 2 }]],
  ['named', [{ a: 1 }, { a: 2 }]],
  ['named', [{ a: 1 }, 2]],
  ['named', [2]],
  ['named', [2, { a: 1 }]],
  ['named', [[1]]],
  ['named', [new Date(0)]],
  ['named', [new Thing()]],
  ['named', [() => 1]],
  ['named', [Object.create({ a: 1 })]],
  ['named', [Object.assign(Object.create(null), { a: 3 })]],
  ['named', [Object.create(null)]],
  ['named', [otherRealmObject]],
  ['named', [Buffer.from('x')]],
  ['named', [true]],
  ['named', [null]],
  ['namedTwo', [{ a: 1 }]],
  ['namedTwo', [{ b: 1 }]],
  ['namedTwo', [{ a: true }]],
  ['namedTwo', [{ a: 1, b: 2 }]],
  ['namedTwo', [{ b: 2, a: 1 }]],
  ['repeated', [{ a: 'x' }]],
  ['repeated', [{}]],
  ['mixed', [1, { a: 2 }, 3]],
  ['mixed', [{ a: 2 }, 1, 3]],
  ['mixed', [[1, 3], { a: 2 }]],
  ['mixed', [1, 3]],
  ['mixed', [1, { a: 2 }]],
  ['mixed', [1, { a: 2 }, 3, 4]],
  ['mixed', [1, 2, 3]],
  ['mixed', [{ a: 2 }]],
  ['mixed', [1, { b: 2 }, 3]],
  ['namedFirst', [{ a: 1 }, 2]],
  ['namedFirst', [2, { a: 1 }]],
  ['namedFirst', [{ a: 1 }]],
  ['namedFirst', [2]],
  ['namedFirst', [1, 2]],
  ['numbered', [{ 1: 'one' }]],
  ['numbered', [{}]],
  ['numbered', [1]],
  ['numberedThenAnonymous', [1, 2]],
  ['numberedThenAnonymous', [{ 1: 5 }, 2]],
  ['numberedThenAnonymous', [2, { 1: 5 }]],
  ['numberedThenAnonymous', [{ 1: 5 }]],
  ['anonymousThenNumbered', [1, 2]],
  ['anonymousThenNumbered', [1]],
  ['anonymousThenNumbered', [{ 1: 5 }]],
  ['gapThenAnonymous', [1, 2]],
  ['gapThenAnonymous', [1, 2, 3]],
  ['gapThenAnonymous', [{ 2: 7 }, 1, 3]],
  ['gapThenAnonymous', [{ 2: 7 }, 1]],
  ['anonymousThenGap', [1, 2, { 3: 4 }]],
  ['anonymousThenGap', [1, { 3: 4 }]],
  ['anonymousThenGap', [1, 2, 3]],
  ['numberedAndNamed', [{ 2: 1, a: 2 }, 3, 4]],
  ['numberedAndNamed', [{ 2: 1, a: 2 }, 3]],
  ['numberedAndNamed', [{ a: 2 }, 3, 4]],
];

function outcome(fn) {
  try {
    return { values: fn() };
  } catch (error) {
    return { error: { type: error.constructor.name, message: error.message } };
  }
}

// What reached each parameter, as SQLite reports it back (safe integers keep bigints exact).
function normalise(value) {
  if (value === undefined) return null;
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}

for (const [i, [name, args]] of cases.entries()) {
  const { sql } = statements[name];
  const label = `${sql} with ${inspect(args, { breakLength: Infinity })}`;
  test(`binds like better-sqlite3 (#${i}): ${label}`, (t) => {
    const expected = outcome(() => {
      const stmt = db.prepare(sql);
      const row = stmt.raw().safeIntegers().get(...args);
      return stmt.columns().length === 1 && sql === 'SELECT 1' ? [] : row;
    });
    const actual = outcome(() => bindParams(args, shapeOf(statements[name])).map(normalise));
    if (expected.error) {
      t.deepEqual(actual.error, expected.error);
    } else {
      t.is(actual.error, undefined, actual.error?.message);
      // SQLite stores NaN as NULL; that conversion is coerceParam's, not binding's.
      t.deepEqual(actual.values.map((v) => (typeof v === 'number' && Number.isNaN(v) ? null : v)), expected.values);
    }
  });
}

test('the messages for bind() twice and for parameters after bind() are better-sqlite3\'s', (t) => {
  const stmt = db.prepare('SELECT ?').bind(1);
  const twice = t.throws(() => stmt.bind(2));
  t.deepEqual([bindTwiceError().constructor, bindTwiceError().message], [twice.constructor, twice.message]);
  const given = t.throws(() => stmt.get(2));
  t.deepEqual([alreadyBoundError().constructor, alreadyBoundError().message], [given.constructor, given.message]);
});

test('a plan binds the statement\'s single "now" to every now slot, and converts for PostgreSQL', (t) => {
  const now = new Date('2024-05-06T07:08:09.010Z');
  const plan = new BindingPlan({
    slots: [
      { source: { kind: 'positional', index: 0 }, targetType: 'text' },
      { source: { kind: 'now' }, targetType: 'timestamp with time zone' },
      { source: { kind: 'named', name: 'flag' }, targetType: 'boolean' },
      { source: { kind: 'now' } },
      { source: { kind: 'positional', index: 0 }, targetType: 'bigint' },
    ],
    positionalCount: 1,
    namedParams: ['flag'],
  });
  t.deepEqual(plan.bind([2, { flag: 1 }], now), [2, now, 1, now, 2]);
  t.deepEqual(plan.pgValues([2, { flag: 1 }], now), ['2.0', now.toISOString(), 'true', now.toISOString(), '2']);
  t.throws(() => plan.pgValues([true, { flag: 1 }], now), { instanceOf: TypeError, message: 'SQLite3 can only bind numbers, strings, bigints, buffers, and null' });
});
