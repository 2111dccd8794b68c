/** SQLite scalar and aggregate functions whose PostgreSQL counterpart has another name or shape. */
import { fail, type Ctx } from '../context';
import { branchType, inferType, isIntegerType, isNumericType, isRealType, MIXED_NUMERIC } from '../infer-type';
import { isType, isWord, sigNodes, tpl, type Node, type Tpl } from '../nodes';
import { isColumnRef } from '../scope';
import { asWritten, castParam, joinArgs, renamed, type Call, type Parts } from './call';

/**
 * IFNULL(a, b) is COALESCE(a, b); with only parameters and literals PostgreSQL needs a type. A
 * timestamp beside text (IFNULL(started_at, 'never')) is read as the text SQLite holds, since
 * COALESCE would instead try to read the text as a timestamp.
 */
export function ifnull(call: Call, ctx: Ctx): Tpl {
  const types = call.args.map((a) => (a.length === 1 && isType(a[0], 'string') ? 'text' : inferType(a, ctx)));
  const typed = types.some((t, i) => t !== undefined && !(call.args[i]!.length === 1 && isType(call.args[i]![0], 'string')));
  if (!typed) for (const a of call.args) castParam(a, 'text');
  if (types.includes('text') && types.some((t) => t !== undefined && t.startsWith('timestamp'))) {
    const args = call.args.map((a, i) => (types[i]?.startsWith('timestamp') ? [tpl(["to_char((", a, " AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24:MI:SS')"], 'text')] : a));
    return tpl(['COALESCE(', ...joinArgs(args), ')'], 'text');
  }
  return tpl(['COALESCE(', ...joinArgs(call.args), ')'], branchType(types));
}

/** COALESCE(a, b, ...): typed as its arguments (an integer and a real make a mixed value). */
export function coalesce(call: Call, ctx: Ctx): Tpl {
  return tpl([call.word.text, call.group], branchType(call.args.map((a) => inferType(a, ctx))));
}

/** IIF(c, a, b) (SQLite 3.32) is a CASE. */
export function iif(call: Call, ctx: Ctx): Tpl {
  if (call.args.length !== 3) fail(ctx, 'iif()', 'it takes exactly three arguments.');
  // A number as a condition is true when it is not 0, as in SQLite.
  const cond = isNumericType(inferType(call.args[0], ctx)) ? ['(', call.args[0], ') <> 0'] : [call.args[0]];
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
  return tpl(['string_agg(', distinct ? 'DISTINCT ' : '', ...item, ', ', sep ?? "','", ')'], 'text');
}

/** INSTR(a, b) is strpos(a, b); numbers are searched as their text, as in SQLite. */
export function instr(call: Call, ctx: Ctx): Tpl {
  for (const a of call.args) castParam(a, 'text');
  if (call.args.length !== 2) return renamed(call, 'strpos', 'integer');
  return tpl(['strpos(', ...asText(call.args[0], ctx), ', ', ...asText(call.args[1], ctx), ')'], 'integer');
}

/** Text functions: a parameter argument is text; a non-text column is read as its text. */
export function textFunction(call: Call, ctx: Ctx): Tpl {
  const name = call.name === 'SUBSTRING' ? 'substr' : call.name.toLowerCase();
  call.args.forEach((a, i) => castParam(a, name === 'substr' && i > 0 ? 'bigint' : 'text'));
  const type = call.name === 'LENGTH' ? 'integer' : 'text';
  const [first, ...rest] = call.args;
  const text = first ? asText(first, ctx) : [];
  if (name === 'substr' && rest.length > 0 && rest.length <= 2) return tpl(sqliteSubstr(text, rest[0], rest[1]), 'text');
  if (text.length === 1 && text[0] === first) return renamed(call, name, type);
  return tpl([`${name}(`, ...text, ...rest.flatMap((a) => [', ', a]), ')'], type);
}

