/**
 * json_each(x [, path]): SQLite's table-valued function, as a LATERAL subquery over
 * jsonb_array_elements/jsonb_each with SQLite's columns (key, value, type, atom, id, parent,
 * fullkey, path). Differences kept: array keys come back as text ('0'), object members in jsonb's
 * key order (SQLite keeps the document's order).
 */
import { fail, type Ctx } from '../context';
import { tpl, type Tpl } from '../nodes';
import { stringLiteral, type Call, type Parts } from './call';
import { jsonbOf, pgPath, sqliteJsonType, sqliteJsonValue } from './json-path';

export function jsonEach(call: Call, ctx: Ctx, alias: string | undefined): Tpl {
  if (call.name === 'JSON_TREE') fail(ctx, 'json_tree()', 'it has no PostgreSQL equivalent; use json_each or an override.');
  if (call.args.length === 0) fail(ctx, 'json_each()', 'it needs a JSON value.');
  let doc = jsonbOf(call.args[0], ctx);
  const base = call.args[1] ? stringLiteral(call.args[1]) ?? '$' : '$';
  if (call.args[1]) doc = ['(', ...doc, ' #> ', ...pgPath(call.args[1], ctx, 'json_each'), ')'];
  const v: Parts = ['"_je".v'];
  const parts: Parts = [
    'LATERAL (SELECT "_je".k AS key, ', ...sqliteJsonValue(v, ctx), ' AS value, ', ...sqliteJsonType(v), ' AS type, ',
    `CASE WHEN jsonb_typeof("_je".v) IN ('object', 'array') THEN NULL ELSE `, ...sqliteJsonValue(v, ctx), ' END AS atom, ',
    `"_je".n AS id, NULL::bigint AS parent, CASE WHEN "_je".a THEN '${base}[' || "_je".k || ']' ELSE '${base}.' || "_je".k END AS fullkey, '${base}'::text AS path`,
    ' FROM (SELECT CAST("_ja".n - 1 AS text) AS k, "_ja".v, "_ja".n, true AS a FROM jsonb_array_elements(CASE jsonb_typeof(', ...doc,
    ") WHEN 'array' THEN ", ...doc, ' END) WITH ORDINALITY AS "_ja"(v, n)',
    ' UNION ALL SELECT "_jo".k, "_jo".v, "_jo".n, false FROM jsonb_each(CASE jsonb_typeof(', ...doc, ") WHEN 'object' THEN ", ...doc,
    ' END) WITH ORDINALITY AS "_jo"(k, v, n)) AS "_je")',
  ];
  if (alias === undefined) parts.push(` AS ${call.word.text.toLowerCase()}`);
  return tpl(parts);
}
