/**
 * SQLite's JSON paths ('$.a.b[0]') become PostgreSQL text-array paths ('{a,b,0}'), and any value
 * SQLite reads as JSON text becomes jsonb (a JSONB column is used as it is).
 */
import { fail, quoteLiteral, type Ctx } from '../context';
import type { Node } from '../nodes';
import { resolveColumn } from '../scope';
import { castParam, stringLiteral, type Parts } from './call';
import { jsonAsText, realAsText } from './sqlite-values';

export function jsonbOf(arg: Node[], ctx: Ctx): Parts {
  const col = resolveColumn(arg, ctx.scope);
  // A table's JSONB column as it is; the same name may be a FROM subquery's or a CTE's column,
  // which is JSON text there (see jsonSubqueries): the cast then reads it.
  if (col && col.column.type === 'jsonb') return mayBeDerived(ctx) ? ['CAST(', arg, ' AS jsonb)'] : [arg];
  castParam(arg, 'text');
  return ['CAST(', arg, ' AS jsonb)'];
}

/** The statement has a FROM subquery or a CTE, whose columns the catalog does not know. */
function mayBeDerived(ctx: Ctx): boolean {
  return /\(\s*(SELECT|WITH)\b/i.test(ctx.sql) || /^\s*WITH\b/i.test(ctx.sql);
}

/** Parses '$.a."b c"[2]' into its keys; undefined when the path is not one SQLite accepts. */
export function parsePath(path: string): string[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const keys: string[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    let m = /^\.([^."[]+)/.exec(rest) ?? /^\."((?:[^"])*)"/.exec(rest) ?? /^\[(\d+)\]/.exec(rest);
    if (!m) return undefined;
    keys.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  return keys;
}

/** A PostgreSQL path (text[]) for a SQLite path argument: a literal, or converted in SQL at run time. */
export function pgPath(arg: Node[], ctx: Ctx, fn: string): Parts {
  const literal = stringLiteral(arg);
  if (literal !== undefined) {
    const keys = parsePath(literal);
    if (!keys) fail(ctx, `${fn}() path ${quoteLiteral(literal)}`, "only paths like '$.a.b[0]' are supported (no [#-1]).");
    const items = keys.map((k) => (/^[A-Za-z0-9_]+$/.test(k) ? k : `"${k.replace(/["\\]/g, (c) => '\\' + c)}"`));
    return [quoteLiteral(`{${items.join(',')}}`)];
  }
  castParam(arg, 'text');
  // '$.a[0].b' → 'a[0.b' → {a,0,b}: done in SQL, so a bound path is never inlined.
  return ["regexp_split_to_array(regexp_replace(", arg, ", '^\\$\\.?\\[?|\\]', '', 'g'), '\\.|\\[')"];
}

/** SQLite's json_type names for a jsonb value. */
export function sqliteJsonType(v: Parts): Parts {
  return [
    'CASE jsonb_typeof(', ...v, ") WHEN 'string' THEN 'text' WHEN 'boolean' THEN (", ...v, " #>> '{}')",
    " WHEN 'number' THEN CASE WHEN (", ...v, ")::text ~ '^-?[0-9]+$' THEN 'integer' ELSE 'real' END",
    ' ELSE jsonb_typeof(', ...v, ') END',
  ];
}

/**
 * The jsonb of json_extract()/->>, with true/false as the numbers 1/0: SQLite's value of them is
 * the INTEGER 1/0, equal to 1 and 0 (so grouped, made DISTINCT and sorted with them).
 */
export function jsonValueOf(v: Parts): Parts {
  return ['CASE WHEN jsonb_typeof(', ...v, ") = 'boolean' THEN CASE WHEN ", ...v, " = 'true'::jsonb THEN '1'::jsonb ELSE '0'::jsonb END ELSE ", ...v, ' END'];
}

/** The SQL value SQLite's json_extract/->> give for a jsonb value: text for strings, 1/0 for booleans. */
export function sqliteJsonValue(v: Parts, ctx: Ctx): Parts {
  // A number with a point, or beyond 64 bits, is SQLite's REAL, whose text is SQLite's ('1.50' is
  // '1.5', 1e20 '1.0e+20'); jsonb keeps the digits written.
  const n: Parts = ['CAST((', ...v, ')::text AS numeric)'];
  const number: Parts = [
    'CASE WHEN (', ...v, ")::text ~ '[.eE]' OR ", ...n, ' NOT BETWEEN -9223372036854775808 AND 9223372036854775807 THEN ',
    ...realAsText(n, ctx), ' ELSE (', ...v, ')::text END',
  ];
  return [
    'CASE jsonb_typeof(', ...v, ") WHEN 'string' THEN (", ...v, " #>> '{}') WHEN 'null' THEN NULL",
    " WHEN 'boolean' THEN CASE WHEN (", ...v, ") = 'true'::jsonb THEN '1' ELSE '0' END WHEN 'number' THEN ", ...number, ' ELSE ', ...jsonAsText(v), ' END',
  ];
}
