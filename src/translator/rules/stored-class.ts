/**
 * A literal or an expression stored into a column (INSERT values, `SET x = expr`, upsert DO UPDATE
 * SET) whose storage class the column's affinity would not convert: SQLite keeps the value's class
 * (1.5 stays a REAL in an INTEGER column, a blob stays a blob in a TEXT column, a number stays a
 * number in a column declared without a type), PostgreSQL converts it to the column's type (rounds
 * the real, writes the blob's hex). Never a converted value:
 * - a literal SQLite would keep in another class is refused at prepare, naming the column; a real
 *   literal into a TEXT column is SQLite's text of it ('1.0', '1000.0');
 * - an expression runs through the schema's store function for the column (store-functions.ts):
 *   stored as SQLite stores it (an integral real into an INTEGER column, a REAL's text into TEXT,
 *   a comparison's 0/1), else SQLITE_MISMATCH naming the column when the statement runs.
 * Values bound are values/store.ts's. Not covered: INSERT ... SELECT; expressions into REAL and
 * NUMERIC columns (PostgreSQL refuses text there when the statement is prepared, and converts
 * numbers as SQLite's affinity does); a scalar subquery into a TEXT column (PostgreSQL's text of it).
 * Into a TEXT column or one without a type, a function call is typed only once it is rewritten:
 * storedAfterRewrite applies the rules then (JSON as its minified text, a REAL as SQLite's text).
 */
import type { ColumnInfo, TableInfo } from '../../schema/catalog';
import { fail, quoteIdent, quoteLiteral, type Ctx } from '../context';
import { inferType, isIntegerType, isRealType, MIXED_NUMERIC } from '../infer-type';
import { containsParam, isGroup, isOp, isType, isWord, sigNodes, splitCommas, tpl, type Node } from '../nodes';
import type { Token } from '../tokenizer';
import { isName } from '../scope';
import { sqliteRealText } from '../../backends/postgres/values/real-text';
import { STORE_BLOB_FUNCTION, STORE_INTEGER_FUNCTION, STORE_JSON_FUNCTION, STORE_NUMERIC_FUNCTION, STORE_REAL_FUNCTION, STORE_TEXT_FUNCTION, STORE_TIMESTAMP_FUNCTION, STORE_UNTYPED_FUNCTION, storeFunction } from '../../schema/store-functions';
import { asText, refuseMixedText } from './sqlite-values';
import { hasAlias, listAfter, listItems } from '../statements/select-list';

type Kind = 'integer' | 'real' | 'text' | 'untyped' | 'blob' | 'json' | 'timestamp' | 'boolean';

function kindOf(col: ColumnInfo): Kind | undefined {
  if (col.noAffinity) return 'untyped';
  if (isIntegerType(col.type)) return 'integer';
  if (isRealType(col.type)) return 'real';
  if (col.type === 'text') return 'text';
  if (col.type === 'bytea') return 'blob';
  if (col.type === 'jsonb' || col.type === 'json') return 'json';
  if (col.type.startsWith('timestamp')) return 'timestamp';
  if (col.type === 'boolean') return 'boolean';
  return undefined;
}

/** Text SQLite's numeric affinity reads as a number (the spaces SQLite skips around it). */
const NUMERIC_TEXT = /^[ \t\n\v\f\r]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)[ \t\n\v\f\r]*$/;

/** A time both read as one: YYYY-MM-DD, then optionally (spaces or T) HH:MM[:SS[.SSS]] and a zone (values/store.ts). */
const TIME_TEXT = /^\d{4}-\d{2}-\d{2}(?:(?:[ \t]+|T)\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?[ \t]*(?:[Zz]|[+-]\d{2}:\d{2})?)?[ \t]*$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The value of a (signed) number literal as SQLite reads it: a bigint for an INTEGER, a number for a REAL. */
function literalValue(sign: string, text: string): bigint | number {
  if (/^0[xX]/.test(text)) return BigInt.asIntN(64, BigInt(text)) * (sign === '-' ? -1n : 1n);
  if (/^\d+$/.test(text)) {
    const v = BigInt(text) * (sign === '-' ? -1n : 1n);
    if (v >= INT64_MIN && v <= INT64_MAX) return v;
  }
  return Number(text) * (sign === '-' ? -1 : 1);
}

/** An integer SQLite's INTEGER affinity keeps as one (a REAL that is integral within 64 bits becomes one). */
function storedAsInteger(v: bigint | number): boolean {
  if (typeof v === 'bigint') return true;
  return Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63;
}

