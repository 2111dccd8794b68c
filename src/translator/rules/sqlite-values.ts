/**
 * How SQLite turns values into text and text into numbers, as PostgreSQL expressions: the text of
 * a REAL, the numeric prefix of a text, the text of a number or a boolean for text functions.
 */
import { fail, quoteIdent, type Ctx } from '../context';
import { inferType, isRealType, MIXED_NUMERIC } from '../infer-type';
import { containsParam, isSig, isType, tpl, type Node, type Tpl } from '../nodes';
import type { Parts } from './call';
import { resolveColumn } from '../scope';
import type { TimestampFormat } from '../../schema/catalog';
import { realTextFunction } from '../../schema/real-text-function';

/**
 * A REAL as the text SQLite gives it (`%!.17g` with SQLite's shortening: '0.1', '1.0e+20',
 * '0.30000000000000004', '1000000000000000.0'): the schema's function that reproduces it
 * (src/schema/real-text-function.ts), created when the backend opens the schema.
 */
export function realAsText(x: Parts, ctx: Ctx): Parts {
  return [`${realTextFunction(quoteIdent(ctx.catalog.schema))}(CAST(`, ...x, ' AS double precision))'];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A blob read as text (CAST(x AS TEXT), ||, concat()): its bytes as UTF-8 text. A blob literal
 * whose bytes are not UTF-8 text without NUL (x'00', x'FF') is refused at prepare: SQLite gives
 * text holding those bytes, which PostgreSQL's text cannot hold (a column or a value bound with such
 * bytes fails when the statement runs, SQLITE_MISMATCH).
 */
export function blobAsText(x: Node[], ctx: Ctx): Parts {
  const s = x.filter(isSig);
  if (s.length === 1 && isType(s[0], 'blob')) {
    const bytes = Buffer.from(s[0].value, 'hex');
    let text = true;
    try {
      UTF8.decode(bytes);
    } catch {
      text = false;
    }
    if (!text || bytes.includes(0)) fail(ctx, `the blob ${s[0].text} read as text`, 'its bytes are not UTF-8 text without NUL, which PostgreSQL text cannot hold; compare or store it as a blob, or use hex().');
  }
  return ['convert_from(', x, ", 'UTF8')"];
}

/**
 * SQLite's numeric reading of a text value (what sum() and avg() add): the longest prefix that is a
 * number, after leading spaces; 0.0 when there is none. NULL stays NULL.
 */
export function textAsReal(x: Parts): Parts {
  return ['CASE WHEN ', ...x, " IS NULL THEN NULL ELSE CAST(COALESCE(substring(", ...x, " FROM '^[ \\t\\n\\f\\r]*([+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][+-]?[0-9]+)?)'), '0') AS double precision) END"];
}

/**
 * A value that is an INTEGER on some rows and a REAL on others (a NUMERIC column in arithmetic,
 * COALESCE, IFNULL or max()/min() of an integer and a real, text used as a number), read as text:
 * SQLite writes each row's own text ('2' or '2.0'), PostgreSQL's value has one type and so one
 * form for both. Refused at prepare.
 */
export function refuseMixedText(ctx: Ctx, use: string): never {
  return fail(ctx, `${use} a value that is an integer on some rows and a real on others (a NUMERIC column in arithmetic, COALESCE, IFNULL or max()/min() of an integer and a real, or text used as a number)`,
    "SQLite writes each row's own text ('2' or '2.0'), PostgreSQL gives the expression one type. CAST the value AS INTEGER or AS REAL.");
}

/**
 * A NUMERIC value SQLite holds as an INTEGER when integral and as a REAL otherwise: a NUMERIC
 * column's, or CAST(text AS NUMERIC).
 */
export function integralInteger(x: Node[], ctx: Ctx): boolean {
  const s = x.filter(isSig);
  if (s.length === 1 && s[0]!.kind === 'tpl' && s[0].integralInteger) return true;
  return resolveColumn(x, ctx.scope)?.column.type === 'numeric';
}

