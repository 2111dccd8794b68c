/**
 * CAST(x AS type): SQLite's type names map as in the schema (INTEGER → bigint, REAL → double
 * precision...). CAST to INTEGER truncates in SQLite (3.7 → 3) and reads a leading number from
 * text; PostgreSQL rounds, so the value is truncated as numeric first. A BLOB cast to TEXT is its
 * bytes read as UTF-8 text in SQLite; PostgreSQL's bytea → text cast would give the '\x..' escape.
 */
import { fail, type Ctx } from '../context';
import { isType, isWord, sourceSpan, tpl, trimTrivia, type Group, type Node, type Tpl } from '../nodes';
import { mapDeclaredType } from '../../schema/type-mapping';
import { inferType, isIntegerType, isRealType, MIXED_NUMERIC } from '../infer-type';
import { castParam, type Parts } from './call';
import { asText, blobAsText, textAsReal } from './sqlite-values';

export function castExpression(group: Group, ctx: Ctx): Tpl {
  const out = castValue(group, ctx);
  // BLOB affinity compares as no affinity.
  return out.type && out.type !== 'bytea' ? { ...out, affinity: out.type } : out;
}

function castValue(group: Group, ctx: Ctx): Tpl {
  const items = group.items;
  let asAt = -1;
  items.forEach((n, i) => {
    if (isWord(n, 'AS')) asAt = i;
  });
  if (asAt === -1) fail(ctx, 'CAST without AS', 'write CAST(x AS type).');
  const value = trimTrivia(items.slice(0, asAt));
  const declared = sourceSpan(items.slice(asAt + 1), ctx.sql) ?? '';
  const type = mapDeclaredType(declared);
  const from = inferType(value, ctx);
  if (type === 'bigint') return tpl(integerValue(value, ctx), 'bigint');
  if (from === 'bytea' && type === 'text') return tpl(blobAsText(value, ctx), 'text');
  if (type === 'bytea' && value.length === 1 && isType(value[0], 'param') && value[0].note?.valueType === 'bytea') {
    // A Buffer bound (a translation specialised to the values bound): CAST to BLOB keeps it as it is.
    castParam(value, 'bytea');
    return tpl([value], 'bytea');
  }
  if (type === 'bytea' && value.length === 1 && isType(value[0], 'param')) {
    // A bound value: its text as SQLite writes it (a number as a REAL), as UTF-8 bytes.
    castParam(value, 'text');
    return tpl(['convert_to(', value, ", 'UTF8')"], 'bytea');
  }
  // SQLite's CAST to BLOB takes the bytes of the value's text ('0' is x'30'); PostgreSQL would send
  // a number's binary form, or refuse.
  if (type === 'bytea' && (from === 'text' || from === 'bigint' || from === 'integer' || isRealType(from) || from === MIXED_NUMERIC)) {
    castParam(value, 'text');
    return tpl(['convert_to(', ...(from === 'text' ? [value] : asText(value, ctx)), ", 'UTF8')"], 'bytea');
  }
  // A value of a type the translator cannot tell (a view's column, an untyped expression):
  // PostgreSQL's own cast would give a number's binary form or read text as escapes.
  const isNull = value.length === 1 && isWord(value[0], 'NULL');
  if (type === 'bytea' && from !== 'bytea' && !isNull) {
    fail(ctx, `CAST(${sourceSpan(value, ctx.sql) ?? 'x'} AS BLOB)`, "the type of the value is not known here; cast a table's column, or cast to TEXT first: CAST(CAST(x AS TEXT) AS BLOB).");
  }
  // JSON and times are read as their text, as SQLite reads the text it stored.
  // A Buffer bound is read as the text of its bytes (the value layer sends that text).
  const boundBlob = from === 'bytea' && value.length === 1 && isType(value[0], 'param');
  const viaText = from === undefined || from === 'text' || from === 'jsonb' || from === 'json' || (from !== undefined && from.startsWith('timestamp')) || boundBlob;
  if (type === 'numeric' && viaText) {
    // SQLite reads the longest numeric prefix of the text ('12abc' is 12, 'a' is 0).
    castParam(value, 'text');
    return { ...tpl(textAsNumeric(from === 'text' ? [value] : ['CAST(', value, ' AS text)']), 'numeric'), integralInteger: true };
  }
  if (type === 'double precision' && viaText) {
    castParam(value, 'text');
    return tpl(textAsReal(from === 'text' ? [value] : ['CAST(', value, ' AS text)']), 'double precision');
  }
  // CAST of a REAL or an INTEGER to NUMERIC changes nothing in SQLite (-2.0 stays the REAL -2.0;
  // PostgreSQL's numeric -2 would read as the INTEGER).
  if (type === 'numeric' && (from === 'double precision' || from === 'real' || isIntegerType(from))) return tpl(['(', value, ')'], from);
  if (type === 'text' && (isRealType(from) || from === MIXED_NUMERIC || from === 'boolean' || from === 'jsonb' || from === 'json' || (from !== undefined && from.startsWith('timestamp')))) return tpl(asText(value, ctx), 'text');
  castParam(value, 'text');
  const source: Node[] = value;
  return tpl(['CAST(', source, ` AS ${type})`], type);
}

/**
 * A value as SQLite's CAST(x AS INTEGER) gives it (and as its integer operators read their
 * operands): a real truncated toward zero and saturated at the 64-bit limits, text by its integer
 * prefix, a boolean as 0/1.
 */
export function integerValue(value: Node[], ctx: Ctx): Parts {
  const from = inferType(value, ctx);
  if (from === 'bigint' || from === 'integer') return ['CAST(', value, ' AS bigint)'];
  if (from === 'boolean') return ['CAST(CAST(', value, ' AS integer) AS bigint)'];
  // A real truncates toward zero, saturating at the 64-bit limits as SQLite's does.
  if (isRealType(from)) return ['CAST(trunc(', ...clampInt64(['CAST(', value, ' AS numeric)']), ') AS bigint)'];
  castParam(value, 'text');
  return ['CAST(', ...clampInt64(textAsInteger(from === 'text' ? [value] : ['CAST(', value, ' AS text)'])), ' AS bigint)'];
}

/** A numeric value clamped to SQLite's 64-bit integer range (how SQLite converts a REAL beyond it). */
export function clampInt64(x: Parts): Parts {
  return ['CASE WHEN ', ...x, ' > 9223372036854775807 THEN 9223372036854775807 WHEN ', ...x, ' < -9223372036854775808 THEN -9223372036854775808 ELSE ', ...x, ' END'];
}

/**
 * SQLite's CAST of text to INTEGER: the longest prefix that is an integer (after leading spaces),
 * 0 when there is none; NULL stays NULL. As numeric, so that the caller can clamp it.
 */
function textAsInteger(x: Parts): Parts {
  return ['CASE WHEN ', ...x, " IS NULL THEN NULL ELSE CAST(COALESCE(substring(", ...x, " FROM '^[ \\t\\n\\f\\r]*([+-]?[0-9]+)'), '0') AS numeric) END"];
}

/** SQLite's CAST of text to NUMERIC: the longest numeric prefix after leading spaces, 0 when none. */
function textAsNumeric(x: Parts): Parts {
  return ['CASE WHEN ', ...x, " IS NULL THEN NULL ELSE CAST(COALESCE(substring(", ...x, " FROM '^[ \\t\\n\\f\\r]*([+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][+-]?[0-9]+)?)'), '0') AS numeric) END"];
}
