/**
 * SQLite's date/time functions take a time value and modifiers; PostgreSQL has no such functions.
 * Both become one `timestamp` expression holding UTC (SQLite's date functions work in UTC), built
 * from the value, then each modifier applied in order (https://sqlite.org/lang_datefunc.html).
 */
import { fail, type Ctx } from '../context';
import { isType, type Node } from '../nodes';
import { resolveColumn } from '../scope';
import { castParam, stringLiteral, type Parts } from './call';
import { isTimestampType } from './value-coercion';

const UNITS = ['year', 'month', 'day', 'hour', 'minute', 'second'];

export interface UtcTimestamp {
  parts: Parts;
  /** The value is exactly 'now' with no modifier. */
  plainNow: boolean;
}

export function utcTimestamp(value: Node[] | undefined, modifiers: Node[][], ctx: Ctx, fn: string): UtcTimestamp {
  const literal = stringLiteral(value);
  const unixepoch = modifiers.some((m) => stringLiteral(m)?.trim().toLowerCase() === 'unixepoch');
  let t: Parts;
  if (value === undefined || literal?.toLowerCase() === 'now') t = ['(', { kind: 'now' }, " AT TIME ZONE 'UTC')"];
  else if (unixepoch) t = ['(to_timestamp(CAST(', value, " AS double precision)) AT TIME ZONE 'UTC')"];
  else if (value.length === 1 && isType(value[0], 'number'))
    // A Julian day number, within SQLite's range (years 0000 to 9999); NULL outside it, as SQLite answers.
    t = ['(CASE WHEN ', value, ` BETWEEN 0 AND ${JULIAN_MAX} THEN timestamp '1970-01-01' + (`, value, " - 2440587.5) * interval '1 day' END)"];
  else if (isTimestampType(resolveColumn(value, ctx.scope)?.column.type ?? '')) t = ['(', value, " AT TIME ZONE 'UTC')"];
  else if (literal !== undefined && isPlainDateTime(literal)) t = ['CAST(', value, ' AS timestamp)'];
  else {
    castParam(value, 'text');
    t = sqliteTimeText(['CAST(', value, ' AS text)']);
  }
  for (const m of modifiers) t = applyModifier(t, m, ctx, fn);
  return { parts: t, plainNow: (value === undefined || literal?.toLowerCase() === 'now') && modifiers.length === 0 };
}

const SPACE = '[ \\t\\n\\f\\r]';
const TIME = `([0-9]{2}):([0-9]{2})(?::([0-9]{2}(?:[.][0-9]+)?))?${SPACE}*([Zz]|[+-][0-9]{2}:[0-9]{2})?`;
/** YYYY-MM-DD, then optionally (spaces or T) HH:MM[:SS[.SSS]] and a zone (Z, +HH:MM, -HH:MM). */
const DATE_TIME = `^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:(?:${SPACE}|T)+${TIME})?${SPACE}*$`;
/** HH:MM[:SS[.SSS]] and a zone: on 2000-01-01. */
const TIME_ONLY = `^${TIME}${SPACE}*$`;
/** The last Julian day SQLite's date functions accept (9999-12-31 23:59:59.999); the first is 0. */
const JULIAN_MAX = '5373484.499999';
/** A number: a Julian day. */
const JULIAN = `^${SPACE}*[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?${SPACE}*$`;

