/**
 * strftime(format, value, modifiers...): SQLite's % conversions become one to_char() format (with
 * literal text double-quoted), and the conversions to_char lacks (%s, %w, %J) become expressions.
 * The format must be a literal: converting a format known only at run time is not supported.
 */
import { fail, quoteLiteral, type Ctx } from '../context';
import { tpl, type Tpl } from '../nodes';
import { stringLiteral, type Call, type Parts } from './call';
import { utcTimestamp } from './time-value';

const TO_CHAR: Record<string, string> = {
  Y: 'YYYY', m: 'MM', d: 'DD', H: 'HH24', M: 'MI', S: 'SS', f: 'SS.MS', j: 'DDD', F: 'YYYY-MM-DD', T: 'HH24:MI:SS',
};

/**
 * to_char(t, pattern) with SQLite's year: before year 1 SQLite prints the astronomical year with
 * its sign in 4 digits (`-4713` for 4714 BC, `-0003` for 4 BC, `0000` for 1 BC), to_char the BC year (`4714`). Each YYYY of the
 * pattern becomes that year.
 */
export function sqliteToChar(t: Parts, pattern: string): Parts {
  const segments = pattern.split('YYYY');
  if (segments.length === 1) return ['to_char(', ...t, `, ${quoteLiteral(pattern)})`];
  const year: Parts = [
    '(CASE WHEN extract(year from ', ...t, ') > 0 THEN to_char(', ...t, ", 'YYYY') WHEN extract(year from ", ...t,
    ") = -1 THEN '0000' ELSE '-' || lpad(CAST(-1 - CAST(extract(year from ", ...t, ") AS integer) AS text), 4, '0') END)",
  ];
  const out: Parts = ['('];
  segments.forEach((seg, i) => {
    if (i > 0) out.push(...(out.length > 1 ? [' || '] : []), ...year);
    if (seg) out.push(...(out.length > 1 ? [' || '] : []), 'to_char(', ...t, `, ${quoteLiteral(seg)})`);
  });
  out.push(')');
  return out;
}

export function strftime(call: Call, ctx: Ctx): Tpl {
  const [formatArg, value, ...modifiers] = call.args;
  const format = stringLiteral(formatArg);
  if (format === undefined) fail(ctx, 'strftime() with a non-literal format', 'write the format as a string literal.');
  const time = utcTimestamp(value, modifiers, ctx, 'strftime');
  const t = time.parts;
  const pieces: Parts[] = [];
  let pattern = '';
  const flush = (): void => {
    // 'now' is never before year 1: the plain to_char.
    if (pattern) pieces.push(time.plainNow ? ['to_char(', ...t, `, ${quoteLiteral(pattern)})`] : sqliteToChar(t, pattern));
    pattern = '';
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      pattern += `"${c === '"' || c === '\\' ? '\\' + c : c}"`; // literal text, quoted for to_char
      continue;
    }
    const spec = format[++i];
    if (spec === '%') pattern += '"%"';
    else if (spec !== undefined && TO_CHAR[spec]) pattern += TO_CHAR[spec];
    else if (spec === 's' || spec === 'w' || spec === 'J') {
      flush();
      if (spec === 's') pieces.push(['CAST(CAST(floor(extract(epoch from ', ...t, ')) AS bigint) AS text)']);
      if (spec === 'w') pieces.push(['CAST(CAST(extract(dow from ', ...t, ') AS integer) AS text)']);
      if (spec === 'J') pieces.push(['CAST(CAST(extract(epoch from ', ...t, ') / 86400.0 + 2440587.5 AS double precision) AS text)']);
    } else fail(ctx, `strftime('%${spec ?? ''}')`, 'supported conversions are %Y %m %d %H %M %S %f %j %s %w %J %F %T %%.');
  }
  flush();
  if (pieces.length === 0) return tpl(["''"], 'text');
  const parts: Parts = ['('];
  pieces.forEach((p, i) => parts.push(...(i > 0 ? [' || '] : []), ...p));
  parts.push(')');
  // Into or against a TIMESTAMPTZ column: the instant the text names (SQLite's text is UTC).
  if (call.word.note?.timestamptz) return tpl(['(CAST(', ...parts, " AS timestamp) AT TIME ZONE 'UTC')"], 'timestamp with time zone');
  return tpl(parts, 'text');
}
