/**
 * A value bound compared with a JSON or TIMESTAMP column, in a translation specialised to the
 * values bound. SQLite declares those columns JSON and TIMESTAMP, which have NUMERIC affinity,
 * and holds text in them (JSON text, `YYYY-MM-DD HH:MM:SS`); PostgreSQL holds jsonb and
 * timestamptz. SQLite's comparison (https://sqlite.org/datatype3.html, comparison affinity):
 * - a number bound: no conversion; the column's text is above every number (NULL where the
 *   column is NULL, except for IS);
 * - a text bound: the column's numeric affinity makes it a number when it reads as one ('12',
 *   ' 1.5 '), which is then below the column's text; any other text is compared with the column's
 *   text by byte (jsonb's text minified, the timestamp as the text the column held). A timestamp
 *   bound in exactly the column's own form is compared as a time, which an index serves and which
 *   gives the same answer (the column's text is cut to milliseconds: a range of one millisecond).
 * - a Buffer bound: above every text (param-classes.ts); NULL: the comparison is NULL.
 * Which case applies is known only from the value: the value layer sends each form of it to its own
 * `$n`, NULL where the form does not apply (TEXT_NOT_NUMBER, TIMESTAMP_TEXT_SQLITE/ISO), and a CASE
 * picks the branch; with the values known PostgreSQL folds the CASE to one branch.
 */
import type { Ctx } from '../context';
import { isWord, sigNodes, tpl, type Node } from '../nodes';
import { resolveColumn } from '../scope';
import type { Token } from '../tokenizer';
import { TEXT_NOT_NUMBER, TIMESTAMP_TEXT_ISO, TIMESTAMP_TEXT_SQLITE } from '../types';
import { jsonAsText, timestampAsText } from './sqlite-values';
import type { Parts } from './call';

const COLLATE_C = ' COLLATE "C"';

/** The column's PostgreSQL type when SQLite holds text in it under NUMERIC affinity (JSON, TIMESTAMP). */
export function textStoredType(other: Node[], ctx: Ctx): string | undefined {
  const type = resolveColumn(other, ctx.scope)?.column.type;
  return type === 'jsonb' || type === 'json' || type?.startsWith('timestamp') ? type : undefined;
}

/** The answer of `text-of-column op number` (the column's side is above): true/false. */
function columnAbove(op: string, paramLeft: boolean): boolean {
  const sign = paramLeft ? -1 : 1;
  switch (op) {
    case '=': return false;
    case '<>': return true;
    case '<': return sign < 0;
    case '<=': return sign < 0;
    case '>': return sign > 0;
    default: return sign > 0;
  }
}

/** `op` as PostgreSQL writes it ('IS', 'IS NOT' apart). */
function plainOp(op: Token): string {
  return op.text === '==' ? '=' : op.text === '!=' ? '<>' : op.text;
}

/** A copy of the parameter token sent in another form (its own `$n`, see SlotTable). */
function formOf(param: Token, ctx: Ctx, type: string, cast: string, at: { table: string; column: string }): Token {
  const source = ctx.params.sources.get(param);
  const copy: Token = { ...param, note: { ...param.note, target: { ...at, type }, cast, valueSensitive: true } };
  if (source) ctx.params.sources.set(copy, source);
  return copy;
}

/**
 * `left op right` where one side is a lone parameter of class `cls` and the other a JSON or
 * TIMESTAMP column: the node that replaces the comparison, or undefined (a blob or NULL bound).
 */
export function textStoredComparison(op: Token, isNot: boolean, param: Token, paramLeft: boolean, other: Node[], cls: string, ctx: Ctx): Node | undefined {
  const col = resolveColumn(other, ctx.scope);
  if (!col) return undefined;
  const type = col.column.type;
  const column = sigNodes(other);
  const is = isWord(op, 'IS');
  const o = is ? '' : plainOp(op);
  // The answer where the value is a number: the column's text is above it.
  const numberAnswer = is ? (isNot ? 'true' : 'false') : String(columnAbove(o, paramLeft));
  const numberBranch: Parts = is ? [numberAnswer] : ['CASE WHEN ', column, ` IS NULL THEN NULL ELSE ${numberAnswer} END`];
  if (cls === 'i' || cls === 'r' || cls === 'f') return tpl(['(', ...numberBranch, ')'], 'boolean');
  if (cls !== 't') return undefined;
  const timestamp = type.startsWith('timestamp');
  const format = col.column.timestampFormat ?? 'sqlite';
  const columnText: Parts = timestamp ? timestampAsText([column], format, type !== 'timestamp without time zone') : jsonAsText([column]);
  const at = { table: col.table.name, column: col.column.name };
  const text = formOf(param, ctx, TEXT_NOT_NUMBER, 'text', at);
  const textSides: Parts[] = [['(', ...columnText, ')', COLLATE_C], [[text]]];
  if (paramLeft) textSides.reverse();
  const pgOp = is ? (isNot ? 'IS DISTINCT FROM' : 'IS NOT DISTINCT FROM') : o;
  const textBranch: Parts = [...textSides[0]!, ` ${pgOp} `, ...textSides[1]!];
  const branches: Parts = [' WHEN ', [text], ' IS NOT NULL THEN ', ...textBranch, ' ELSE ', ...numberBranch, ' END)'];
  if (!timestamp) return tpl(['(CASE', ...branches], 'boolean');
  const time = formOf(param, ctx, format === 'iso' ? TIMESTAMP_TEXT_ISO : TIMESTAMP_TEXT_SQLITE, type === 'timestamp without time zone' ? 'timestamp' : 'timestamptz', at);
  return tpl(['(CASE WHEN ', [time], ' IS NOT NULL THEN ', ...timeRange(column, time, is ? (isNot ? 'is not' : 'is') : paramLeft ? flip(o) : o), ...branches], 'boolean');
}

/** `a op b` written `b op' a`. */
function flip(op: string): string {
  return op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
}

/**
 * `text-of-column op t` for t, a time in the column's own form (whole milliseconds): the column's
 * text is cut to milliseconds, so it is `t` for every time in [t, t + 1 ms).
 */
function timeRange(column: Node[], time: Token, op: string): Parts {
  const next: Parts = ['(', [time], " + interval '1 millisecond')"];
  const within: Parts = ['(', column, ' >= ', [time], ' AND ', column, ' < ', ...next, ')'];
  switch (op) {
    case '<': return [column, ' < ', [time]];
    case '>=': return [column, ' >= ', [time]];
    case '<=': return [column, ' < ', ...next];
    case '>': return [column, ' >= ', ...next];
    case '=': return within;
    case '<>': return ['NOT ', ...within];
    case 'is': return ['COALESCE(', ...within, ', false)'];
    default: return ['NOT COALESCE(', ...within, ', false)'];
  }
}