/** A literal both read the same way: a real calendar date, an hour below 24, no zone. */
function isPlainDateTime(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(text);
  if (!m) return false;
  const [y, mo, d, h = 0, mi = 0, sec = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= days && h < 24 && mi < 60 && sec < 60;
}

/**
 * A text time value read exactly as SQLite reads it, as a UTC timestamp; NULL for anything else
 * (PostgreSQL's own input also takes 'epoch', 'today', 'infinity', month names...). A day past the
 * month's end rolls over (2024-02-30 is March 1st) and 24:MM is the next day, as in SQLite.
 */
function sqliteTimeText(v: Parts): Parts {
  const field = (re: string, n: number): Parts => ['(regexp_match(', ...v, `, '${re}'))[${n}]`];
  const int = (re: string, n: number): Parts => ['CAST(', ...field(re, n), ' AS integer)'];
  const timeOf = (re: string, first: number): { valid: Parts; value: Parts } => {
    const h = int(re, first);
    const m = int(re, first + 1);
    const sec: Parts = ['COALESCE(CAST(', ...field(re, first + 2), " AS numeric), 0)"];
    const zone: Parts = ['CASE WHEN upper(', ...field(re, first + 3), ") = 'Z' THEN interval '0' ELSE COALESCE(CAST(", ...field(re, first + 3), " AS interval), interval '0') END"];
    return {
      valid: ['COALESCE(', ...h, ', 0) <= 24 AND COALESCE(', ...m, ', 0) <= 59 AND ', ...sec, ' < 60'],
      value: ["COALESCE(", ...h, ", 0) * interval '1 hour' + COALESCE(", ...m, ", 0) * interval '1 minute' + ", ...sec, " * interval '1 second' - (", ...zone, ')'],
    };
  };
  const dt = timeOf(DATE_TIME, 4);
  const tm = timeOf(TIME_ONLY, 1);
  return [
    'CASE WHEN lower(', ...v, ") = 'now' THEN (", { kind: 'now' }, " AT TIME ZONE 'UTC')",
    ' WHEN ', ...v, ` ~ '${DATE_TIME}' AND `, ...int(DATE_TIME, 2), ' BETWEEN 1 AND 12 AND ', ...int(DATE_TIME, 3), ' BETWEEN 1 AND 31 AND ', ...dt.valid,
    ' THEN make_timestamp(', ...int(DATE_TIME, 1), ', ', ...int(DATE_TIME, 2), ", 1, 0, 0, 0) + (", ...int(DATE_TIME, 3), " - 1) * interval '1 day' + ", ...dt.value,
    ' WHEN ', ...v, ` ~ '${TIME_ONLY}' AND `, ...tm.valid, " THEN timestamp '2000-01-01' + ", ...tm.value,
    ' WHEN ', ...v, ` ~ '${JULIAN}' AND CAST(`, ...v, ` AS double precision) BETWEEN 0 AND ${JULIAN_MAX} THEN timestamp '1970-01-01' + (CAST(`, ...v, " AS double precision) - 2440587.5) * interval '1 day'",
    ' END',
  ];
}

function applyModifier(t: Parts, m: Node[], ctx: Ctx, fn: string): Parts {
  const text = stringLiteral(m);
  if (text === undefined) {
    // A modifier computed at run time ('-5 minutes' bound as a parameter): PostgreSQL parses the same text as an interval.
    castParam(m, 'text');
    return ['(', ...t, ' + CAST(', m, ' AS interval))'];
  }
  const mod = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const amount = /^([+-]?\d+(?:\.\d+)?) (year|month|day|hour|minute|second)s?$/.exec(mod);
  if (amount && (amount[2] === 'month' || amount[2] === 'year')) {
    if (!/^[+-]?\d+$/.test(amount[1])) fail(ctx, `${fn} modifier '${text}'`, 'a fraction of a month or year is not supported; use days.');
    // SQLite moves the month and keeps the day, which rolls over (Jan 31 + 1 month is Mar 2 or 3);
    // PostgreSQL's interval would clamp to the month's last day instead.
    const months = Number(amount[1]) * (amount[2] === 'year' ? 12 : 1);
    return ["(date_trunc('month', ", ...t, `) + interval '${months} month' + (`, ...t, " - date_trunc('month', ", ...t, ')))'];
  }
  if (amount && UNITS.includes(amount[2])) return ['(', ...t, ` + interval '${amount[1]} ${amount[2]}')`];
  const start = /^start of (day|month|year)$/.exec(mod);
  if (start) return [`date_trunc('${start[1]}', `, ...t, ')'];
  if (mod === 'unixepoch' || mod === 'utc') return t; // unixepoch is read with the value; values are UTC already
  if (mod === 'localtime') fail(ctx, `${fn}(..., 'localtime')`, 'the server has no notion of the engine host\'s local time zone; values are UTC. Convert in the application, or add an override.');
  return fail(ctx, `${fn} modifier '${text}'`, 'only ±N years/months/days/hours/minutes/seconds, start of day/month/year, unixepoch and utc are supported.');
}
