// Compares the two answers of one case. The invariant: the same answer — values, JS types, column
// names, row order wherever SQLite's is defined, `changes`, error or not and its class and code — or
// a TranslationError at prepare on PostgreSQL (or, for a Buffer bound into a TEXT column, the
// refusal at bind, see refusedBlobIntoText). Returns undefined when they agree, otherwise
// { kind, detail }: `kind` names the class of difference (the fuzzer reports one example per kind).
import { TABLES } from './schema.mjs';

/** One value as comparable text: its JS type and its value. */
export function show(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Buffer.isBuffer(v)) return `Buffer<${v.toString('hex')}>`;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : `${v}`;
  if (typeof v === 'string') return JSON.stringify(v);
  return `${typeof v}:${String(v)}`;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Buffer.isBuffer(v)) return 'Buffer';
  return typeof v;
}

/**
 * Two values are the same when their JS types and values are. Reals may differ in the last bits of
 * an aggregate (SQLite sums with extra precision, PostgreSQL in plain double): a relative error
 * below 1e-12 between two non-integral numbers counts as equal.
 */
export function sameValue(a, b) {
  if (typeOf(a) !== typeOf(b)) return false;
  if (Buffer.isBuffer(a)) return a.equals(b);
  if (typeof a === 'number') {
    if (a === b) return true;
    if (Number.isInteger(a) || Number.isInteger(b) || !Number.isFinite(a) || !Number.isFinite(b)) return false;
    return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  }
  return a === b;
}

// Sorting key of a row: -0 as 0, which sameValue counts as equal (else the two sorts pair other rows).
const rowKey = (row) => row.map((v) => (Object.is(v, -0) ? '0' : show(v))).join(' | ');

/** Rows as a multiset: sorted by their text, then compared one by one with sameValue. */
function sameMultiset(a, b) {
  if (a.length !== b.length) return false;
  const sa = [...a].sort((x, y) => (rowKey(x) < rowKey(y) ? -1 : 1));
  const sb = [...b].sort((x, y) => (rowKey(x) < rowKey(y) ? -1 : 1));
  return sa.every((row, i) => row.length === sb[i].length && row.every((v, j) => sameValue(v, sb[i][j])));
}

/** Rows grouped by their ORDER BY key columns, in order: [[key, rows]...]. */
function groupsByKey(rows, keys) {
  const groups = [];
  for (const row of rows) {
    const key = keys.map((k) => row[k]);
    const last = groups[groups.length - 1];
    if (last && last[0].every((v, i) => sameValue(v, key[i]))) last[1].push(row);
    else groups.push([key, [row]]);
  }
  return groups;
}

/**
 * Compares rows by `order`: undefined → as multisets (SQLite's order is not defined); 'count' → the
 * number of rows only (LIMIT without ORDER BY picks rows in rowid order, not compared yet);
 * { keys, limited } → the sequence of ORDER BY keys (columns by position) must be identical and the
 * rows within each group of equal keys the same multiset, except the first and last groups when
 * LIMIT/OFFSET may cut a group of ties.
 */
function compareRows(a, b, order) {
  if (order === 'count') return a.length === b.length ? undefined : { kind: 'rows', detail: `${a.length} rows vs ${b.length}` };
  if (!order) return sameMultiset(a, b) ? undefined : { kind: 'rows', detail: 'different rows' };
  const ga = groupsByKey(a, order.keys);
  const gb = groupsByKey(b, order.keys);
  const keysA = ga.map((g) => rowKey(g[0]));
  const keysB = gb.map((g) => rowKey(g[0]));
  const sameKeys = ga.length === gb.length && ga.every((g, i) => g[0].every((v, j) => sameValue(v, gb[i][0][j])));
  if (!sameKeys) {
    if (sameMultiset(a, b)) return { kind: 'order', detail: `ORDER BY keys ${keysA.join(', ')} vs ${keysB.join(', ')}` };
    return { kind: 'rows', detail: 'different rows' };
  }
  for (let i = 0; i < ga.length; i++) {
    const edge = order.limited && (i === 0 || i === ga.length - 1);
    if (edge ? ga[i][1].length !== gb[i][1].length : !sameMultiset(ga[i][1], gb[i][1])) return { kind: 'rows', detail: `rows with key ${keysA[i]}` };
  }
  return undefined;
}