/** A value as SQLite's text functions read it: numbers and JSON as their text, 0/1 for booleans. */
export function asText(x: Node[], ctx: Ctx): Parts {
  // A bound value is sent as the text SQLite gives it (a number as its REAL text, see values/params.ts).
  const only = x.filter(isSig);
  if (only.length === 1 && isType(only[0], 'param') && !only[0].note?.target && (!only[0].note?.cast || only[0].note.cast === only[0].note.valueType)) {
    only[0].note = { ...only[0].note, cast: 'text' };
    return [x];
  }
  const type = inferType(x, ctx);
  if (type === 'boolean') return ['CAST(CAST(', x, ' AS integer) AS text)'];
  // A NUMERIC column holds an integral value as an INTEGER in SQLite (its text has no '.0').
  if (type === 'numeric' && integralInteger(x, ctx)) {
    return ['CASE WHEN ', x, ' = trunc(', x, ') AND abs(', x, ') < 9223372036854775808 THEN CAST(CAST(', x, ' AS bigint) AS text) ELSE ', ...realAsText([x], ctx), ' END'];
  }
  if (type === MIXED_NUMERIC && !containsParam(x)) refuseMixedText(ctx, 'the text of');
  if (isRealType(type) || type === MIXED_NUMERIC) return realAsText([x], ctx);
  if (type === 'jsonb' || type === 'json') return jsonAsText([x]);
  if (type !== undefined && type.startsWith('timestamp')) return timestampAsText([x], resolveColumn(x, ctx.scope)?.column.timestampFormat ?? 'sqlite', type !== 'timestamp without time zone');
  if (type !== undefined && type !== 'text' && type !== 'bytea') return ['CAST(', x, ' AS text)'];
  return [x];
}

/**
 * The text of a JSON value as SQLite holds it when it was written minified (as JSON.stringify and
 * SQLite's own json functions write it): jsonb's text without the spaces PostgreSQL puts after `,`
 * and `:` (a string, escapes included, is kept whole). Key order and number forms are jsonb's.
 */
export function jsonAsText(x: Parts): Parts {
  return ['regexp_replace(CAST(', ...x, ` AS text), '("(?:[^"\\\\]|\\\\.)*"|[^"]) ?', '\\1', 'g')`];
}

/**
 * A timestamp as the text the column held in SQLite, as the row shaper prints it (in UTC): SQLite's
 * `YYYY-MM-DD HH:MM:SS`, with `.SSS` when the milliseconds are not 0, or ISO-8601 with `.sssZ`
 * for a column whose values were written that way.
 */
export function timestampAsText(x: Parts, format: TimestampFormat, withZone: boolean): Parts {
  const utc: Parts = withZone ? ['(', ...x, " AT TIME ZONE 'UTC')"] : x;
  if (format === 'iso') return ['to_char(', ...utc, `, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`];
  return ['CASE WHEN ', ...x, ' IS NULL THEN NULL WHEN to_char(', ...utc, ", 'MS') = '000' THEN to_char(", ...utc, ", 'YYYY-MM-DD HH24:MI:SS') ELSE to_char(", ...utc, ", 'YYYY-MM-DD HH24:MI:SS.MS') END"];
}

/**
 * A text literal used as a number, read as SQLite reads it: the longest numeric prefix after
 * spaces (0 when none), an integer when it has no point or exponent and fits 64 bits, else a real.
 */
export function textLiteralAsNumber(value: string): Tpl {
  const m = /^[ \t\n\f\r]*([+-]?)(\d*)(\.\d*)?([eE][+-]?\d+)?/.exec(value)!;
  const digits = m[2] ?? '';
  const fraction = m[3] ?? '';
  if (digits === '' && fraction.length <= 1) return tpl(['0'], 'bigint');
  const exponent = digits !== '' || fraction.length > 1 ? m[4] ?? '' : '';
  if (fraction === '' && exponent === '') {
    const v = BigInt(m[1] + digits);
    if (v >= -9223372036854775808n && v <= 9223372036854775807n) return tpl([v < 0n ? `(${v})` : v.toString()], 'bigint');
  }
  const real = Number(m[1] + (digits || '0') + (fraction === '.' ? '' : fraction) + exponent);
  return tpl([`CAST('${String(real)}' AS double precision)`], 'double precision');
}

