/** SQLite scalar and aggregate functions whose PostgreSQL counterpart has another name or shape. */
import { fail, type Ctx } from '../context';
import { branchType, inferType, isIntegerType, isNumericType, MIXED_NUMERIC } from '../infer-type';
import { isType, isWord, sigNodes, tpl, trimTrivia, type Tpl } from '../nodes';
import { asCondition } from './conditions';
import { isColumnRef } from '../scope';
import { aggregateCall, asWritten, castParam, joinArgs, type Call, type Parts } from './call';
import { asText, integralInteger, textAsReal } from './sqlite-values';
import { sqliteJsonValue } from './json-path';
import { jsonKeyParts } from './no-affinity';

/**
 * IFNULL(a, b) is COALESCE(a, b); with only parameters and literals PostgreSQL needs a type. A
 * timestamp beside text (IFNULL(started_at, 'never')) is read as the text SQLite holds, since
 * COALESCE would instead try to read the text as a timestamp.
 */
/**
 * A blob beside a value of another class in COALESCE/IFNULL: SQLite returns each row's value with
 * its own class (`coalesce('a', x'')` is the text 'a'), PostgreSQL's one type would make the text
 * a blob. Refused at prepare.
 */
function refuseBlobBesideOther(call: Call, types: Array<string | undefined>, ctx: Ctx): void {
  if (types.includes('bytea') && types.some((t) => t !== undefined && t !== 'bytea')) {
    fail(ctx, `${call.name.toLowerCase()}() of a blob and a value of another type`, 'SQLite keeps each value\'s own type, PostgreSQL gives the result one; CAST the arguments to one type (CAST(x AS TEXT) or CAST(x AS BLOB)).');
  }
}

export function ifnull(call: Call, ctx: Ctx): Tpl {
  const known = knownFirst(call);
  if (known) return known;
  const types = call.args.map((a) => (a.length === 1 && isType(a[0], 'string') ? 'text' : inferType(a, ctx)));
  refuseBlobBesideOther(call, types, ctx);
  const typed = types.some((t, i) => t !== undefined && !(call.args[i]!.length === 1 && isType(call.args[i]![0], 'string')));
  if (!typed) for (const a of call.args) castParam(a, 'text');
  if (types.includes('text') && types.some((t) => t !== undefined && t.startsWith('timestamp'))) {
    const args = call.args.map((a, i) => (types[i]?.startsWith('timestamp') ? [tpl(["to_char((", a, " AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24:MI:SS')"], 'text')] : a));
    return tpl(['COALESCE(', ...joinArgs(args), ')'], 'text');
  }
  return tpl(['COALESCE(', ...joinArgs(call.args), ')'], branchType(types));
}

/**
 * The argument COALESCE/IFNULL answers when the values bound decide it: the first one that is not
 * surely NULL, when it is a value bound that is not NULL (the statement is specialised to its
 * class) or a literal. SQLite returns that value as it is; PostgreSQL would give all arguments one
 * type (a number bound beside 'x' reads 'x' as a number, an error).
 */
function knownFirst(call: Call): Tpl | undefined {
  for (const a of call.args) {
    const s = sigNodes(a);
    if (s.length !== 1) return undefined;
    const n = s[0]!;
    if (isWord(n, 'NULL') || (isType(n, 'param') && n.note?.valueClass === 'n' && !n.note.target)) continue;
    if (isType(n, 'param') && n.note?.valueType && !n.note.target && !n.note.cast) {
      n.note = { ...n.note, cast: n.note.valueType };
      return tpl([a], n.note.valueType);
    }
    if (isType(n, 'string')) return tpl([a], 'text');
    return undefined;
  }
  return undefined;
}

/** COALESCE(a, b, ...): typed as its arguments (an integer and a real make a mixed value). */
export function coalesce(call: Call, ctx: Ctx): Tpl {
  const known = knownFirst(call);
  if (known) return known;
  const types = call.args.map((a) => inferType(a, ctx));
  refuseBlobBesideOther(call, types, ctx);
  return tpl([call.word.text, call.group], branchType(types));
}