function compareResult(a, b, order) {
  if (a.error || b.error) {
    if (!a.error) return { kind: 'pg-error-only', detail: `${b.name} ${b.code}` };
    if (!b.error) return { kind: 'sqlite-error-only', detail: `${a.name} ${a.code}` };
    if (a.name !== b.name || a.code !== b.code) return { kind: 'error-code', detail: `${a.name} ${a.code} vs ${b.name} ${b.code}` };
    if (a.phase !== b.phase) return { kind: 'error-phase', detail: `at ${a.phase} vs at ${b.phase}` };
    return undefined;
  }
  if (a.reader !== b.reader) return { kind: 'reader', detail: `reader ${a.reader} vs ${b.reader}` };
  if (!a.reader) return a.changes === b.changes ? undefined : { kind: 'changes', detail: `${a.changes} vs ${b.changes}` };
  if (a.columns.join('\0') !== b.columns.join('\0')) return { kind: 'columns', detail: `${JSON.stringify(a.columns)} vs ${JSON.stringify(b.columns)}` };
  const typesA = a.rows.map((r) => r.map(typeOf).join(',')).sort().join(';');
  const typesB = b.rows.map((r) => r.map(typeOf).join(',')).sort().join(';');
  const rows = compareRows(a.rows, b.rows, order);
  if (rows && rows.kind === 'rows' && typesA !== typesB && a.rows.length === b.rows.length) return { kind: 'types', detail: 'JS types of values differ' };
  return rows;
}

/** The values a case binds, as better-sqlite3 takes them: an array's elements, a named object's values. */
function boundValues(c) {
  if (c.params.length === 1 && c.params[0] && typeof c.params[0] === 'object' && !Buffer.isBuffer(c.params[0]) && !Array.isArray(c.params[0])) return Object.values(c.params[0]);
  return c.params.flatMap((p) => (Array.isArray(p) ? p : [p]));
}

const BLOB_INTO_TEXT = /^datatype mismatch: a Buffer \(a blob\) bound for (\w+)\.(\w+) cannot be stored in or compared with that TEXT column on PostgreSQL; bind the text instead/;

/** Whether the statement assigns `name`: `SET name =`, an INSERT naming it, or an INSERT without a column list (every column). */
function assignsColumn(sql, name) {
  const column = new RegExp(`\\b${name}\\b`, 'i');
  const insert = /^\s*(?:INSERT|REPLACE)\b(?:\s+OR\s+\w+)?(?:\s+INTO)?\s+\w+\s*(?:\(([^)]*)\))?/i.exec(sql);
  const assigned = new RegExp(`\\bSET\\b[\\s\\S]*\\b${name}\\s*=`, 'i').test(sql);
  return assigned || (insert !== null && (insert[1] === undefined || column.test(insert[1])));
}

/**
 * A Buffer bound into a TEXT column (or one declared without a type, TEXT on PostgreSQL): SQLite
 * stores a blob there, PostgreSQL's text cannot hold one, and only the value tells, so the adapter
 * refuses the call when it binds it: SQLITE_MISMATCH naming the column (docs/api.md, differences).
 * That exact refusal, for exactly that case (the case writes that table, assigns that column, and
 * binds a Buffer), is an allowed answer whatever SQLite does.
 */
export function refusedBlobIntoText(c, pg) {
  if (!pg.error || pg.phase !== 'run' || pg.name !== 'SqliteError' || pg.code !== 'SQLITE_MISMATCH') return false;
  const m = BLOB_INTO_TEXT.exec(pg.message);
  if (!m || m[1] !== c.write) return false;
  const kind = TABLES[m[1]]?.columns[m[2]];
  if (kind !== 'text' && kind !== 'any') return false;
  const values = boundValues(c);
  if (!values.some((v) => Buffer.isBuffer(v))) return false;
  return assignsColumn(c.sql, m[2]);
}

const BUFFER_INTO_TYPED = /^datatype mismatch: a Buffer cannot be bound for (\w+)\.(\w+) on PostgreSQL, where the column is /;
const KEPT_AS = /^datatype mismatch: (?:(?:the number \S+|the integer \S+|a text) stored into (\w+)\.(\w+) would be kept by SQLite as |parameter \S+ \(for (\w+)\.(\w+)\) holds \S+, beyond the 64-bit integer range)/;
const NUMERIC_TEXT = /^[ \t\n\v\f\r]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)[ \t\n\v\f\r]*$/;

