import test from 'ava';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { splitStatements, normalizeStatement, fingerprint, translate, createTranslator } = require('../dist/translator/index.js');

const empty = { schema: 'engine_registry', tables: new Map() };

test('splitStatements never splits inside literals, quoted names or comments', (t) => {
  const sql = `INSERT INTO a VALUES ('x;y'); -- a; comment
    SELECT "semi;colon" FROM b /* ; */ ; ;  SELECT 1`;
  t.deepEqual(splitStatements(sql), [`INSERT INTO a VALUES ('x;y')`, `-- a; comment\n    SELECT "semi;colon" FROM b /* ; */`, 'SELECT 1']);
});

test('splitStatements keeps a CREATE TRIGGER body in one piece', (t) => {
  const trigger = `CREATE TRIGGER tr AFTER INSERT ON a BEGIN UPDATE b SET n = CASE WHEN 1 THEN 2 END; DELETE FROM c; END`;
  t.deepEqual(splitStatements(`${trigger}; SELECT 1;`), [trigger, 'SELECT 1']);
});

test('normalizeStatement collapses whitespace and comments outside literals only', (t) => {
  t.is(normalizeStatement(`  SELECT  *\n FROM t -- c\n WHERE a = '  x  ' ;`), `SELECT * FROM t WHERE a = '  x  '`);
});

test('fingerprint ignores literal values, parameters and IN-list lengths', (t) => {
  t.is(fingerprint(`SELECT * FROM t WHERE a = 'x' AND b IN (1, 2, 3)`), fingerprint(`select *  from t where a = ? and b in (?)`));
  t.not(fingerprint('SELECT a FROM t'), fingerprint('SELECT b FROM t'));
  t.regex(fingerprint('SELECT 1'), /^[0-9a-f]{16}$/);
});

test('parameters: ?, ?NNN, @x, :x, $x map to $n; a name used twice is one $n', (t) => {
  const tr = translate('SELECT @a, ?, :b, ?, $c, @a, ?7', empty);
  t.is(tr.text, 'SELECT $1::text AS "@a", $2::text AS "?", $3::text AS ":b", $4::text AS "?", $5::text AS "$c", $1::text AS "@a", $6::text AS "?7"');
  t.deepEqual(tr.slots.map((s) => s.source), [
    { kind: 'named', name: 'a' }, { kind: 'positional', index: 0 }, { kind: 'named', name: 'b' },
    { kind: 'positional', index: 1 }, { kind: 'named', name: 'c' }, { kind: 'named', name: '7' },
  ]);
  t.deepEqual(tr.namedParams, ['a', 'b', 'c', '7']);
  // SQLite numbers them 1..7 (@a reuses 1); index 6, left empty by ?7, takes an anonymous value too.
  t.is(tr.positionalCount, 3);
});

test('overrides replace the text; $n in the override names the SQLite statement\'s parameters', (t) => {
  const overrides = new Map([[normalizeStatement('SELECT weird(@a, ?)'), 'SELECT my_func($2, $1)']]);
  const tr = translate('SELECT  weird(@a, ?)', empty, { overrides });
  t.is(tr.text, 'SELECT my_func($1, $2)');
  t.deepEqual(tr.slots.map((s) => s.source), [{ kind: 'positional', index: 0 }, { kind: 'named', name: 'a' }]);
  t.true(tr.overridden);
  t.true(tr.reader);
});

test('createTranslator memoises per catalog object, errors included', (t) => {
  let catalog = empty;
  const tr = createTranslator(() => catalog);
  const a = tr.translate('SELECT 1');
  t.is(tr.translate('SELECT 1'), a);
  catalog = { schema: 'engine_registry', tables: new Map() };
  t.not(tr.translate('SELECT 1'), a);
  const e1 = t.throws(() => tr.translate('SELECT nope(1)'));
  t.is(t.throws(() => tr.translate('SELECT nope(1)')), e1);
});

test('one statement per translate(); an unknown function is a TranslationError naming it', (t) => {
  t.throws(() => translate('SELECT 1; SELECT 2', empty), { message: /more than one statement/ });
  const e = t.throws(() => translate('SELECT soundex(name) FROM t', empty));
  t.is(e.name, 'TranslationError');
  t.regex(e.construct, /soundex/);
  t.throws(() => translate('SELECT last_insert_rowid()', empty), { message: /last_insert_rowid\(\).*rowid/ });
  t.throws(() => translate('SELECT changes()', empty), { message: /changes\(\)/ });
});
