// fast-check generators of SQLite statements over the registry tables and the scratch tables, with
// the parameters to bind. A generated case is { sql, params, write?, order? } (see run-case.mjs).
import fc from 'fast-check';
import { blobLit, cat, Gen, intLit, invalidParam, KIND_TYPE, node, param, paramValue, realLit, SUBQUERIES, textLit } from './expressions.mjs';
import { columnsOf, READ_TABLES, TABLES, WRITE_TABLES } from './schema.mjs';
import { KNOWN, UNFIXED } from './switches.mjs';

export { KNOWN, UNFIXED };

const gens = new Map();
function genFor(key, cols) {
  const family = /^(mix|mix2|v_mix)\b/.test(key) || key === '' ? SUBQUERIES.scratch : SUBQUERIES.registry;
  if (!gens.has(key)) gens.set(key, new Gen(cols, { subqueries: UNFIXED.flatColumnScope ? family : SUBQUERIES.all }));
  return gens.get(key);
}

function colsOf(table, qualifier) {
  return Object.entries(columnsOf(table)).filter(([, kind]) => !(UNFIXED.untypedColumnAffinity && kind === 'any')).map(([name, kind]) => ({ name: qualifier ? `${qualifier}.${name}` : name, type: KIND_TYPE[kind], kind }));
}

const join = (xs, sep = ', ') => xs.flatMap((x, i) => (i ? [sep, x] : [x]));

/** Nothing, or a comment with hostile content between two clauses. */
function comment() {
  const bodies = ["/* it's */", '/**/', '/* -- */', "/* ' */", '-- a\n', "-- it's ?\n", '/* ? :x @y */'];
  if (!KNOWN.nestedComments) bodies.push('/* a /* b */', '/* /* */');
  return fc.oneof({ weight: 6, arbitrary: fc.constant(' ') }, { weight: 1, arbitrary: fc.constantFrom(...bodies).map((b) => ` ${b} `) });
}

function alias(i) {
  return KNOWN.aliasCase ? `c${i}` : fc.constantFrom(`c${i}`, `Col${i}`, `"Mixed ${i}"`, `cCamel${i}`);
}

/** Select items: [{ n: node, sortable }], with aliases (or none: SQLite names the column by its text). */
function selectItems(g, count) {
  return fc.array(fc.tuple(g.expr('any', 2), fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength: count }).chain((items) => fc.tuple(...items.map(([n, r], i) => {
    const a = alias(i);
    const named = typeof a === 'string' ? fc.constant(a) : a;
    return named.map((nm) => ({ n: r < 2 && (n.col || !KNOWN.aliasCase) ? n : cat(n.t, n, ` AS ${nm}`), base: n }));
  })));
}

/** Which items may be ORDER BY keys: any, or (while byte order of expressions differs) numbers and plain columns. */
function sortable(item) {
  // jsonb sorts by its own order, not by the JSON text (part of the jsonb difference).
  if (UNFIXED.jsonTextNormalized && item.base.t === 'json') return false;
  if (!KNOWN.byteOrderExpressions) return true;
  if (item.base.col) return item.base.t !== 'json' && item.base.t !== 'bool';
  return UNFIXED.looseOperandTypes && ['int'].includes(item.base.t) && !/CASE|\?|NULL|'/.test(item.base.s);
}

function orderBy(items) {
  const keys = items.map((it, i) => (sortable(it) ? i : -1)).filter((i) => i >= 0);
  if (!keys.length) return fc.constant({ s: '', keys: undefined });
  return fc.subarray(keys, { minLength: 1 }).chain((ks) => fc.tuple(...ks.map(() => fc.constantFrom('', ' DESC', ' ASC', ' NULLS FIRST', ' DESC NULLS LAST'))).map((dirs) => ({
    s: ` ORDER BY ${ks.map((k, i) => `${k + 1}${dirs[i]}`).join(', ')}`,
    keys: ks,
  })));
}

function limitValue() {
  const odd = KNOWN.limitOddValues ? [] : [NaN, null, 1.5, '2', 'x', -1.5];
  return fc.oneof(
    fc.constantFrom('0', '1', '2', '-1', '100').map((s) => node(` ${s}`, 'int')),
    fc.constantFrom(0, 1, 3, -1, 2n, ...odd).map((v) => node(' ?', 'int', [v])),
  );
}