/** The type of `CAST(x AS t)`, by SQLite's affinity of `t` (https://sqlite.org/datatype3.html). */
function castType(s: Node[]): string | undefined {
  if (s.length !== 2 || !isWord(s[0], 'CAST') || !isGroup(s[1])) return undefined;
  const items = sigNodes(s[1].items);
  let as = items.length - 1;
  while (as >= 0 && !isWord(items[as], 'AS')) as--;
  if (as === -1) return undefined;
  const name = items.slice(as + 1).map((n) => (n.kind === 'token' ? n.value : '')).join(' ').toUpperCase();
  if (name.includes('INT')) return 'bigint';
  if (/CHAR|CLOB|TEXT/.test(name)) return 'text';
  if (name.includes('BLOB') || name === '') return 'bytea';
  if (/REAL|FLOA|DOUB/.test(name)) return 'double precision';
  return undefined;
}

/** Literals, operators and keywords only: no column, parameter, function call or subquery. */
function constant(s: Node[]): boolean {
  return s.every((n) => {
    if (isGroup(n)) return !isWord(sigNodes(n.items)[0], 'SELECT', 'WITH', 'VALUES') && constant(sigNodes(n.items));
    if (n.kind !== 'token') return false;
    if (n.type === 'word') return ['NULL', 'NOT', 'AND', 'OR', 'IS', 'TRUE', 'FALSE', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'BETWEEN', 'IN', 'LIKE', 'GLOB'].includes(n.value);
    return n.type === 'number' || n.type === 'string' || n.type === 'blob' || n.type === 'op' || n.type === 'comma';
  });
}

function refuse(ctx: Ctx, what: string, column: string, kept: string, fix: string): never {
  return fail(ctx, `${what} stored into ${column}`, `SQLite keeps it as ${kept} there, which the PostgreSQL column cannot hold; ${fix}.`);
}

/**
 * A time function whose value is not a date and time, stored into a TIMESTAMP column: time(),
 * date(), CURRENT_TIME, CURRENT_DATE, strftime() of another format ('03:04:05', '2026-01-02':
 * SQLite keeps that text, which a timestamp cannot hold, or would read back as
 * '2026-01-02 00:00:00'), julianday() and unixepoch() (numbers). Refused at prepare.
 */
function refuseTimeValue(s: Node[], column: string, ctx: Ctx): void {
  const word = s[0];
  const fix = 'store datetime(...), or keep other times in a TEXT column';
  if (s.length === 1 && isWord(word, 'CURRENT_DATE', 'CURRENT_TIME')) refuse(ctx, word.value, column, 'TEXT that is no date and time', fix);
  if (s.length !== 2 || !isWord(word, 'TIME', 'DATE', 'JULIANDAY', 'UNIXEPOCH', 'STRFTIME') || !isGroup(s[1])) return;
  if (isWord(word, 'STRFTIME')) {
    const format = sigNodes(splitCommas(s[1].items)[0] ?? []);
    if (format.length === 1 && isType(format[0], 'string') && format[0].value === '%Y-%m-%d %H:%M:%S') return;
  }
  const number = isWord(word, 'JULIANDAY', 'UNIXEPOCH');
  refuse(ctx, `${word.value.toLowerCase()}()`, column, number ? 'a number' : 'TEXT that is no date and time', fix);
}

/**
 * Applies the rules above to `v`, the value assigned to `col` (its nodes, trimmed, in `parent`);
 * `recognised`: a construct value-coercion.ts already converts for the column ('now', a time function).
 * Returns true when it wrapped the value in a store function.
 */
