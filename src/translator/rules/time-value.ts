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
    t = ["(timestamp '1970-01-01' + (", value, " - 2440587.5) * interval '1 day')"]; // a Julian day number
  else if (isTimestampType(resolveColumn(value, ctx.scope)?.column.type ?? '')) t = ['(', value, " AT TIME ZONE 'UTC')"];
  else {
    castParam(value, 'text');
    t = ['CAST(', value, ' AS timestamp)']; // SQLite's text formats; a trailing Z is UTC anyway
  }
  for (const m of modifiers) t = applyModifier(t, m, ctx, fn);
  return { parts: t, plainNow: (value === undefined || literal?.toLowerCase() === 'now') && modifiers.length === 0 };
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
  if (amount && UNITS.includes(amount[2])) return ['(', ...t, ` + interval '${amount[1]} ${amount[2]}')`];
  const start = /^start of (day|month|year)$/.exec(mod);
  if (start) return [`date_trunc('${start[1]}', `, ...t, ')'];
  if (mod === 'unixepoch' || mod === 'utc') return t; // unixepoch is read with the value; values are UTC already
  if (mod === 'localtime') fail(ctx, `${fn}(..., 'localtime')`, 'the server has no notion of the engine host\'s local time zone; values are UTC. Convert in the application, or add an override.');
  return fail(ctx, `${fn} modifier '${text}'`, 'only ±N years/months/days/hours/minutes/seconds, start of day/month/year, unixepoch and utc are supported.');
}