/** A value as SQLite's text functions read it: numbers and JSON as their text, 0/1 for booleans. */
export function asText(x: Node[], ctx: Ctx): Parts {
  const type = inferType(x, ctx);
  if (type === 'boolean') return ['CAST(CAST(', x, ' AS integer) AS text)'];
  if (isRealType(type) || type === MIXED_NUMERIC) return realAsText([x]);
  if (type !== undefined && type !== 'text' && type !== 'bytea') return ['CAST(', x, ' AS text)'];
  return [x];
}

/**
 * substr(x, start[, length]) as SQLite counts: a negative start counts from the end, start 0 is
 * the position before the first character, a negative length takes the characters before start.
 * P is SQLite's start as a 1-based position (PostgreSQL's substr clips positions before 1 the same
 * way); with a negative length, k characters end just before P.
 */
function sqliteSubstr(x: Parts, startArg: Node[], lengthArg: Node[] | undefined): Parts {
  const positive = (a: Node[] | undefined): boolean => a !== undefined && a.length === 1 && isType(a[0], 'number') && Number(a[0].text) >= 1 && /^\d+$/.test(a[0].text);
  if (positive(startArg) && (lengthArg === undefined || positive(lengthArg))) return ['substr(', ...x, ', ', startArg, ...(lengthArg ? [', ', lengthArg] : []), ')'];
  const start: Parts = ['(', startArg, ')'];
  const p: Parts = ['CASE WHEN ', ...start, ' < 0 THEN ', ...start, ' + char_length(', ...x, ') + 1 ELSE ', ...start, ' END'];
  if (lengthArg === undefined) return ['substr(', ...x, ', CAST(', ...p, ' AS integer))'];
  const length: Parts = ['(', lengthArg, ')'];
  const k: Parts = ['CASE WHEN ', ...length, ' < 0 THEN GREATEST(LEAST(-', ...length, ', ', ...p, ' - 1), 0) ELSE 0 END'];
  return ['substr(', ...x, ', CAST(', ...p, ' - (', ...k, ') AS integer), CAST(CASE WHEN ', ...length, ' < 0 THEN ', ...k, ' ELSE ', ...length, ' END AS integer))'];
}

const ASCII_LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ASCII_UPPER = ASCII_LOWER.toUpperCase();

/** SQLite's lower(): ASCII letters only (PostgreSQL's folds every letter of the collation). */
export function asciiLower(x: Parts): Parts {
  return ['translate(', ...x, `, '${ASCII_UPPER}', '${ASCII_LOWER}')`];
}

/** upper()/lower() fold ASCII letters only, as SQLite's do. */
export function caseFold(call: Call, ctx: Ctx): Tpl {
  const [x] = call.args;
  if (!x || call.args.length !== 1) return asWritten(call, 'text');
  castParam(x, 'text');
  const text = asText(x, ctx);
  if (call.name === 'LOWER') return tpl(asciiLower(text), 'text');
  return tpl(['translate(', ...text, `, '${ASCII_LOWER}', '${ASCII_UPPER}')`], 'text');
}

/**
 * MAX/MIN with two or more arguments are SQLite's scalar max/min: GREATEST/LEAST, except that
 * SQLite answers NULL when any argument is NULL (GREATEST skips NULLs), and compares text by byte.
 */