export function guardStored(parent: Node[], v: Node[], table: TableInfo, col: ColumnInfo, ctx: Ctx, recognised = false): boolean {
  const kind = kindOf(col);
  if (!kind) return false;
  const raw = sigNodes(v);
  // The value bound itself is values/store.ts's; a literal in parentheses is the literal.
  if (raw.length === 1 && isType(raw[0], 'param')) return false;
  let s = raw;
  // The list that holds the expression's own nodes (a group's items when it is in parentheses).
  let holder = v;
  while (s.length === 1 && isGroup(s[0]) && !isWord(sigNodes(s[0].items)[0], 'SELECT', 'WITH', 'VALUES')) {
    holder = s[0].items;
    s = sigNodes(s[0].items);
  }
  if (s.length === 0 || (s.length === 1 && isWord(s[0], 'NULL', 'DEFAULT'))) return false;
  const column = `${table.name}.${col.name}`;
  if (kind === 'timestamp') refuseTimeValue(s, column, ctx);
  const signed = s.length === 2 && isOp(s[0], '-', '+') && isType(s[1], 'number');
  if ((s.length === 1 && isType(s[0], 'number')) || signed) {
    const token = s[s.length - 1] as Token;
    const sign = signed ? (s[0] as Token).text : '';
    const value = literalValue(sign, token.text);
    if (kind === 'integer' && !storedAsInteger(value)) refuse(ctx, `the number ${sign}${token.text}`, column, 'a REAL', 'write an integer, or keep fractions in a REAL column');
    if (kind === 'untyped') refuse(ctx, `the number ${sign}${token.text}`, column, 'a number', "write it as text ('...'), or declare the column's type (INTEGER, REAL)");
    if (kind === 'blob' || kind === 'json' || kind === 'timestamp') refuse(ctx, `the number ${sign}${token.text}`, column, 'a number', 'write a value of the column\'s type');
    if (kind === 'text' && typeof value === 'number') {
      // SQLite's text of the REAL ('1.0', '1000.0'), where PostgreSQL would print the literal as written.
      const at = parent.indexOf(v[0]!);
      if (at !== -1) parent.splice(at, v.length, tpl([quoteLiteral(sqliteRealText(value))]));
    }
    return false;
  }
  if (s.length === 1 && isType(s[0], 'blob')) {
    if (kind !== 'blob') refuse(ctx, 'a blob literal', column, 'a BLOB', 'write a value of the column\'s type, or keep blobs in a BLOB column');
    return false;
  }
  if (s.length === 1 && isType(s[0], 'string')) {
    if (kind === 'blob') refuse(ctx, 'a text literal', column, 'TEXT', "write a blob literal (x'...'), or keep text in a TEXT column");
    if (kind === 'integer' || kind === 'real') {
      // The affinity reads numeric text as its number ('12', ' 1e3 ', '2.0'); other text stays TEXT.
      const m = NUMERIC_TEXT.exec(s[0].value);
      if (!m) refuse(ctx, `the text ${s[0].text}`, column, 'TEXT', 'write a number, or keep text in a TEXT column');
      if (kind === 'integer' && !storedAsInteger(literalValue('', m[1]!.replace(/^\+/, '')))) refuse(ctx, `the text ${s[0].text}`, column, 'a REAL', 'write an integer, or keep fractions in a REAL column');
    }
    if (kind === 'json' && NUMERIC_TEXT.test(s[0].value)) refuse(ctx, `the text ${s[0].text}`, column, 'a number (the JSON column has NUMERIC affinity)', 'write JSON text that is not a bare number, e.g. an array or object');
    if (kind === 'timestamp' && !TIME_TEXT.test(s[0].value)) refuse(ctx, `the text ${s[0].text}`, column, NUMERIC_TEXT.test(s[0].value) ? 'a number' : 'TEXT that is no time', "write a time ('YYYY-MM-DD HH:MM:SS')");
    if (kind === 'boolean') {
      // NUMERIC affinity: '1' and '0' are the numbers; PostgreSQL would also read 't', 'yes', 'on'.
      const m = NUMERIC_TEXT.exec(s[0].value);
      if (!m || (Number(m[1]) !== 0 && Number(m[1]) !== 1)) refuse(ctx, `the text ${s[0].text}`, column, m ? 'a number other than 0 and 1' : 'TEXT', 'write 0 or 1');
    }
    return false;
  }
  if (recognised || (kind === 'json' && isWord(s[0]) && s[0].value.startsWith('JSON'))) return false;
  const type = castType(s) ?? inferType(v, ctx);
  // A constant expression whose class no value of the column has: refused as a literal is.
  if (constant(s) && (type === 'boolean' || type === 'bytea' || isIntegerType(type) || isRealType(type) || type === 'text')) {
    const never: Record<string, Kind[]> = {
      boolean: ['timestamp', 'json', 'blob', 'untyped'],
      bytea: ['integer', 'real', 'text', 'untyped', 'json', 'timestamp', 'boolean'],
      number: ['timestamp', 'json', 'blob', 'untyped'],
      text: ['blob'],
    };
    const cls = type === 'boolean' || type === 'bytea' || type === 'text' ? type : 'number';
    if (never[cls]!.includes(kind)) refuse(ctx, `a constant ${cls === 'bytea' ? 'blob' : cls}`, column, cls === 'bytea' ? 'a BLOB' : cls === 'text' ? 'TEXT' : cls === 'boolean' ? 'an INTEGER (0 or 1)' : 'a number', 'write a value of the column\'s type');
  }
  const time = type !== undefined && type.startsWith('timestamp');
  const json = type === 'jsonb' || type === 'json';
  // (A column only: asText's template is not rewritten by the later rules.)
  if ((kind === 'text' || kind === 'untyped') && (time || json) && s.length <= 3 && s.every((n) => isName(n) || isOp(n, '.'))) {
    // The text SQLite holds (the column's own form of a time, JSON as written).
    const at = parent.indexOf(v[0]!);
    if (at !== -1) parent.splice(at, v.length, tpl(asText(v.slice(), ctx)));
    return false;
  }
  if (col.type === 'numeric' && (type === 'double precision' || type === 'real')) {
    // PostgreSQL converts a double to numeric with 15 significant digits (-1000002147483649.0 would
    // be stored as -1000002147483650); the double's shortest exact text is SQLite's value.
    wrap(parent, v, 'CAST(CAST(', ' AS text) AS numeric)');
    return true;
  }
  if (kind === 'real' && type === 'boolean') {
    // A comparison is SQLite's 0/1, which the REAL column's affinity makes 0.0/1.0.
    wrap(parent, v, 'CAST(', ' AS integer)');
    return false;
  }
  if (kind === 'text' && type === MIXED_NUMERIC && isWord(s[0], 'CASE')) {
    // An INTEGER branch beside a REAL one: PostgreSQL's CASE makes both REAL ('1200.0'); each
    // branch becomes SQLite's text of its own value first.
    const nodes = holder === v ? parent : holder;
    const from = holder === v ? parent.indexOf(v[0]!) : 0;
    const to = holder === v ? from + v.length : holder.length;
    if (from !== -1 && wrapCaseBranches(nodes, from, to, `${storeFunction(quoteIdent(ctx.catalog.schema), STORE_TEXT_FUNCTION)}(`, `, ${quoteLiteral(column)})`)) return true;
  }
  // (Mixed by the class of a value bound: the statement is specialised to it, so this would be an
  // error when it runs; PostgreSQL's text of its value is left to stand.)
  const mixedByValue = type === MIXED_NUMERIC && containsParam(v);
  if (kind === 'text' && type === MIXED_NUMERIC && !mixedByValue) refuseMixedText(ctx, `${column}, a TEXT column, given`);
  let fn: string | undefined;
  if (kind === 'integer' && !isIntegerType(type)) fn = STORE_INTEGER_FUNCTION;
  // (Mixed by a value bound: PostgreSQL's text of its double, which has no '.0' for the integer.)
  const other = type === 'boolean' || type === 'bytea' || (type === MIXED_NUMERIC && !(mixedByValue && kind === 'text')) || isRealType(type);
  if (kind === 'text' && other) fn = STORE_TEXT_FUNCTION;
  if (kind === 'untyped' && (other || isIntegerType(type))) fn = STORE_UNTYPED_FUNCTION;
  if (kind === 'blob' && type !== 'bytea') fn = STORE_BLOB_FUNCTION;
  if (kind === 'json' && !json) fn = STORE_JSON_FUNCTION;
  if (kind === 'timestamp' && !time) fn = STORE_TIMESTAMP_FUNCTION;
  if (kind === 'real' && type === 'text') {
    // Text (a text function, ||, values bound as text): the number it reads as, else refused.
    const name = col.type === 'numeric' ? STORE_NUMERIC_FUNCTION : STORE_REAL_FUNCTION;
    return wrap(parent, v, `${storeFunction(quoteIdent(ctx.catalog.schema), name)}(`, `, ${quoteLiteral(column)})`);
  }
  if (!fn && (kind === 'text' || kind === 'untyped') && (type === undefined || time || json)) {
    // A function call's type (likely(r), json_object()) is known once the later rules rewrote it.
    const at = parent.indexOf(v[0]!);
    if (at === -1) return false;
    parent.splice(at, v.length, { kind: 'group', items: v.slice(), start: -1, end: -1, store: { kind, column } });
    return true;
  }
  if (!fn) return false;
  return wrap(parent, v, `${storeFunction(quoteIdent(ctx.catalog.schema), fn)}(`, `, ${quoteLiteral(column)})`);
}