function limitClause() {
  return fc.option(fc.tuple(limitValue(), fc.option(limitValue(), { nil: undefined })).map(([l, o]) => (o ? cat('int', ' LIMIT', l, ' OFFSET', o) : cat('int', ' LIMIT', l))), { nil: undefined, freq: 3 });
}

/** Assembles a read: the order mode follows from ORDER BY and LIMIT. */
function finishRead(parts, ob, limit) {
  const n = cat('any', ...parts, ob.s, ...(limit ? [limit] : []));
  let order;
  if (ob.keys) order = { keys: ob.keys, limited: !!limit };
  else if (limit) order = 'count';
  return { sql: n.s, params: n.p, order };
}

/** SQLite's names of the rowid, read as integer columns of a table (a view has no rowid). */
function rowidCols(table) {
  return table === 'v_mix' ? [] : ['rowid', 'oid', '_rowid_'].map((name) => ({ name, type: KIND_TYPE.int, kind: 'int' }));
}

function selectFromTable() {
  return fc.constantFrom(...READ_TABLES, 'v_mix').chain((table) => {
    const g = genFor(`${table}:rowid`, [...colsOf(table), ...rowidCols(table)]);
    return fc.tuple(selectItems(g, 3), fc.option(g.expr('bool', 2), { nil: undefined }), fc.boolean(), comment(), comment(), limitClause()).chain(([items, where, distinct, c1, c2, limit]) => orderBy(items).map((ob) => {
      const parts = ['SELECT', c1, distinct ? 'DISTINCT ' : '', ...join(items.map((i) => i.n)), ` FROM ${table}`];
      if (where) parts.push(c2, 'WHERE ', where);
      return finishRead(parts, ob, limit);
    }));
  });
}

function selectNoFrom() {
  const g = genFor('', []);
  return selectItems(g, 3).map((items) => {
    const n = cat('any', 'SELECT ', ...join(items.map((i) => i.n)));
    return { sql: n.s, params: n.p };
  });
}

function aggregate(g, cols) {
  const numCols = cols.filter((c) => ['int', 'real', 'num'].includes(c.type));
  const textCols = cols.filter((c) => c.type === 'text');
  const options = [fc.constant(node('count(*)', 'int'))];
  if (cols.length) options.push(fc.constantFrom(...cols).map((c) => node(`count(${c.name})`, 'int')));
  if (numCols.length) {
    options.push(fc.tuple(fc.constantFrom('sum', 'avg', 'min', 'max', 'total', 'count'), fc.constantFrom(...numCols)).map(([f, c]) => node(`${f}(${c.name})`, f === 'count' ? 'int' : 'num')));
    options.push(fc.tuple(fc.constantFrom('sum', 'max', 'min'), g.expr('num', 1)).filter(([, x]) => !x.s.includes('?') || !KNOWN.untypedParams).map(([f, x]) => cat('num', `${f}(`, x, ')')));
  }
  if (textCols.length) {
    options.push(fc.tuple(fc.constantFrom('min', 'max', 'count'), fc.constantFrom(...textCols)).map(([f, c]) => node(`${f}(${c.name})`, 'text')));
    if (!KNOWN.aggregateOfText) options.push(fc.tuple(fc.constantFrom('sum', 'avg', 'total'), fc.constantFrom(...textCols)).map(([f, c]) => node(`${f}(${c.name})`, 'num')));
    if (!KNOWN.rowidOrder) options.push(fc.constantFrom(...textCols).map((c) => node(`group_concat(${c.name})`, 'text')));
    options.push(fc.constantFrom(...textCols).map((c) => node(`count(DISTINCT ${c.name})`, 'int')));
  }
  if (!KNOWN.booleanAggregate) options.push(fc.tuple(fc.constantFrom('sum', 'avg', 'total'), g.expr('bool', 1)).map(([f, b]) => cat('num', `${f}(`, b, ')')));
  return fc.oneof(...options);
}

