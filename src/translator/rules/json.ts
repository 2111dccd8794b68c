/**
 * SQLite's JSON functions over TEXT, as jsonb operators and functions. A json_extract that is a
 * whole result column returns the jsonb value, and the row shaper gives SQLite's value (a number
 * as a number, a string unquoted, true/false as 1/0, objects as minified JSON). Inside an
 * expression it is SQLite's value as text (strings without quotes, true/false as 1/0), compared
 * numerically when compared with a number.
 */
import { fail, type Ctx } from '../context';
import { inferType, isRealType, MIXED_NUMERIC } from '../infer-type';
import { isType, sigNodes, tpl, trimTrivia, type Node, type Tpl } from '../nodes';
import { resolveColumn } from '../scope';
import { asText } from './sqlite-values';
import { castParam, joinArgs, type Call, type Parts } from './call';
import { jsonbOf, jsonValueOf, pgPath, sqliteJsonType, sqliteJsonValue } from './json-path';

function at(call: Call, ctx: Ctx): Parts {
  const doc = jsonbOf(call.args[0] ?? [], ctx);
  return call.args.length > 1 ? ['(', ...doc, ' #> ', ...pgPath(call.args[1], ctx, call.name.toLowerCase()), ')'] : doc;
}

export function jsonExtract(call: Call, ctx: Ctx): Tpl {
  if (call.args.length !== 2) fail(ctx, 'json_extract() with several paths', 'extract each path separately.');
  const v: Parts = ['(', ...jsonValueOf(at(call, ctx)), ')'];
  if (call.word.note?.jsonScalar) return { ...tpl(v, 'jsonb'), jsonScalar: true }; // shaped as SQLite's value
  const value = sqliteJsonValue(v, ctx);
  if (call.word.note?.numeric) return { ...tpl(['CAST(', ...value, ' AS numeric)'], 'numeric'), jsonValue: v };
  return { ...tpl(['(', ...value, ')'], 'text'), jsonValue: v };
}

/** json(x): the JSON value, minified by SQLite; jsonb here (the shaper prints it as JSON text). */
export function json(call: Call, ctx: Ctx): Tpl {
  return tpl(jsonbOf(call.args[0] ?? [], ctx), 'jsonb');
}

export function jsonArrayLength(call: Call, ctx: Ctx): Tpl {
  const v = at(call, ctx);
  // SQLite answers 0 for a value that is not an array (PostgreSQL would raise an error), and NULL
  // for NULL or a path that is not there.
  return tpl(['CASE jsonb_typeof(', ...v, ") WHEN 'array' THEN jsonb_array_length(", ...v, ') WHEN NULL THEN NULL ELSE CASE WHEN ', ...v, ' IS NULL THEN NULL ELSE 0 END END'], 'integer');
}

export function jsonType(call: Call, ctx: Ctx): Tpl {
  return tpl(sqliteJsonType(at(call, ctx)), 'text');
}

/**
 * json_valid(x): `IS JSON` from PostgreSQL 16 on. Before 16 there is no test that does not raise
 * an error on bad input, so the text is checked by rewriting: each string becomes `@`, each other
 * scalar `#` (a `#` or `@` already in the text first becomes `!`, never valid outside a string),
 * JSON whitespace goes, then innermost arrays and objects collapse to `#` until none is left; the
 * text was JSON when one `#` or `@` remains. Both forms accept exactly RFC 8259 JSON, as SQLite.
 */
export function jsonValid(call: Call, ctx: Ctx): Tpl {
  castParam(call.args[0], 'text');
  if ((ctx.catalog.serverVersionNum ?? 0) >= 160000) return tpl(['CAST(CAST(', call.args[0] ?? [], ' AS text) IS JSON AS integer)'], 'integer');
  if (ctx.ddl) fail(ctx, 'json_valid() in a table or index definition', 'before PostgreSQL 16 (or when the server is not known) it needs a subquery, which a CHECK, DEFAULT or index expression cannot hold; run PostgreSQL 16 or later, or check the JSON in the application.');
  const nested = String.raw`'\[\]|\{\}|\[[#@](,[#@])*\]|\{@:[#@](,@:[#@])*\}'`;
  return tpl([
    'CAST((WITH RECURSIVE r(s) AS (SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(CAST(', call.args[0] ?? [],
    String.raw` AS text), '[#@]', '!', 'g'), '"([^"\\\x01-\x1f]|\\(["\\/bfnrt]|u[0-9a-fA-F]{4}))*"', '@', 'g'), '-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?|true|false|null', '#', 'g'), '[ \t\n\r]+', '', 'g')`,
    ` UNION ALL SELECT regexp_replace(s, ${nested}, '#', 'g') FROM r WHERE s ~ ${nested}) SELECT s ~ '^[#@]$' FROM r WHERE s !~ ${nested}) AS integer)`,
  ], 'integer');
}