/**
 * The type of a scalar subquery's one result column when the rewrite typed it (`(SELECT max(i, r)
 * FROM t)` is mixed), where the subquery's own scope is gone.
 */
function subqueryValueType(v: Node[]): string | undefined {
  const s = sigNodes(v);
  const g = s.length === 1 && isGroup(s[0]) ? s[0].items : undefined;
  if (!g || !isWord(sigNodes(g)[0], 'SELECT') || g.some((n) => isWord(n, 'UNION', 'EXCEPT', 'INTERSECT'))) return undefined;
  const items = listItems(g, listAfter(g, g.indexOf(sigNodes(g)[0]!)));
  if (items.length !== 1) return undefined;
  const only = sigNodes(items[0]!);
  const value = hasAlias(items[0]!) ? only.slice(0, isWord(only[only.length - 2], 'AS') ? -2 : -1) : only;
  return value.length === 1 && value[0]!.kind === 'tpl' ? value[0].type : undefined;
}

/**
 * The values guardStored left for after the rewrite (a group with `store`), now that their type is
 * known: JSON is its minified text and a time the column's form of it, as SQLite holds them; a REAL,
 * NUMERIC, comparison or blob goes through the column's store function. Text, an integer into a
 * TEXT column and a type still unknown (a subquery, COALESCE(t, ?)) stay as written.
 */
