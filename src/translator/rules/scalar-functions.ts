/** SQLite scalar and aggregate functions whose PostgreSQL counterpart has another name or shape. */
import { fail, type Ctx } from '../context';
import { inferType } from '../infer-type';
import { isType, isWord, sigNodes, tpl, type Tpl } from '../nodes';
import { asWritten, castParam, joinArgs, renamed, type Call } from './call';

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
  return tpl(['COALESCE(', ...joinArgs(call.args), ')'], types[0] ?? types[1]);
}

/** IIF(c, a, b) (SQLite 3.32) is a CASE. */
export function iif(call: Call, ctx: Ctx): Tpl {
  if (call.args.length !== 3) fail(ctx, 'iif()', 'it takes exactly three arguments.');
  return tpl(['CASE WHEN ', call.args[0], ' THEN ', call.args[1], ' ELSE ', call.args[2], ' END'], inferType(call.args[1], ctx));
}

/** GROUP_CONCAT(x [, sep]) is string_agg over text, with SQLite's default separator ','. */
export function groupConcat(call: Call, ctx: Ctx): Tpl {
  const [x, sep] = call.args;
  if (!x) fail(ctx, 'group_concat()', 'it needs a value.');
  const s = sigNodes(x);
  const distinct = isWord(s[0], 'DISTINCT');
  const value = distinct ? x.slice(x.indexOf(s[0]) + 1) : x;
  castParam(sep, 'text');
  return tpl(['string_agg(', distinct ? 'DISTINCT ' : '', 'CAST(', value, ' AS text), ', sep ?? "','", ')'], 'text');
}

/** INSTR(a, b) is strpos(a, b). */
export function instr(call: Call, _ctx: Ctx): Tpl {
  for (const a of call.args) castParam(a, 'text');
  return renamed(call, 'strpos', 'integer');
}

/** Text functions: a parameter argument is text; a non-text column is read as its text. */
export function textFunction(call: Call, ctx: Ctx): Tpl {
  const name = call.name === 'SUBSTRING' ? 'substr' : call.name.toLowerCase();
  call.args.forEach((a, i) => castParam(a, name === 'substr' && i > 0 ? 'integer' : 'text'));
  const type = call.name === 'LENGTH' ? 'integer' : 'text';
  const [first, ...rest] = call.args;
  const argType = first ? inferType(first, ctx) : undefined;
  if (argType !== undefined && argType !== 'text' && argType !== 'bytea') {
    // SQLite reads a number or a JSON value as its text; PostgreSQL's text functions need text.
    // A BOOLEAN column holds SQLite's 0/1, whose text is '0'/'1'.
    const asText = argType === 'boolean' ? ['CAST(CAST(', first, ' AS integer) AS text)'] : ['CAST(', first, ' AS text)'];
    return tpl([`${name}(`, ...asText, ...rest.flatMap((a) => [', ', a]), ')'], type);
  }
  return renamed(call, name, type);
}

/** replace(x, y, z) with an empty y is x in SQLite, whatever z is; PostgreSQL's gives NULL for a NULL z. */
export function replaceText(call: Call, ctx: Ctx): Tpl {
  const replaced = textFunction(call, ctx);
  const [x, y] = call.args;
  if (!x || !y || call.args.length !== 3) return replaced;
  return tpl(['CASE WHEN CAST(', y, " AS text) = '' THEN CAST(", x, ' AS text) ELSE ', replaced, ' END'], 'text');
}

/** MAX/MIN with two or more arguments are SQLite's scalar max/min: GREATEST/LEAST. */
export function minMax(call: Call, ctx: Ctx): Tpl {
  if (call.args.length < 2) return asWritten(call, inferType(call.args[0] ?? [], ctx));
  return tpl([call.name === 'MAX' ? 'GREATEST(' : 'LEAST(', ...joinArgs(call.args), ')'], inferType(call.args[0], ctx));
}

/** RANDOM() is a 64-bit integer in SQLite; the statement can no longer be repeated exactly. */
export function random(call: Call, ctx: Ctx): Tpl {
  ctx.notMirrorable.push('random()');
  void call;
  return tpl(['CAST(trunc((random() * 2 - 1) * 9223372036854775000) AS bigint)'], 'bigint');
}

/** TOTAL(x) is SUM that answers 0.0 instead of NULL. */
export function total(call: Call, _ctx: Ctx): Tpl {
  return tpl(['CAST(COALESCE(sum(', ...joinArgs(call.args), '), 0) AS double precision)'], 'double precision');
}

/** SUM/AVG of a BOOLEAN column: SQLite adds its 0/1 values. */
export function sumAvg(call: Call, ctx: Ctx): Tpl {
  const [x] = call.args;
  if (x && inferType(x, ctx) === 'boolean') return tpl([call.name.toLowerCase(), '(CAST(', x, ' AS integer))'], 'bigint');
  return asWritten(call, call.name === 'SUM' ? inferType(x ?? [], ctx) : 'numeric');
}

/**
 * ROUND rounds half away from zero in SQLite; PostgreSQL's round(double) rounds half to even.
 * SQLite takes negative digits as 0 (round(155.5, -1) is 156.0); PostgreSQL would round to tens.
 */
export function round(call: Call, _ctx: Ctx): Tpl {
  castParam(call.args[0], 'numeric');
  castParam(call.args[1], 'integer');
  const d = call.args[1];
  const digits = d ? [', CASE WHEN ', d, ' < 0 THEN 0 ELSE ', d, ' END'] : [];
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
  if (type === undefined) return undefined;
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
  return tpl(['COALESCE(upper(encode(convert_to(CAST(', x, " AS text), 'UTF8'), 'hex')), '')"], 'text');
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
