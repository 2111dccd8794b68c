/**
 * A value meets a column (assigned to it, or compared with it): SQLite applies the column's
 * affinity, PostgreSQL needs the value in the column's type. This records what the later rules and
 * the binder need: the parameter's target column, 0/1 as false/true, 'now' as a timestamp.
 */
import type { Ctx } from '../context';
import { isGroup, isType, isWord, sigNodes, tpl, type Node } from '../nodes';
import type { ResolvedColumn } from '../scope';

export const TIME_FUNCTIONS = new Set(['DATETIME', 'DATE', 'TIME', 'STRFTIME', 'JULIANDAY', 'UNIXEPOCH']);
const NOW_KEYWORDS = new Set(['CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME']);

export function isTimestampType(type: string): boolean {
  return type.startsWith('timestamp');
}

/** Returns true when the value was a single recognised construct. */
export function coerceValue(slice: Node[], col: ResolvedColumn, _ctx: Ctx): boolean {
  const s = sigNodes(slice);
  const type = col.column.type;
  const target = { table: col.table.name, column: col.column.name, type };
  if (s.length === 1 && isType(s[0], 'param')) {
    s[0].note = { ...s[0].note, target };
    return true;
  }
  if (s.length === 1 && isType(s[0], 'number') && type === 'boolean') {
    // SQLite has no boolean type: the registry writes and compares 0/1. Another number is not a
    // boolean (`enabled = 2` is false in SQLite, not true): it stays a number, which PostgreSQL
    // refuses beside a boolean at prepare.
    const n = Number(s[0].text);
    if (n !== 0 && n !== 1) return false;
    s[0].note = { ...s[0].note, replace: n === 1 ? 'true' : 'false' };
    return true;
  }
  if (isTimestampType(type)) {
    if (s.length === 1 && isWord(s[0]) && NOW_KEYWORDS.has(s[0].value)) {
      s[0].note = { ...s[0].note, timestamptz: true };
      return true;
    }
    if (s.length === 2 && isWord(s[0]) && TIME_FUNCTIONS.has(s[0].value) && isGroup(s[1])) {
      s[0].note = { ...s[0].note, timestamptz: true };
      return true;
    }
  }
  return false;
}

/**
 * An assigned expression PostgreSQL will not convert implicitly (text into JSONB, an integer CASE
 * into BOOLEAN, text into TIMESTAMPTZ): wrap it in a CAST to the column type, in place.
 */
export function castAssigned(parent: Node[], slice: Node[], col: ResolvedColumn): void {
  const type = col.column.type;
  if (!['jsonb', 'json', 'boolean', 'bytea'].includes(type) && !isTimestampType(type)) return;
  const s = sigNodes(slice);
  // A literal, NULL, a parameter or a column: PostgreSQL converts those itself. A subquery into a
  // JSON column may give JSON text (a CTE's or FROM subquery's JSON column is text): cast too.
  const subqueryIntoJson = s.length === 1 && isGroup(s[0]) && (type === 'jsonb' || type === 'json');
  if (s.length <= 1 && !subqueryIntoJson) return;
  if (isWord(s[0]) && (TIME_FUNCTIONS.has(s[0].value) || s[0].value.startsWith('JSON'))) return;
  const at = parent.indexOf(slice[0]);
  if (at === -1) return;
  const group: Node = { kind: 'group', items: slice.slice(), start: -1, end: -1 };
  parent.splice(at, slice.length, tpl(['CAST(']), group, tpl([` AS ${type})`]));
}
