/** SQLite's text functions: substr() positions, ASCII-only case folding, numbers read as text. */
import type { Ctx } from '../context';
import { inferType } from '../infer-type';
import { isType, tpl, type Node, type Tpl } from '../nodes';
import { asWritten, castParam, renamed, type Call, type Parts } from './call';
import { asText } from './sqlite-values';

/** INSTR(a, b) is strpos(a, b); numbers are searched as their text, as in SQLite. */
export function instr(call: Call, ctx: Ctx): Tpl {
  for (const a of call.args) castParam(a, 'text');
  if (call.args.length !== 2) return renamed(call, 'strpos', 'integer');
  return tpl(['strpos(', ...asText(call.args[0], ctx), ', ', ...asText(call.args[1], ctx), ')'], 'integer');
}

/** Text functions: a parameter argument is text; a non-text column is read as its text. */
export function textFunction(call: Call, ctx: Ctx): Tpl {
  const name = call.name === 'SUBSTRING' ? 'substr' : call.name.toLowerCase();
  // A blob (a value bound as a Buffer too) before any cast: its substr is a blob.
  const lone = call.args[0]?.filter((n) => n.kind !== 'token' || (n.type !== 'ws' && n.type !== 'comment'));
  const boundBlob = lone?.length === 1 && isType(lone[0], 'param') && lone[0].note?.valueClass === 'b' ? lone[0] : undefined;
  const blob = name === 'substr' && call.args[0] !== undefined && (boundBlob !== undefined || inferType(call.args[0], ctx) === 'bytea');
  if (blob && boundBlob) boundBlob.note = { ...boundBlob.note, cast: 'bytea' };
  call.args.forEach((a, i) => castParam(a, name === 'substr' && i > 0 ? 'bigint' : blob ? 'bytea' : 'text'));
  const type = call.name === 'LENGTH' ? 'integer' : 'text';
  const [first, ...rest] = call.args;
  // A blob's substr counts bytes and is a blob; an empty blob gives NULL in SQLite.
  if (blob && first && rest.length > 0 && rest.length <= 2) return tpl(['CASE WHEN length(', first, ') = 0 THEN NULL ELSE ', ...sqliteSubstr([first], rest[0]!, rest[1], 'length'), ' END'], 'bytea');
  const text = first ? asText(first, ctx) : [];
  if (name === 'substr' && rest.length > 0 && rest.length <= 2) {
    return tpl(sqliteSubstr(text, rest[0], rest[1]), 'text');
  }
  if (text.length === 1 && text[0] === first) return renamed(call, name, type);
  return tpl([`${name}(`, ...text, ...rest.flatMap((a) => [', ', a]), ')'], type);
}

/** replace(x, y, z) with an empty y is x in SQLite, whatever z is; PostgreSQL's gives NULL for a NULL z. */
export function replaceText(call: Call, ctx: Ctx): Tpl {
  const replaced = textFunction(call, ctx);
  const [x, y] = call.args;
  if (!x || !y || call.args.length !== 3) return replaced;
  return tpl(['CASE WHEN CAST(', y, " AS text) = '' THEN ", ...asText(x, ctx), ' ELSE ', replaced, ' END'], 'text');
}

/**
 * substr(x, start[, length]) as SQLite counts: a negative start counts from the end, start 0 is
 * the position before the first character, a negative length takes the characters before start.
 * P is SQLite's start as a 1-based position (PostgreSQL's substr clips positions before 1 the same
 * way); with a negative length, k characters end just before P.
 */
function sqliteSubstr(x: Parts, startArg: Node[], lengthArg: Node[] | undefined, lengthFn = 'char_length'): Parts {
  const positive = (a: Node[] | undefined): boolean => a !== undefined && a.length === 1 && isType(a[0], 'number') && Number(a[0].text) >= 1 && /^\d+$/.test(a[0].text);
  if (positive(startArg) && (lengthArg === undefined || positive(lengthArg))) return ['substr(', ...x, ', ', startArg, ...(lengthArg ? [', ', lengthArg] : []), ')'];
  const start: Parts = ['(', startArg, ')'];
  const p: Parts = ['CASE WHEN ', ...start, ' < 0 THEN ', ...start, ` + ${lengthFn}(`, ...x, ') + 1 ELSE ', ...start, ' END'];
  if (lengthArg === undefined) return ['substr(', ...x, ', CAST(', ...p, ' AS integer))'];
  const length: Parts = ['(', lengthArg, ')'];
  const k: Parts = ['CASE WHEN ', ...length, ' < 0 THEN GREATEST(LEAST(-', ...length, ', ', ...p, ' - 1), 0) ELSE 0 END'];
  return ['substr(', ...x, ', CAST(', ...p, ' - (', ...k, ') AS integer), CAST(CASE WHEN ', ...length, ' < 0 THEN ', ...k, ' ELSE ', ...length, ' END AS integer))'];
}

const ASCII_LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ASCII_UPPER = ASCII_LOWER.toUpperCase();

/** SQLite's lower(): ASCII letters only (PostgreSQL's folds every letter of the collation). */
export function asciiLower(x: Parts): Parts {
  return ['translate(', ...x, `, '${ASCII_UPPER}', '${ASCII_LOWER}')`];
}

/** upper()/lower() fold ASCII letters only, as SQLite's do. */
export function caseFold(call: Call, ctx: Ctx): Tpl {
  const [x] = call.args;
  if (!x || call.args.length !== 1) return asWritten(call, 'text');
  castParam(x, 'text');
  const text = asText(x, ctx);
  if (call.name === 'LOWER') return tpl(asciiLower(text), 'text');
  return tpl(['translate(', ...text, `, '${ASCII_LOWER}', '${ASCII_UPPER}')`], 'text');
}