function selectAggregate() {
  return fc.constantFrom(...READ_TABLES).chain((table) => {
    const cols = colsOf(table);
    const g = genFor(table, cols);
    const groupable = cols.filter((c) => c.type !== 'blob' && c.type !== 'json');
    return fc.tuple(
      fc.option(fc.constantFrom(...groupable), { nil: undefined, freq: 2 }),
      fc.array(aggregate(g, cols), { minLength: 1, maxLength: 3 }),
      fc.option(g.expr('bool', 1), { nil: undefined }),
      fc.option(fc.tuple(aggregate(g, cols), fc.constantFrom('>', '<', '=', '>='), fc.integer({ min: 0, max: 3 })), { nil: undefined }),
      fc.constantFrom(...cols),
      fc.boolean(),
      limitClause(),
    ).map(([group, aggs, where, having, bare, ordered, limit]) => {
      const items = [];
      if (group) items.push(node(group.name, group.type, [], { col: true }));
      items.push(...aggs.map((a, i) => cat(a.t, a, ` AS a${i}`)));
      if (group && !KNOWN.bareGroupByColumns && bare.name !== group.name) items.push(node(bare.name, bare.type));
      const parts = ['SELECT ', ...join(items), ` FROM ${table}`];
      if (where) parts.push(' WHERE ', where);
      if (group) parts.push(` GROUP BY ${group.name}`);
      if (having && group) parts.push(' HAVING ', having[0], ` ${having[1]} ${having[2]}`);
      const sortableGroup = group && group.type !== 'bool' && (!KNOWN.byteOrderExpressions || true);
      const ob = ordered && sortableGroup ? { s: ' ORDER BY 1', keys: [0] } : { s: '', keys: undefined };
      return finishRead(parts, ob, group ? limit : undefined);
    });
  });
}

function selectJoin() {
  const joins = [
    ['mix', 'a', 'mix2', 'b', 'a.i = b.i'], ['mix', 'a', 'mix2', 'b', 'a.t = b.t'], ['mix', 'a', 'mix2', 'b', 'a.id = b.id'],
    ['workflow_runs', 'r', 'step_executions', 's', 's.run_id = r.id'], ['workflows', 'w', 'workflow_runs', 'r', 'r.workflow_id = w.id'],
  ];
  return fc.tuple(fc.constantFrom(...joins), fc.constantFrom('JOIN', 'LEFT JOIN', 'INNER JOIN', 'CROSS JOIN')).chain(([[t1, a1, t2, a2, on], kind]) => {
    const cols = [...colsOf(t1, a1), ...colsOf(t2, a2)];
    const g = genFor(`${t1} ${a1} ${t2} ${a2}`, cols);
    return fc.tuple(selectItems(g, 3), fc.option(g.expr('bool', 1), { nil: undefined }), limitClause()).chain(([items, where, limit]) => orderBy(items).map((ob) => {
      const parts = ['SELECT ', ...join(items.map((i) => i.n)), ` FROM ${t1} ${a1} ${kind} ${t2} ${a2}`, kind === 'CROSS JOIN' ? '' : ` ON ${on}`];
      if (where) parts.push(' WHERE ', where);
      return finishRead(parts, ob, limit);
    }));
  });
}

/** A subquery in FROM, a CTE, or a compound SELECT around a read of one table. */
function selectNested() {
  return fc.constantFrom(...READ_TABLES).chain((table) => {
    const g = genFor(table, colsOf(table));
    return fc.tuple(fc.array(g.expr('any', 1), { minLength: 1, maxLength: 3 }), fc.option(g.expr('bool', 1), { nil: undefined }), fc.constantFrom('from', 'from-unaliased', 'cte', 'union', 'union all', 'scalar'), fc.boolean()).map(([exprs, where, shape, ordered]) => {
      const inner = cat('any', 'SELECT ', ...join(exprs.map((x, i) => cat(x.t, x, ` AS c${i}`))), ` FROM ${table}`, ...(where ? [' WHERE ', where] : []));
      const sortKeys = exprs.map((x, i) => (sortable({ base: x }) ? i : -1)).filter((i) => i >= 0);
      const ob = ordered && sortKeys.length ? { s: ` ORDER BY ${sortKeys.map((k) => k + 1).join(', ')}`, keys: sortKeys } : { s: '', keys: undefined };
      let parts;
      switch (shape) {
        case 'from': parts = ['SELECT * FROM (', inner, ') AS s']; break;
        case 'from-unaliased': parts = ['SELECT * FROM (', inner, ')']; break;
        case 'cte': parts = ['WITH q AS (', inner, ') SELECT * FROM q']; break;
        case 'scalar': {
          // Which row LIMIT 1 keeps without ORDER BY is rowid order; ORDER BY the value makes it defined.
          if (KNOWN.rowidOrder && !sortKeys.includes(0)) return { sql: inner.s, params: inner.p };
          const n = cat('any', 'SELECT (', inner, KNOWN.rowidOrder ? ' ORDER BY 1' : '', ' LIMIT 1) IS NULL AS c0');
          return { sql: n.s, params: n.p };
        }
        default: parts = [inner, ` ${shape.toUpperCase()} `, inner]; break;
      }
      return finishRead(parts, ob, undefined);
    });
  });
}

