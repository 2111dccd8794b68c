/**
 * A JSON column of a subquery in FROM or of a CTE is SQLite's stored text to the query around it:
 * sorted, compared and grouped by byte. It leaves the subquery as that text (see jsonAsText),
 * COLLATE "C", under its own name; jsonb would sort and compare by value in its own order.
 * Compound subqueries keep their JSON (every branch would need it).
 */
import type { Ctx } from '../context';
import { quoteIdent } from '../context';
import { inferType } from '../infer-type';
import { isGroup, isType, isWord, nextSig, prevSig, sigNodes, tpl, type Group, type Node } from '../nodes';
import { isColumnRef, nameOf, resolveColumn, withLevel } from '../scope';
import { hasAlias, isStar, listItems, resultList } from '../statements/select-list';
import type { Token } from '../tokenizer';
import { jsonAsText } from './sqlite-values';

const FROM_END = ['SELECT', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW', 'RETURNING', 'SET', 'VALUES', 'ON', 'USING'];

export function isQuery(n: Node): n is Group {
  return isGroup(n) && isWord(n.items[nextSig(n.items, -1)], 'SELECT', 'WITH');
}

function commaInFrom(nodes: Node[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    if (isWord(nodes[j], 'FROM', 'JOIN')) return true;
    if (isWord(nodes[j]) && FROM_END.includes((nodes[j] as Token).value)) return false;
  }
  return false;
}

/** The group at index i is a FROM subquery or the body of a CTE (`name AS (...)` in WITH). */
export function isDerivedTable(nodes: Node[], i: number): boolean {
  const p = prevSig(nodes, i);
  if (isWord(nodes[p], 'FROM', 'JOIN') || (isType(nodes[p], 'comma') && commaInFrom(nodes, p))) return true;
  return isWord(nodes[p], 'AS') && nodes.slice(0, p).some((n) => isWord(n, 'WITH'));
}

function jsonItemsAsText(group: Group, ctx: Ctx): Group | undefined {
  const items = group.items;
  if (items.some((n) => isWord(n, 'UNION', 'EXCEPT', 'INTERSECT'))) return undefined;
  const range = resultList(items);
  if (!range) return undefined;
  let out: Node[] | undefined;
  for (const item of listItems(items, range)) {
    if (isStar(item)) continue;
    const s = sigNodes(item);
    const aliased = hasAlias(item);
    const expr = aliased ? s.slice(0, isWord(s[s.length - 2], 'AS') ? -2 : -1) : s;
    if (expr.length === 0 || expr.some((n) => n.kind === 'tpl' && n.jsonScalar)) continue;
    const type = inferType(expr, ctx);
    if (type !== 'jsonb' && type !== 'json') continue;
    const col = !aliased && isColumnRef(expr) ? resolveColumn(expr, ctx.scope) : undefined;
    const name = !aliased && isColumnRef(expr) ? ` AS ${quoteIdent(col ? col.column.name : nameOf(expr[expr.length - 1] as Token))}` : '';
    out ??= [...items];
    const at = out.indexOf(expr[0]!);
    const end = out.indexOf(expr[expr.length - 1]!);
    if (at === -1 || end < at) continue;
    out.splice(at, end - at + 1, tpl(['(', ...jsonAsText([out.slice(at, end + 1)]), `) COLLATE "C"${name}`], 'text'));
  }
  return out ? { ...group, items: out } : undefined;
}

export function jsonSubqueries(nodes: Node[], ctx: Ctx): Node[] {
  let out: Node[] | undefined;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (!isQuery(n) || !isDerivedTable(nodes, i)) continue;
    // The subquery's items are typed by its own tables.
    const changed = withLevel(ctx, n.items, () => jsonItemsAsText(n, ctx));
    if (!changed) continue;
    out ??= [...nodes];
    out[i] = changed;
  }
  return out ?? nodes;
}