export function minMax(call: Call, ctx: Ctx): Tpl {
  if (call.args.length < 2) {
    const x = call.args[0] ?? [];
    const type = inferType(x, ctx);
    // An aggregate over text compares by byte, whatever the database's collation.
    if (type === 'text' && !isColumnRef(x) && !call.windowed) return tpl([call.name.toLowerCase(), '(', x, ' COLLATE "C")'], 'text');
    if (type === 'boolean' && !call.windowed) return tpl([call.name.toLowerCase(), '(CAST(', x, ' AS integer))'], 'integer');
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

/** The text PostgreSQL's error carries when a REAL's SQLite text cannot be reproduced (see realAsText). */
export const REAL_AS_TEXT = 'real as text: ';

/**
 * A REAL as the text SQLite gives it. SQLite prints an integral value below 2^53 with '.0', and
 * otherwise up to 17 significant digits, shortened to the shortest digits that read back as the
 * same double when those are at most 13 or so; PostgreSQL prints the shortest digits. Both agree
 * for an integral value and for a value of at most 13 significant digits, fixed between 1e-4 and
 * 1e15, with an exponent below 1e-4 and from 1e17 (SQLite writes 1.0e+20 where PostgreSQL writes
 * 1e+20); any other value raises an error naming it, rather than give other digits than SQLite.
 */
export function realAsText(x: Parts): Parts {
  const v: Parts = ['CAST(', ...x, ' AS double precision)'];
  return [
    'CASE WHEN ', ...v, ' IS NULL THEN NULL WHEN ', ...v, ' = trunc(', ...v, ') AND abs(', ...v, ') < 9007199254740992 THEN CAST(CAST(', ...v, " AS bigint) AS text) || '.0'",
    ' WHEN abs(', ...v, ') >= 0.0001 AND abs(', ...v, ") < 1e15 AND length(ltrim(replace(replace(CAST(", ...v, " AS text), '-', ''), '.', ''), '0')) <= 13 THEN CAST(", ...v, ' AS text)',
    ' WHEN (abs(', ...v, ') >= 1e17 OR abs(', ...v, ") < 0.0001) AND length(ltrim(replace(replace(split_part(CAST(", ...v, " AS text), 'e', 1), '-', ''), '.', ''), '0')) <= 13",
    " THEN regexp_replace(CAST(", ...v, " AS text), '^(-?[0-9]+)e', '\\1.0e')",
    ` ELSE CAST(CAST('${REAL_AS_TEXT}' || CAST(`, ...v, ' AS text) AS bigint) AS text) END',
  ];
}

/**
 * SQLite's numeric reading of a text value (what sum() and avg() add): the longest prefix that is a
 * number, after leading spaces; 0.0 when there is none. NULL stays NULL.
 */
export function textAsReal(x: Parts): Parts {
  return ['CASE WHEN ', ...x, " IS NULL THEN NULL ELSE CAST(COALESCE(substring(", ...x, " FROM '^[ \\t\\n\\f\\r]*([+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][+-]?[0-9]+)?)'), '0') AS double precision) END"];
}

/** The argument of sum/avg/total: DISTINCT kept apart, booleans as 0/1, text as SQLite reads it. */
function aggregateArg(call: Call, ctx: Ctx): { distinct: boolean; value: Parts; type: string | undefined } {
  const x = call.args[0] ?? [];
  const s = sigNodes(x);
  const distinct = isWord(s[0], 'DISTINCT');
  const arg = distinct ? x.slice(x.indexOf(s[0]) + 1) : x;
  const type = inferType(arg, ctx);
  if (type === 'boolean') return { distinct, value: ['CAST(', arg, ' AS integer)'], type: 'integer' };
  if (type === 'text') return { distinct, value: textAsReal([arg]), type: 'double precision' };
  return { distinct, value: [arg], type };
}

/**
 * SUM of integers is an integer in SQLite, and "integer overflow" beyond 64 bits; PostgreSQL's
 * sum(bigint) is numeric. The overflow error is raised by casting a text that names it, which the
 * error mapping turns into SQLite's message.
 */
function integerSum(sum: Parts): Parts {
  return ['CASE WHEN ', ...sum, ' BETWEEN -9223372036854775808 AND 9223372036854775807 THEN CAST(', ...sum, " AS bigint) ELSE CAST('", INTEGER_OVERFLOW, "' || CAST(", ...sum, ' AS text) AS bigint) END'];
}

/** The text PostgreSQL's error message carries when a SUM overflows 64 bits (see integerSum). */
export const INTEGER_OVERFLOW = 'integer overflow: ';

/** TOTAL(x) is SUM that answers 0.0 instead of NULL, always a real. */
export function total(call: Call, ctx: Ctx): Tpl {
  const { distinct, value } = aggregateArg(call, ctx);
  return tpl(['CAST(COALESCE(sum(', distinct ? 'DISTINCT ' : '', ...value, '), 0) AS double precision)'], 'double precision');
}

/**
 * SUM and AVG with SQLite's types: SUM of integers (and of comparisons, booleans) is an integer,
 * of reals or text a real; AVG is always a real, the integer sum divided by the count.
 */
export function sumAvg(call: Call, ctx: Ctx): Tpl {
  if (call.args.length !== 1) return asWritten(call);
  const { distinct, value, type } = aggregateArg(call, ctx);
  const d = distinct ? 'DISTINCT ' : '';
  const integer = isIntegerType(type);
  if (call.windowed) {
    // sum(...) OVER/FILTER: the call must stay a call; only its argument changes.
    return tpl([call.name.toLowerCase(), '(', d, ...value, ')'], call.name === 'SUM' && !integer ? type : 'numeric');
  }
  if (call.name === 'SUM') {
    if (integer) return tpl(integerSum(['sum(', d, ...value, ')']), 'bigint');
    return tpl(['sum(', d, ...value, ')'], type);
  }
  if (integer) return tpl(['(CAST(sum(', d, ...value, ') AS double precision) / count(', d, ...value, '))'], 'double precision');
  return tpl(['CAST(avg(', d, ...value, ') AS double precision)'], 'double precision');
}

/** ROUND rounds half away from zero in SQLite; PostgreSQL's round(double) rounds half to even. */
export function round(call: Call, _ctx: Ctx): Tpl {
  castParam(call.args[0], 'numeric');
  castParam(call.args[1], 'integer');
  const digits = call.args[1] ? [', ', call.args[1]] : [];
  return tpl(['CAST(round(CAST(', call.args[0] ?? [], ' AS numeric)', ...digits, ') AS double precision)'], 'double precision');
}

/** ABS, SIGN... of a parameter: numeric. */
export function numericFunction(call: Call, _ctx: Ctx): Tpl {
  for (const a of call.args) castParam(a, 'numeric');
  return asWritten(call, 'numeric');
}

/** typeof(x): known from the schema type; an expression of unknown type cannot be answered. */
export function typeOf(call: Call, ctx: Ctx): Tpl {
  const x = call.args[0] ?? [];
  const type = inferType(x, ctx);
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

/** hex(x): SQLite hex-encodes the UTF-8 bytes of text, upper case. */
export function hex(call: Call, ctx: Ctx): Tpl {
  const x = call.args[0] ?? [];
  if (inferType(x, ctx) === 'bytea') return tpl(['upper(encode(', x, ", 'hex'))"], 'text');
  castParam(x, 'text');
  return tpl(['upper(encode(convert_to(CAST(', x, " AS text), 'UTF8'), 'hex'))"], 'text');
}

/** likely(x), unlikely(x), likelihood(x, p): planner hints that return x. */
export function hint(call: Call, _ctx: Ctx): Tpl {
  return tpl(['(', call.args[0] ?? [], ')']);
}

export function unsupported(call: Call, ctx: Ctx): Tpl {
  const why: Record<string, string> = {
    LAST_INSERT_ROWID: 'the registry\'s keys are text and PostgreSQL has no rowid; use RETURNING or the key you inserted.',
    CHANGES: 'read `changes` from the result of run() instead.',
    TOTAL_CHANGES: 'count changes in the application instead.',
  };
  return fail(ctx, `${call.name.toLowerCase()}()`, why[call.name] ?? 'PostgreSQL has no equivalent; add an override (REGISTRY_SQL_OVERRIDES).');
}