/**
 * json_object/json_array: parameters are text values (PostgreSQL cannot infer them). json (not
 * jsonb) keeps the keys in the order written, as SQLite; a real is written as SQLite writes it
 * (`-2.0`, `1.0e+20`), a comparison as 0/1; a blob is refused, as SQLite refuses it at run.
 */
function isValueTypedParam(arg: Node[]): boolean {
  const s = sigNodes(arg);
  return s.length === 1 && isType(s[0], 'param') && !s[0].note?.cast && !s[0].note?.target && s[0].note?.valueType !== undefined;
}

export function jsonBuild(call: Call, ctx: Ctx): Tpl {
  const args = call.args.map((a): Node[] => {
    // A parameter in a statement specialised to the values bound is its value's class (a number
    // bound is a JSON number, as SQLite writes it); otherwise it is text.
    if (!isValueTypedParam(a)) castParam(a, 'text');
    const type = inferType(a, ctx);
    if (type === 'bytea') fail(ctx, `a BLOB in ${call.name.toLowerCase()}()`, 'SQLite refuses it ("JSON cannot hold BLOB values"); pass hex(x) or CAST(x AS TEXT).');
    if (type === 'boolean') return [tpl(['CAST(', a, ' AS integer)'])];
    if (isRealType(type) || type === 'numeric' || type === MIXED_NUMERIC) return [tpl(['CAST(', ...asText(a, ctx), ' AS json)'])];
    // A TIMESTAMP column is the text SQLite holds ('2026-01-02 03:04:05', not jsonb's ISO form); a
    // JSON column's value is TEXT to SQLite (only a JSON function's value nests as JSON): a string.
    if (type !== undefined && type.startsWith('timestamp')) return [tpl(['CAST(', ...asText(a, ctx), ' AS text)'], 'text')];
    if ((type === 'jsonb' || type === 'json') && resolveColumn(trimTrivia(a), ctx.scope)) return [tpl(['CAST(', ...asText(a, ctx), ' AS text)'], 'text')];
    return a;
  });
  return tpl([call.name === 'JSON_OBJECT' ? 'json_build_object(' : 'json_build_array(', ...joinArgs(args), ')'], 'json');
}

export function jsonGroup(call: Call, _ctx: Ctx): Tpl {
  for (const a of call.args) castParam(a, 'text');
  const order = call.word.note?.rowidOrder ? ` ORDER BY ${call.word.note.rowidOrder}` : '';
  return call.name === 'JSON_GROUP_ARRAY' ? tpl(['jsonb_agg(', ...joinArgs(call.args), order, ')'], 'jsonb') : tpl(['json_object_agg(', ...joinArgs(call.args), order, ')'], 'json');
}

/** json_set(x, path, value): one path; a parameter value is a JSON string. */
export function jsonSet(call: Call, ctx: Ctx): Tpl {
  if (call.args.length !== 3) fail(ctx, `${call.name.toLowerCase()}() with several paths`, 'set one path per call.');
  castParam(call.args[2], 'text');
  const doc = jsonbOf(call.args[0], ctx);
  return tpl(['jsonb_set(', ...doc, ', ', ...pgPath(call.args[1], ctx, 'json_set'), ', to_jsonb(', call.args[2], '))'], 'jsonb');
}

export function jsonRemove(call: Call, ctx: Ctx): Tpl {
  if (call.args.length !== 2) fail(ctx, 'json_remove() with several paths', 'remove one path per call.');
  return tpl(['(', ...jsonbOf(call.args[0], ctx), ' #- ', ...pgPath(call.args[1], ctx, 'json_remove'), ')'], 'jsonb');
}
