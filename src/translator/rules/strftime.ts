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

export function strftime(call: Call, ctx: Ctx): Tpl {
  const [formatArg, value, ...modifiers] = call.args;
  const format = stringLiteral(formatArg);
  if (format === undefined) fail(ctx, 'strftime() with a non-literal format', 'write the format as a string literal.');
  const t = utcTimestamp(value, modifiers, ctx, 'strftime').parts;
  const pieces: Parts[] = [];
  let pattern = '';
  const flush = (): void => {
    if (pattern) pieces.push(['to_char(', ...t, `, ${quoteLiteral(pattern)})`]);
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