/**
 * NULLIF(a, b) is a, as it is, or NULL: of a's type. PostgreSQL's NULLIF takes the type common to
 * both, so an INTEGER beside a REAL became a REAL (nullif(id, 0.5) stored into TEXT wrote '1.0').
 */
export function nullif(call: Call, ctx: Ctx): Tpl {
  const [a, b] = call.args;
  const type = a && call.args.length === 2 ? inferType(a, ctx) : undefined;
  const other = b ? inferType(b, ctx) : undefined;
  if (type && other && type !== other && isNumericType(type) && isNumericType(other)) return tpl(['CAST(', asWritten(call), ` AS ${type})`], type);
  return asWritten(call, type);
}

/** IIF(c, a, b) (SQLite 3.32) is a CASE. */
export function iif(call: Call, ctx: Ctx): Tpl {
  if (call.args.length !== 3) fail(ctx, 'iif()', 'it takes exactly three arguments.');
  // A number, text or a parameter as a condition has SQLite's truth (not 0), as in WHERE.
  // Both branches NULL: the NULL literal already (rules/surely-null.ts).
  const asBool = asCondition(trimTrivia(call.args[0]), ctx);
  const cond = asBool ? [asBool] : [call.args[0]];
  return tpl(['CASE WHEN ', ...cond, ' THEN ', call.args[1], ' ELSE ', call.args[2], ' END'], branchType([inferType(call.args[1], ctx), inferType(call.args[2], ctx)]));
}

/** GROUP_CONCAT(x [, sep]) is string_agg over text, with SQLite's default separator ','. */
export function groupConcat(call: Call, ctx: Ctx): Tpl {
  const [x, sep] = call.args;
  if (!x) fail(ctx, 'group_concat()', 'it needs a value.');
  const s = sigNodes(x);
  const distinct = isWord(s[0], 'DISTINCT');
  const value = distinct ? x.slice(x.indexOf(s[0]) + 1) : x;
  castParam(sep, 'text');
  const text = asText(value, ctx);
  const item: Parts = text.length === 1 && text[0] === value ? ['CAST(', value, ' AS text)'] : text;
  // The rows in SQLite's scan order (rowid), when the query reads one table (rules/rowid.ts).
  const order = call.word.note?.rowidOrder && !distinct ? ` ORDER BY ${call.word.note.rowidOrder}` : '';
  return tpl(['string_agg(', distinct ? 'DISTINCT ' : '', ...item, ', ', sep ?? "','", order, ')'], 'text');
}

/**
 * min()/max() of a json_extract()/->> value: SQLite compares the values' own classes (NULL
 * skipped, numbers by value below text by bytes); min()/max() of their text would compare text
 * ('9' above '10'). The value is picked by that order; as a whole result column it is the JSON
 * value, shaped as SQLite's (result-names.ts), else its SQL value as text.
 */
function jsonValueMinMax(call: Call, ctx: Ctx): Tpl | undefined {
  const s = sigNodes(call.args[0] ?? []);
  const e = isWord(s[0], 'DISTINCT') ? s.slice(1) : s;
  const v = e.length === 1 && e[0].kind === 'tpl' ? e[0].jsonValue : undefined;
  if (!v || call.tail) return undefined;
  const [rank, num, text] = jsonKeyParts(v);
  const dir = call.name === 'MAX' ? ' DESC' : ' ASC';
  const picked: Parts = ['(array_agg(', ...v, ' ORDER BY ', ...rank, dir, ', ', ...num, dir, ', ', ...text, dir, ') FILTER (WHERE ', ...rank, ' IS NOT NULL))[1]'];
  call.tailPlaced = true;
  if (call.word.note?.jsonScalar) return { ...tpl(picked, 'jsonb'), jsonScalar: true };
  return { ...tpl(['(', ...sqliteJsonValue(picked, ctx), ')'], 'text'), jsonValue: picked };
}

/**
 * count(DISTINCT x) of a json_extract()/->> value: SQLite's values are distinct by class and value
 * (the string '1' apart from the number 1); their text would count those as one. Counted over
 * the jsonb value (true/false are 1/0 there already).
 */