function isJson(text) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether SQLite stores `v` into a column of `kind` in a storage class that column's PostgreSQL
 * type cannot hold (the column's affinity leaves it so): this harness's own account of SQLite's
 * affinity rules (https://sqlite.org/datatype3.html), independent of the adapter's.
 */
function keptUnholdable(kind, v) {
  if (v === null || v === undefined || Buffer.isBuffer(v) || (typeof v === 'number' && Number.isNaN(v))) return false;
  const numeric = typeof v === 'string' ? NUMERIC_TEXT.exec(v) : null;
  const n = typeof v === 'string' ? (numeric ? Number(numeric[1]) : undefined) : Number(v);
  switch (kind) {
    case 'int': return n === undefined || !Number.isInteger(n) || Math.abs(n) >= 2 ** 63;
    case 'real': case 'num': return n === undefined;
    case 'bool': return n !== 0 && n !== 1;
    case 'json': return typeof v !== 'string' || numeric !== null || !isJson(v);
    case 'ts': return typeof v !== 'string' || numeric !== null || !/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(v);
    case 'blob': return true;
    // No affinity: a number stays a number, which PostgreSQL's text column cannot hold as one.
    case 'any': return typeof v === 'number' || typeof v === 'bigint';
    default: return false;
  }
}

/**
 * A value bound and stored into a typed column that SQLite keeps in a storage class the PostgreSQL
 * column cannot hold (text in an INTEGER column, a Buffer in a BOOLEAN one, a number in a JSON or
 * BLOB one): the adapter refuses the call when it binds it, SQLITE_MISMATCH naming the column
 * (docs/api.md, differences). Allowed for exactly that case: the case writes that table, assigns
 * that column, and binds a value SQLite would keep so (a Buffer for the Buffer refusal).
 */
export function refusedStore(c, pg) {
  if (!pg.error || pg.phase !== 'run' || pg.name !== 'SqliteError' || pg.code !== 'SQLITE_MISMATCH') return false;
  const buffer = BUFFER_INTO_TYPED.exec(pg.message);
  const kept = KEPT_AS.exec(pg.message);
  const m = buffer ?? (kept && (kept[1] ? kept : [kept[0], kept[3], kept[4]]));
  if (!m || m[1] !== c.write) return false;
  const kind = TABLES[m[1]]?.columns[m[2]];
  if (kind === undefined || kind === 'text' || (kind === 'any' && buffer)) return false;
  const values = boundValues(c);
  if (!values.some((v) => (buffer ? Buffer.isBuffer(v) && kind !== 'blob' : keptUnholdable(kind, v)))) return false;
  return assignsColumn(c.sql, m[2]);
}

const EXPRESSION_KEPT = /^datatype mismatch: an expression's value stored into (\w+)\.(\w+) would be kept by SQLite as /;

/**
 * A literal or expression stored into a column whose storage class the column's affinity does not
 * convert (`SET i = r` with a fraction, a blob into a TEXT column, a number into a column declared
 * without a type): refused when the statement runs, SQLITE_MISMATCH naming the column (docs/api.md,
 * differences). Allowed for exactly that case: the case writes that table and assigns that column,
 * and SQLite's table after the write holds, in that column, a value of a class that column's
 * PostgreSQL type cannot hold (so SQLite did store one), or SQLite refused the statement for a
 * constraint.
 */
export function refusedExpressionStore(c, pg, sqlite) {
  if (!pg.error || pg.phase !== 'run' || pg.name !== 'SqliteError' || pg.code !== 'SQLITE_MISMATCH') return false;
  const m = EXPRESSION_KEPT.exec(pg.message);
  if (!m || m[1] !== c.write || !sqlite?.table?.rows) return false;
  const kind = TABLES[m[1]]?.columns[m[2]];
  const at = sqlite.table.columns.indexOf(m[2]);
  if (kind === undefined || at === -1) return false;
  const unholdable = (v) => (Buffer.isBuffer(v) ? kind !== 'blob' : kind !== 'text' && keptUnholdable(kind, v));
  // SQLite refused the statement for a constraint (checked after its values are computed, where
  // PostgreSQL computes the stored value first): both refuse it, neither writes.
  const bothRefused = sqlite.error && sqlite.phase === 'run' && /^SQLITE_CONSTRAINT/.test(sqlite.code ?? '');
  if (!bothRefused && !sqlite.table.rows.some((row) => unholdable(row[at]))) return false;
  return assignsColumn(c.sql, m[2]);
}

const BRANCH_CLASS = /^datatype mismatch: (a number|a text|a Buffer \(a blob\)) bound as (a branch of CASE|a column of a compound SELECT \(UNION, INTERSECT, EXCEPT\)|an argument of (?:COALESCE|IFNULL|NULLIF)|a branch of IIF) beside (numbers|text|blobs): /;

/**
 * A value bound as a CASE branch, a compound SELECT's column or an argument of COALESCE, IFNULL,
 * IIF or NULLIF beside values of another class: SQLite returns each as it is, PostgreSQL gives the
 * CASE, column or function one type, so the call is refused
 * when it binds, SQLITE_MISMATCH naming the construct (docs/api.md, differences). Allowed for
 * exactly that case: the SQL has that construct and the case binds a value of the named class.
 */
export function refusedBranchClass(c, pg) {
  if (!pg.error || pg.phase !== 'run' || pg.name !== 'SqliteError' || pg.code !== 'SQLITE_MISMATCH') return false;
  const m = BRANCH_CLASS.exec(pg.message);
  if (!m || m[1] === undefined) return false;
  const fn = /^(?:an argument|a branch) of (COALESCE|IFNULL|NULLIF|IIF)$/.exec(m[2]);
  const construct = fn ? new RegExp(`\\b${fn[1]}\\s*\\(`, 'i') : m[2].startsWith('a branch') ? /\bCASE\b/i : /\b(UNION|INTERSECT|EXCEPT)\b/i;
  if (!construct.test(c.sql)) return false;
  const isClass = { 'a number': (v) => (typeof v === 'number' && !Number.isNaN(v)) || typeof v === 'bigint', 'a text': (v) => typeof v === 'string', 'a Buffer (a blob)': (v) => Buffer.isBuffer(v) }[m[1]];
  const otherClass = m[3] === 'numbers' ? 'a number' : m[3] === 'text' ? 'a text' : 'a Buffer (a blob)';
  return otherClass !== m[1] && boundValues(c).some(isClass);
}

/** Compares the answers of one case: undefined when they agree, else { kind, detail }. */
export function compareAnswers(c, { sqlite, pg }) {
  // Refused at prepare with a TranslationError: an allowed answer whatever SQLite does.
  if (pg.error && pg.phase === 'prepare' && pg.name === 'TranslationError') return undefined;
  if (refusedBlobIntoText(c, pg) || refusedStore(c, pg) || refusedExpressionStore(c, pg, sqlite) || refusedBranchClass(c, pg)) return undefined;
  const main = compareResult(sqlite, pg, c.order);
  if (main) return main;
  if (c.write) {
    const t = compareResult(sqlite.table, pg.table, undefined);
    if (t) return { kind: `table-after-write/${t.kind}`, detail: t.detail };
  }
  return undefined;
}

/** A readable account of one case and both answers, for a failure message. */
export function describe(c, answers, diff) {
  const fmtParams = (p) => (p.length === 1 && p[0] && typeof p[0] === 'object' && !Buffer.isBuffer(p[0])
    ? `{ ${Object.entries(p[0]).map(([k, v]) => `${k}: ${show(v)}`).join(', ')} }`
    : `[${p.map(show).join(', ')}]`);
  const fmt = (a) => {
    if (!a) return '(none)';
    if (a.error) return `${a.name} ${a.code ?? ''} at ${a.phase}: ${a.message}`;
    if (!a.reader) return `changes: ${a.changes}`;
    return `columns ${JSON.stringify(a.columns)}\n      ${a.rows.map((r) => `[${r.map(show).join(', ')}]`).join('\n      ') || '(no rows)'}`;
  };
  const lines = [
    `difference: ${diff.kind} — ${diff.detail}`,
    `  sql:    ${c.sql}`,
    `  params: ${fmtParams(c.params)}`,
    `  order:  ${JSON.stringify(c.order) ?? 'multiset'}${c.write ? `, then SELECT * FROM ${c.write}` : ''}`,
    `  sqlite: ${fmt(answers.sqlite)}`,
    `  pg:     ${fmt(answers.pg)}`,
  ];
  if (c.write) lines.push(`  sqlite ${c.write}: ${fmt(answers.sqlite.table)}`, `  pg ${c.write}:     ${fmt(answers.pg.table)}`);
  return lines.join('\n');
}
