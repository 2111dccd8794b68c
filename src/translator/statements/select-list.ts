/** The result columns of the top-level SELECT (or RETURNING) of a statement. */
import { isType, isWord, nextSig, sigNodes, splitCommas, type Node } from '../nodes';
import type { Token } from '../tokenizer';

const LIST_END = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW', 'INTO']);

export interface ListRange {
  /** Index of the first node of the list (after SELECT [DISTINCT|ALL] or RETURNING). */
  from: number;
  /** Index after the last node of the list. */
  to: number;
}

/** The select list of the top-level SELECT, or the RETURNING list, in a top-level node list. */
export function resultList(nodes: Node[]): ListRange | undefined {
  const ret = nodes.findIndex((n) => isWord(n, 'RETURNING'));
  if (ret !== -1) return { from: ret + 1, to: nodes.length };
  // A write without RETURNING has no result list (REPLACE only as a statement: `REPLACE INTO`, not
  // the function replace(...)).
  if (nodes.some((n, i) => isWord(n, 'INSERT', 'UPDATE', 'DELETE') || (isWord(n, 'REPLACE') && isWord(nodes[nextSig(nodes, i)], 'INTO')))) return undefined;
  const sel = nodes.findIndex((n) => isWord(n, 'SELECT'));
  if (sel === -1) return undefined;
  return listAfter(nodes, sel);
}

/** The select list after the SELECT at index sel (or the RETURNING list). */
export function listAfter(nodes: Node[], sel: number): ListRange {
  if (isWord(nodes[sel], 'RETURNING')) return { from: sel + 1, to: nodes.length };
  let from = sel + 1;
  const d = nextSig(nodes, sel);
  if (isWord(nodes[d], 'DISTINCT', 'ALL')) from = d + 1;
  let to = from;
  while (to < nodes.length && !(isWord(nodes[to]) && LIST_END.has((nodes[to] as Token).value)) && !isType(nodes[to], 'semi')) to++;
  return { from, to };
}

export function listItems(nodes: Node[], range: ListRange): Node[][] {
  return splitCommas(nodes.slice(range.from, range.to));
}

/** The item has its own name (`expr AS x` or `expr x`). */
export function hasAlias(item: Node[]): boolean {
  const s = sigNodes(item);
  if (s.length < 2) return false;
  const last = s[s.length - 1];
  const before = s[s.length - 2];
  if (isWord(before, 'AS')) return true;
  const lastIsName = isType(last, 'qident') || isType(last, 'string') || (isWord(last) && !['END', 'NULL', 'TRUE', 'FALSE', 'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'ASC', 'DESC', 'ISNULL', 'NOTNULL'].includes(last.value));
  const beforeEndsExpr = !(before.kind === 'token' && (before.type === 'op' || isWord(before, 'COLLATE', 'NOT', 'IS', 'AND', 'OR', 'DISTINCT', 'CASE', 'ELSE', 'THEN', 'WHEN', 'LIKE', 'GLOB')));
  return lastIsName && beforeEndsExpr;
}

export function isStar(item: Node[]): boolean {
  const s = sigNodes(item);
  const last = s[s.length - 1];
  return isType(last, 'op') && last.text === '*' && (s.length === 1 || (s.length === 3 && isType(s[1], 'op') && s[1].text === '.'));
}