export function count(call: Call, _ctx: Ctx): Tpl {
  const s = sigNodes(call.args[0] ?? []);
  const v = isWord(s[0], 'DISTINCT') && s.length === 2 && s[1].kind === 'tpl' ? s[1].jsonValue : undefined;
  if (v) return tpl(aggregateCall(call, 'count', ['DISTINCT (', ...v, ')']), 'bigint');
  return asWritten(call, 'bigint');
}

/**
 * MAX/MIN with two or more arguments are SQLite's scalar max/min: GREATEST/LEAST, except that
 * SQLite answers NULL when any argument is NULL (GREATEST skips NULLs), and compares text by byte.
 */
export function minMax(call: Call, ctx: Ctx): Tpl {
  if (call.args.length < 2) {
    const x = call.args[0] ?? [];
    const picked = jsonValueMinMax(call, ctx);
    if (picked) return picked;
    const type = inferType(x, ctx);
    // An aggregate over text compares by byte, whatever the database's collation.
    if (type === 'text' && !isColumnRef(x)) return tpl(aggregateCall(call, call.name.toLowerCase(), ['(', x, ') COLLATE "C"']), 'text');
    if (type === 'boolean') return tpl(aggregateCall(call, call.name.toLowerCase(), ['CAST(', x, ' AS integer)']), 'integer');
    return asWritten(call, type);
  }
  const types = call.args.map((a) => inferType(a, ctx));
  const type = branchType(types);
  const anyNull: Parts = [];
  call.args.forEach((a, i) => anyNull.push(i > 0 ? ' OR ' : '', '(', a, ') IS NULL'));
  const args = type === 'text' ? call.args.map((a, i) => (i === 0 ? [tpl(['(', a, ') COLLATE "C"'])] : a)) : call.args;
  return tpl(['CASE WHEN ', ...anyNull, ' THEN NULL ELSE ', call.name === 'MAX' ? 'GREATEST(' : 'LEAST(', ...joinArgs(args), ') END'], type);
}

/** RANDOM() is a 64-bit integer in SQLite; the statement can no longer be repeated exactly. */
export function random(call: Call, ctx: Ctx): Tpl {
  ctx.notMirrorable.push('random()');
  void call;
  return tpl(['CAST(trunc((random() * 2 - 1) * 9223372036854775000) AS bigint)'], 'bigint');
}

/** ROUND rounds half away from zero in SQLite; PostgreSQL's round(double) rounds half to even. */
export function round(call: Call, ctx: Ctx): Tpl {
  castParam(call.args[0], 'numeric');
  castParam(call.args[1], 'numeric');
  const d = call.args[1];
  // Text is read as SQLite reads it as a REAL: its leading number, else 0 (round('run-1') is 0.0).
  const x = call.args[0] && inferType(call.args[0], ctx) === 'text' ? textAsReal([call.args[0]]) : [call.args[0] ?? []];
  // SQLite reads the digits as an integer between 0 and 30; PostgreSQL's round() takes an integer
  // only (a 64-bit literal would not match, 1e300 would not fit).
  const digits = d ? [', CAST(CASE WHEN ', d, ' IS NULL THEN NULL ELSE LEAST(GREATEST(trunc(CAST(', d, ' AS numeric)), 0), 30) END AS integer)'] : [];
  return tpl(['CAST(round(CAST(', ...x, ' AS numeric)', ...digits, ') AS double precision)'], 'double precision');
}

/**
 * abs(x), sign(x), ceil(x), floor(x) with SQLite's storage class: sign() is an INTEGER; the others
 * keep x's (floor(3) is the INTEGER 3, floor(0.5) the REAL 0.0), where PostgreSQL's overloads give
 * a double for a bigint and a numeric for a real literal, whose text then differs ('1.0' for
 * floor(i), '0' for floor(0.5)). A NUMERIC column's value is an INTEGER when integral, else a REAL:
 * its ceil()/floor() keeps a point (scale 1) exactly when it was a REAL, which is how the text of
 * a numeric tells the two apart (store-functions.ts). Of any other type, as written.
 */
