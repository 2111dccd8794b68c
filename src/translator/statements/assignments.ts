/**
 * Values assigned to columns (INSERT values, UPDATE SET, upsert DO UPDATE SET) take the column's
 * type, as SQLite's affinity would make them: see rules/value-coercion.
 */
import { findColumn, type TableInfo } from '../../schema/catalog';
import type { Ctx } from '../context';
import { isOp, isType, isWord, nextSig, sigNodes, splitCommas, trimTrivia, type Group, type Node } from '../nodes';
import { isName, nameOf } from '../scope';
import type { Token } from '../tokenizer';
import { castAssigned, coerceValue } from '../rules/value-coercion';
import { guardStored } from '../rules/stored-class';
import { resultExpr } from './result-names';

const SET_END = ['WHERE', 'FROM', 'RETURNING', 'ORDER', 'LIMIT'];

export function assignValue(parent: Node[], value: Node[], table: TableInfo, column: string, ctx: Ctx, castParams = false): void {
  const col = findColumn(table, column);
  if (!col) return;
  const resolved = { table, column: col };
  const v = trimTrivia(value);
  const recognised = coerceValue(v, resolved, ctx);
  const s = sigNodes(v);
  if (s.length === 1 && isType(s[0], 'param')) s[0].note = { ...s[0].note, store: true, ...(col.noAffinity ? { storeUntyped: true } : {}) };
  if (castParams && s.length === 1 && isType(s[0], 'param')) s[0].note = { ...s[0].note, cast: col.type };
  if (castParams) {
    // An INSERT ... SELECT's item, without its alias: stored as a value assigned is.
    const expr = resultExpr(v);
    const first = expr.length > 0 ? parent.indexOf(expr[0]!) : -1;
    const last = expr.length > 0 ? parent.indexOf(expr[expr.length - 1]!) : -1;
    if (first !== -1 && last >= first && !(expr.length === 1 && isType(expr[0], 'param')) && guardStored(parent, parent.slice(first, last + 1), table, col, ctx, recognised)) return;
  } else if (guardStored(parent, v, table, col, ctx, recognised)) return;
  castAssigned(parent, v, resolved);
}

/** `SET a = x, b = y` starting after index setAt of nodes. */
export function annotateSet(nodes: Node[], setAt: number, table: TableInfo, ctx: Ctx): void {
  let end = setAt + 1;
  while (end < nodes.length && !isWord(nodes[end], ...SET_END)) end++;
  for (const item of splitCommas(nodes.slice(setAt + 1, end))) {
    const eq = item.findIndex((n) => isOp(n, '='));
    const target = sigNodes(item.slice(0, eq));
    const name = target[target.length - 1];
    if (eq === -1 || !isName(name)) continue;
    (item[eq] as Token).note = { ...(item[eq] as Token).note, assignment: true };
    assignValue(nodes, item.slice(eq + 1), table, nameOf(name as Token), ctx);
  }
}

/** Each VALUES row: value i goes into column i. */
export function annotateRows(rows: Group[], columns: string[], table: TableInfo, ctx: Ctx): void {
  for (const row of rows) {
    splitCommas(row.items).forEach((value, i) => {
      if (columns[i] !== undefined) assignValue(row.items, value, table, columns[i], ctx);
    });
  }
}

/** INSERT ... SELECT: PostgreSQL infers nothing from the target, so parameters are cast to the column type. */
export function annotateInsertSelect(nodes: Node[], from: number, to: number, columns: string[], table: TableInfo, ctx: Ctx): void {
  const sel = nodes.findIndex((n, i) => i >= from && i < to && isWord(n, 'SELECT'));
  if (sel === -1) return;
  let end = sel + 1;
  while (end < to && !isWord(nodes[end], 'FROM', 'WHERE', 'GROUP', 'ORDER', 'LIMIT', 'UNION')) end++;
  let start = sel + 1;
  if (isWord(nodes[nextSig(nodes, sel)], 'DISTINCT', 'ALL')) start = nextSig(nodes, sel) + 1;
  splitCommas(nodes.slice(start, end)).forEach((value, i) => {
    if (columns[i] !== undefined) assignValue(nodes, value, table, columns[i], ctx, true);
  });
}