// ---- writes

const KEYS = { mix: [1, 2, 3, 7, 8], mix2: [1, 4, 9], agents: ["'ag-1'", "'ag-9'"], workflow_runs: ["'run-1'", "'run-9'"], step_executions: ["'se-1'", "'se-9'"] };
const FK = { workflow_runs: { workflow_id: "'wf-1'" }, step_executions: { run_id: "'run-1'" } };

/** A value for column `c` of a write: conforming to its type while mixed storage differs. */
function valueFor(g, c, table) {
  const fk = FK[table]?.[c.name];
  if (fk) return fc.constant(node(fk, 'text'));
  const conform = {
    int: fc.oneof(intLit(), fc.constant(node('NULL', 'null')), paramValue('int').map((v) => node('?', 'int', [v]))),
    real: fc.oneof(realLit(), intLit(), paramValue('real').map((v) => node('?', 'real', [v]))),
    num: fc.oneof(realLit(), intLit()),
    text: fc.oneof(textLit(), paramValue('text').map((v) => node('?', 'text', [v])), ...(KNOWN.bufferIntoText ? [] : [paramValue('blob').map((v) => node('?', 'blob', [v]))])),
    blob: fc.oneof(blobLit(), paramValue('blob').map((v) => node('?', 'blob', [v]))),
    json: fc.constantFrom(...(UNFIXED.jsonTextNormalized ? ['[]', '["a", "b"]', '{"k": 2}'] : ['[]', '["a","b"]', '{"k":2}', '{"a":[1,2],"bb":"x, y: z"}', '"s \\" t"']).map((j) => node(`'${j}'`, 'text')), node('NULL', 'null')),
    // CURRENT_TIMESTAMP is not generated: the two sides run a few milliseconds apart and may see two seconds.
    ts: fc.constantFrom(node("'2026-03-04 05:06:07'", 'text'), node('NULL', 'null')),
    bool: fc.constantFrom(node('0', 'int'), node('1', 'int')),
  };
  const base = conform[c.kind === 'any' ? 'text' : c.kind] ?? conform.text;
  const other = [];
  if (!UNFIXED.mixedStorageExpressions) other.push({ weight: 1, arbitrary: g.expr('any', 1) });
  if (!UNFIXED.mixedStorage) other.push({ weight: 1, arbitrary: param('any') });
  return other.length ? fc.oneof({ weight: 3, arbitrary: base }, ...other) : base;
}

function keyLit(table) {
  return fc.constantFrom(...KEYS[table]).map((k) => node(`${k}`, typeof k === 'number' ? 'int' : 'text'));
}