export function storedAfterRewrite(nodes: Node[], ctx: Ctx): Node[] {
  if (!nodes.some((n) => isGroup(n) && n.store)) return nodes;
  return nodes.flatMap((n): Node[] => {
    if (!isGroup(n) || !n.store) return [n];
    const { kind, column } = n.store;
    const v = n.items;
    const type = inferType(v, ctx) ?? subqueryValueType(v);
    if (type === 'jsonb' || type === 'json' || (type !== undefined && type.startsWith('timestamp'))) return [tpl(asText(v, ctx), 'text')];
    if (kind === 'text' && type === MIXED_NUMERIC && !containsParam(v)) refuseMixedText(ctx, `${column}, a TEXT column, given`);
    const other = type === 'boolean' || type === 'bytea' || isRealType(type);
    const only = sigNodes(v);
    const json = only.length === 1 && only[0]!.kind === 'tpl' ? only[0].jsonValue : undefined;
    // A type the translator does not know (a scalar subquery, a column of a view): the store
    // function's overload for the value's PostgreSQL type decides, as for an INTEGER column.
    const fn = type === undefined && !json
      ? (kind === 'text' ? STORE_TEXT_FUNCTION : STORE_UNTYPED_FUNCTION)
      : kind === 'text' ? (other ? STORE_TEXT_FUNCTION : undefined) : other || isIntegerType(type) || type === MIXED_NUMERIC ? STORE_UNTYPED_FUNCTION : undefined;
    if (!fn && kind === 'untyped' && json) {
      // json_extract()/->> of a number or true/false is SQLite's number, which a column without a type keeps.
      const refused = [`${storeFunction(quoteIdent(ctx.catalog.schema), STORE_UNTYPED_FUNCTION)}(CAST(0 AS numeric), ${quoteLiteral(column)})`];
      return [tpl(['CASE WHEN jsonb_typeof(', ...json, ") IN ('number', 'boolean') THEN ", ...refused, ' ELSE ', v, ' END'], 'text')];
    }
    if (!fn) return v;
    return [tpl([`${storeFunction(quoteIdent(ctx.catalog.schema), fn)}(`, v, `, ${quoteLiteral(column)})`], 'text')];
  });
}

/**
 * Each THEN and ELSE branch of the CASE ... END at nodes[from, to) as `before(branch)after`, from
 * the last one back so that the indexes stay valid. False when the nodes are not one CASE ... END.
 */
function wrapCaseBranches(nodes: Node[], from: number, to: number, before: string, after: string): boolean {
  const branches: Array<[number, number]> = [];
  let depth = 0;
  let start = -1;
  let end = -1;
  for (let i = from; i < to; i++) {
    const n = nodes[i];
    if (isWord(n, 'CASE')) depth++;
    const atTop = depth === 1 && isWord(n, 'WHEN', 'THEN', 'ELSE', 'END');
    if (isWord(n, 'END')) depth--;
    if (!atTop) continue;
    if (start !== -1) branches.push([start, i]);
    start = isWord(n, 'THEN', 'ELSE') ? i + 1 : -1;
    if (isWord(n, 'END') && depth === 0) end = i;
  }
  if (end === -1 || sigNodes(nodes.slice(end + 1, to)).length > 0 || !isWord(sigNodes(nodes.slice(from, to))[0], 'CASE')) return false;
  for (const [a, b] of branches.reverse()) {
    const group: Node = { kind: 'group', items: nodes.slice(a, b), start: -1, end: -1 };
    nodes.splice(a, b - a, tpl([` ${before}`]), group, tpl([`${after} `]));
  }
  return true;
}

/** `v` (in `parent`) as `before(v)after`, its nodes kept in a group the later rules still rewrite. */
function wrap(parent: Node[], v: Node[], before: string, after: string): boolean {
  const at = parent.indexOf(v[0]!);
  if (at === -1) return false;
  const group: Node = { kind: 'group', items: v.slice(), start: -1, end: -1 };
  parent.splice(at, v.length, tpl([before]), group, tpl([after]));
  return true;
}