export function numericFunction(call: Call, ctx: Ctx): Tpl {
  for (const a of call.args) castParam(a, 'numeric');
  const x = call.args[0];
  if (call.args.length !== 1 || !x) return asWritten(call, 'numeric');
  const type = inferType(x, ctx);
  const name = call.word.text;
  if (call.name === 'SIGN') return tpl(['CAST(', asWritten(call), ' AS bigint)'], 'bigint');
  if (type === 'boolean') return tpl(['CAST((', x, ') AS integer)'], 'integer');
  if (isIntegerType(type)) return call.name === 'ABS' ? tpl([name, '(CAST((', x, ') AS bigint))'], 'bigint') : tpl(['CAST((', x, ') AS bigint)'], 'bigint');
  if (type === 'double precision' || type === 'real') return tpl([name, '(CAST((', x, ') AS double precision))'], 'double precision');
  if (type === 'numeric' && call.name !== 'ABS') {
    return tpl(['CASE WHEN (', x, ') = trunc(', x, ') THEN trunc(', x, ') ELSE round(', name, '(', x, '), 1) END'], 'numeric');
  }
  return asWritten(call, 'numeric');
}

/** typeof(x): known from the schema type; an expression of unknown type cannot be answered. */
export function typeOf(call: Call, ctx: Ctx): Tpl {
  const x = call.args[0] ?? [];
  const type = inferType(x, ctx);
  if (type === 'numeric' && integralInteger(trimTrivia(x), ctx)) {
    // A NUMERIC column holds an integral value as an INTEGER in SQLite, a fraction as a REAL.
    return tpl(['CASE WHEN ', x, " IS NULL THEN 'null' WHEN ", x, ' = trunc(', x, ') AND abs(', x, ") < 9223372036854775808 THEN 'integer' ELSE 'real' END"], 'text');
  }
  const name = typeofName(type);
  if (!name) fail(ctx, 'typeof()', 'the type of its argument is not known from the schema; PostgreSQL values have one type per column.');
  return tpl(['CASE WHEN ', x, ` IS NULL THEN 'null' ELSE '${name}' END`], 'text');
}

function typeofName(type: string | undefined): string | undefined {
  if (type === undefined || type === MIXED_NUMERIC) return undefined;
  if (['bigint', 'integer', 'smallint', 'boolean'].includes(type)) return 'integer';
  if (['double precision', 'real', 'numeric'].includes(type)) return 'real';
  if (type === 'bytea') return 'blob';
  return 'text';
}

/** hex(x): SQLite hex-encodes the UTF-8 bytes of text, upper case; hex(NULL) is ''. */
export function hex(call: Call, ctx: Ctx): Tpl {
  const x = call.args[0] ?? [];
  if (inferType(x, ctx) === 'bytea') return tpl(['COALESCE(upper(encode(', x, ", 'hex')), '')"], 'text');
  castParam(x, 'text');
  // The bytes of the text SQLite gives the value: a REAL's digits, JSON as stored (minified), 0/1.
  return tpl(['COALESCE(upper(encode(convert_to(CAST(', ...asText(x, ctx), " AS text), 'UTF8'), 'hex')), '')"], 'text');
}

/** octet_length(x): the bytes of a blob, else of the text SQLite gives the value (a REAL's digits, `1.0` for a number bound). */
export function octetLength(call: Call, ctx: Ctx): Tpl {
  const x = call.args[0] ?? [];
  if (inferType(x, ctx) === 'bytea') return tpl(['octet_length(', x, ')'], 'integer');
  castParam(x, 'text');
  return tpl(['octet_length(CAST(', ...asText(x, ctx), ' AS text))'], 'integer');
}

/** likely(x), unlikely(x), likelihood(x, p): planner hints that return x. */
export function hint(call: Call, ctx: Ctx): Tpl {
  // likely(x) is x, of x's type.
  return tpl(['(', call.args[0] ?? [], ')'], inferType(call.args[0] ?? [], ctx));
}

export function unsupported(call: Call, ctx: Ctx): Tpl {
  const why: Record<string, string> = {
    LAST_INSERT_ROWID: 'the registry\'s keys are text and PostgreSQL has no rowid; use RETURNING or the key you inserted.',
    CHANGES: 'read `changes` from the result of run() instead.',
    TOTAL_CHANGES: 'count changes in the application instead.',
  };
  return fail(ctx, `${call.name.toLowerCase()}()`, why[call.name] ?? 'PostgreSQL has no equivalent; add an override (REGISTRY_SQL_OVERRIDES).');
}