function insertStatement() {
  return fc.constantFrom(...WRITE_TABLES).chain((table) => {
    const all = colsOf(table);
    const g = genFor(table, all);
    const key = TABLES[table].key;
    // The INTEGER PRIMARY KEY may be left out once SQLite's rowid assignment is reproduced.
    const keyRequired = KNOWN.rowidAssignment || !['mix', 'mix2'].includes(table);
    const required = new Set([...(keyRequired ? [key] : []), ...(TABLES[table].notNull ?? []), ...(TABLES[table].nowDefault ?? []), ...Object.keys(FK[table] ?? {})]);
    const optional = all.filter((c) => !required.has(c.name));
    return fc.tuple(
      fc.subarray(optional, { minLength: required.size ? 0 : 1 }), fc.integer({ min: 1, max: 2 }), fc.constantFrom('INSERT', 'INSERT OR REPLACE', 'INSERT OR IGNORE', 'REPLACE', 'INSERT OR ABORT', 'upsert', 'nothing'),
      comment(),
    ).chain(([opt, count, verb, c1]) => {
      const cols = [...all.filter((c) => required.has(c.name)), ...opt];
      const replacing = verb.includes('REPLACE') && UNFIXED.replaceNotNullDefault;
      const notNull = new Set([key, ...(TABLES[table].notNull ?? [])]);
      const row = () => fc.tuple(...cols.map((c) => (c.name === key ? keyLit(table) : valueFor(g, c, table).filter((v) => !(replacing && notNull.has(c.name)) || v.s !== 'NULL' && !v.p.includes(null)))));
      // Two rows with equal values of the key or of a UNIQUE key, compared by their SQL and parameters.
      const uniques = [[key], ...(TABLES[table].unique ?? [])].filter((u) => u.every((n) => cols.some((c) => c.name === n)));
      const valueOf = (v) => (v.p.length ? String(v.p[0]) : v.s.replace(/^'(.*)'$/s, '$1').replaceAll("''", "'"));
      const keyOf = (r, u) => JSON.stringify(u.map((n) => valueOf(r[cols.findIndex((c) => c.name === n)])));
      const distinct = (rows) => uniques.every((u) => new Set(rows.map((r) => keyOf(r, u))).size === rows.length);
      const rowsArb = fc.array(row(), { minLength: count, maxLength: count }).filter((rows) => !UNFIXED.sameKeyTwice || distinct(rows));
      if (verb === 'INSERT' && count === 2) {
        // INSERT ... SELECT: the values come from another table's rows, each stored as a value assigned is.
        const source = table === 'mix2' ? 'mix' : 'mix2';
        const sg = genFor(source, colsOf(source));
        const item = (c) => (c.name === key ? keyLit(table) : fc.oneof({ weight: 2, arbitrary: valueFor(sg, c, table) }, { weight: 3, arbitrary: sg.expr('any', 1) }));
        return fc.tuple(fc.tuple(...cols.map(item)), fc.option(sg.expr('bool', 1), { nil: undefined })).map(([items, where]) => {
          const n = cat('any', `INSERT INTO ${table} (${cols.map((c) => c.name).join(', ')})`, c1, 'SELECT ', ...join(items), ` FROM ${source}`, ...(where ? [' WHERE ', where] : []), ' LIMIT 1');
          return { sql: n.s, params: n.p, write: table };
        });
      }
      return fc.tuple(rowsArb, fc.constantFrom(...opt.length ? opt : cols)).map(([rows, setCol]) => {
        const head = verb === 'upsert' || verb === 'nothing' ? 'INSERT' : verb;
        const parts = [`${head} INTO ${table} (${cols.map((c) => c.name).join(', ')})`, c1, 'VALUES ', ...join(rows.map((r) => cat('any', '(', ...join(r), ')')))];
        if (verb === 'upsert') parts.push(` ON CONFLICT(${key}) DO UPDATE SET ${setCol.name} = excluded.${setCol.name}`);
        if (verb === 'nothing') parts.push(' ON CONFLICT DO NOTHING');
        const n = cat('any', ...parts);
        return { sql: n.s, params: n.p, write: table };
      });
    });
  });
}

function updateStatement() {
  return fc.constantFrom(...WRITE_TABLES).chain((table) => {
    const all = colsOf(table).filter((c) => c.name !== TABLES[table].key && !FK[table]?.[c.name]);
    const g = genFor(table, colsOf(table));
    return fc.tuple(fc.subarray(all, { minLength: 1, maxLength: 2 }), fc.option(g.expr('bool', 2), { nil: undefined }), fc.boolean()).chain(([cols, where, twice]) => {
      const set = [...cols];
      if (twice && !KNOWN.updateSetTwice) set.push(cols[0]);
      // A value of the row, an expression, or a scalar subquery's value.
      const sg = genFor('mix', colsOf('mix'));
      const scalar = sg.expr('any', 1).map((e) => cat('any', '(SELECT ', e, ' FROM mix WHERE id = 2)'));
      return fc.tuple(...set.map((c) => (UNFIXED.mixedStorageExpressions ? valueFor(g, c, table) : fc.oneof({ weight: 3, arbitrary: valueFor(g, c, table) }, { weight: 3, arbitrary: g.expr('any', 2) }, { weight: 1, arbitrary: scalar })))).map((values) => {
        const n = cat('any', `UPDATE ${table} SET `, ...join(set.map((c, i) => cat('any', `${c.name} = `, values[i]))), ...(where ? [' WHERE ', where] : []));
        return { sql: n.s, params: n.p, write: table };
      });
    });
  });
}

