/**
 * How SQLite turns values into text and text into numbers, as PostgreSQL expressions: the text of
 * a REAL, the numeric prefix of a text, the text of a number or a boolean for text functions.
 */
import type { Ctx } from '../context';
import { inferType, isRealType, MIXED_NUMERIC } from '../infer-type';
import { isSig, isType, tpl, type Node, type Tpl } from '../nodes';
import type { Parts } from './call';
import { resolveColumn } from '../scope';
import type { TimestampFormat } from '../../schema/catalog';

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

/** A value as SQLite's text functions read it: numbers and JSON as their text, 0/1 for booleans. */
export function asText(x: Node[], ctx: Ctx): Parts {
  // A bound value is sent as the text SQLite gives it (a number as its REAL text, see values-params).
  const only = x.filter(isSig);
  if (only.length === 1 && isType(only[0], 'param') && !only[0].note?.target && (!only[0].note?.cast || only[0].note.cast === only[0].note.valueType)) {
    only[0].note = { ...only[0].note, cast: 'text' };
    return [x];
  }
  const type = inferType(x, ctx);
  if (type === 'boolean') return ['CAST(CAST(', x, ' AS integer) AS text)'];
  // A NUMERIC column holds an integral value as an INTEGER in SQLite (its text has no '.0').
  if (type === 'numeric' && resolveColumn(x, ctx.scope)?.column.type === 'numeric') {
    return ['CASE WHEN ', x, ' = trunc(', x, ') AND abs(', x, ') < 9223372036854775808 THEN CAST(CAST(', x, ' AS bigint) AS text) ELSE ', ...realAsText([x]), ' END'];
  }
  if (isRealType(type) || type === MIXED_NUMERIC) return realAsText([x]);
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

