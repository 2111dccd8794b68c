/**
 * datetime(), date(), time(), julianday(), unixepoch() and CURRENT_TIMESTAMP/DATE/TIME.
 * SQLite returns TEXT ('YYYY-MM-DD HH:MM:SS', UTC); so do these, unless the value goes into or is
 * compared with a TIMESTAMPTZ column, where a timestamptz is what PostgreSQL needs. 'now' is the
 * adapter's bound value (slot kind 'now'), so one statement sees one instant, on both databases.
 */
import type { Ctx } from '../context';
import { tpl, type Tpl } from '../nodes';
import type { Token } from '../tokenizer';
import type { Call } from './call';
import { sqliteToChar } from './strftime';
import { utcTimestamp } from './time-value';

const TEXT_FORMATS: Record<string, string> = {
  DATETIME: 'YYYY-MM-DD HH24:MI:SS',
  DATE: 'YYYY-MM-DD',
  TIME: 'HH24:MI:SS',
};

export function dateTimeFunction(call: Call, ctx: Ctx): Tpl {
  const [value, ...modifiers] = call.args;
  const t = utcTimestamp(value, modifiers, ctx, call.name.toLowerCase());
  if (call.name === 'JULIANDAY') return tpl(['CAST(extract(epoch from ', ...t.parts, ') / 86400.0 + 2440587.5 AS double precision)'], 'double precision');
  if (call.name === 'UNIXEPOCH') return tpl(['CAST(floor(extract(epoch from ', ...t.parts, ')) AS bigint)'], 'bigint');
  if (call.word.note?.timestamptz) {
    // SQLite's text has whole seconds: the timestamp keeps exactly the instant SQLite stores.
    if (t.plainNow && call.name === 'DATETIME') return tpl(["date_trunc('second', ", { kind: 'now' }, ')'], 'timestamp with time zone');
    const trunc = [`date_trunc('${call.name === 'DATE' ? 'day' : 'second'}', `, ...t.parts, ')'];
    return tpl(['(', ...trunc, " AT TIME ZONE 'UTC')"], 'timestamp with time zone');
  }
  // 'now' is never before year 1: the plain to_char.
  if (t.plainNow) return tpl(['to_char(', ...t.parts, `, '${TEXT_FORMATS[call.name]}')`], 'text');
  return tpl(sqliteToChar(t.parts, TEXT_FORMATS[call.name]!), 'text');
}

/** CURRENT_TIMESTAMP and friends: SQLite's are UTC text, like datetime('now'). */
export function currentTime(word: Token, _ctx: Ctx): Tpl {
  if (word.note?.timestamptz) return tpl(["date_trunc('second', ", { kind: 'now' }, ')'], 'timestamp with time zone');
  const format = word.value === 'CURRENT_DATE' ? TEXT_FORMATS.DATE : word.value === 'CURRENT_TIME' ? TEXT_FORMATS.TIME : TEXT_FORMATS.DATETIME;
  return tpl(['to_char((', { kind: 'now' }, ` AT TIME ZONE 'UTC'), '${format}')`], 'text');
}