function deleteStatement() {
  // Through a view SQLite refuses the write; its table is read after it.
  return fc.constantFrom(...WRITE_TABLES, ...(KNOWN.viewWrites ? [] : ['v_mix'])).chain((table) => {
    const g = genFor(table, colsOf(table));
    return fc.tuple(fc.option(g.expr('bool', 2), { nil: undefined, freq: 8 }), comment()).map(([where, c1]) => {
      const n = cat('any', `DELETE FROM ${table}`, c1, ...(where ? ['WHERE ', where] : []));
      return { sql: n.s, params: n.p, write: table === 'v_mix' ? 'mix' : table };
    });
  });
}

// ---- parameters

/** Sometimes binds by name (@p1 / :p1 / $p1 and one object), sometimes adds an invalid value. */
function bindStyle(c) {
  const count = c.params.length;
  const styles = [fc.constant(c)];
  if (count > 0) {
    styles.push(fc.constantFrom('@', ':', '$').map((prefix) => {
      let i = 0;
      const sql = c.sql.replace(/'(?:[^']|'')*'|--[^\n]*\n|\/\*[\s\S]*?\*\/|\?/g, (m) => (m === '?' ? `${prefix}p${++i}` : m));
      const object = Object.fromEntries(c.params.map((v, j) => [`p${j + 1}`, v]));
      return { ...c, sql, params: [object] };
    }));
    // NaN and undefined bind as NULL: not into a REPLACE while a NULL replaced by a default differs.
    const nanAllowed = !(UNFIXED.replaceNotNullDefault && /REPLACE/.test(c.sql));
    // While caseBranchClasses is on: no value of another class (±Infinity for a text, an array that
    // shifts the values after it) in a statement with a CASE or a compound SELECT.
    const classOf = (v) => (v === null || v === undefined || Number.isNaN(v) ? 'null' : Buffer.isBuffer(v) ? 'blob' : typeof v);
    const bindable = (bad) => Array.isArray(bad) || (typeof bad === 'number' && !Number.isNaN(bad));
    const sameClass = (at, bad) => !UNFIXED.caseBranchClasses || !/\b(CASE|UNION|INTERSECT|EXCEPT)\b/i.test(c.sql) || !bindable(bad) || (!Array.isArray(bad) && classOf(bad) === classOf(c.params[at]));
    styles.push(fc.tuple(fc.nat(count - 1), invalidParam()).filter(([at, bad]) => (nanAllowed || !(bad === undefined || Number.isNaN(bad))) && sameClass(at, bad)).map(([at, bad]) => ({ ...c, params: c.params.map((v, j) => (j === at ? bad : v)) })));
  }
  styles.push(fc.constant({ ...c, params: [...c.params, 1] })); // one value too many
  return fc.oneof({ weight: 12, arbitrary: styles[0] }, ...styles.slice(1).map((s) => ({ weight: 1, arbitrary: s })));
}

/** Any differential case. */
export function caseArbitrary() {
  return fc.oneof(
    { weight: 5, arbitrary: selectFromTable() },
    { weight: 2, arbitrary: selectNoFrom() },
    { weight: 3, arbitrary: selectAggregate() },
    { weight: 2, arbitrary: selectJoin() },
    { weight: 2, arbitrary: selectNested() },
    { weight: 3, arbitrary: insertStatement() },
    { weight: 2, arbitrary: updateStatement() },
    { weight: 1, arbitrary: deleteStatement() },
  ).filter((c) => !(UNFIXED.viewColumnVsBoundValue && /\bv_mix\b/.test(c.sql) && /\bWHERE\b[\s\S]*\?/.test(c.sql))).chain(bindStyle);
}
