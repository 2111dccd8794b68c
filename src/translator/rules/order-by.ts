/**
 * ORDER BY: SQLite puts NULLs first ascending and last descending (PostgreSQL does the opposite),
 * and compares text by bytes: text columns carry COLLATE "C" in the schema, and a text expression
 * that is not a plain column gets it here.
 */
import type { Ctx } from '../context';
import { inferType } from '../infer-type';
import { isType, isWord, nextSig, sigNodes, splitCommas, tpl, trimTrivia, type Node } from '../nodes';
import { isColumnRef } from '../scope';

const END_OF_TERMS = new Set(['LIMIT', 'OFFSET', 'ROWS', 'RANGE', 'GROUPS', 'FETCH', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'RETURNING']);

export function orderBy(nodes: Node[], ctx: Ctx): Node[] {
  const collateAllowed = !nodes.some((n) => isWord(n, 'DISTINCT', 'UNION', 'EXCEPT', 'INTERSECT'));
  for (let i = 0; i < nodes.length; i++) {
    if (!isWord(nodes[i], 'ORDER') || !isWord(nodes[nextSig(nodes, i)], 'BY')) continue;
    const from = nextSig(nodes, i) + 1;
    let to = from;
    while (to < nodes.length && !(isWord(nodes[to]) && END_OF_TERMS.has((nodes[to] as { value: string }).value)) && !isType(nodes[to], 'semi')) to++;
    const terms = splitCommas(nodes.slice(from, to)).map((t) => orderTerm(t, ctx, collateAllowed));
    const rewritten: Node[] = [];
    terms.forEach((t, k) => rewritten.push(...(k > 0 ? [tpl([','])] : []), ...t));
    const trailing = nodes.slice(from, to).length > 0 && !sigNodes([nodes[to - 1]]).length ? [tpl([' '])] : [];
    nodes = [...nodes.slice(0, from), ...rewritten, ...trailing, ...nodes.slice(to)];
    i = from + rewritten.length;
  }
  return nodes;
}

function orderTerm(term: Node[], ctx: Ctx, collateAllowed: boolean): Node[] {
  const t = trimTrivia(term);
  const s = sigNodes(t);
  if (s.length === 0) return term;
  if (s.some((n) => isWord(n, 'NULLS'))) return [tpl([' ']), ...t];
  let exprEnd = t.length;
  let desc = false;
  const last = s[s.length - 1];
  if (isWord(last, 'ASC', 'DESC')) {
    desc = last.value === 'DESC';
    exprEnd = t.lastIndexOf(last);
  }
  const expr = trimTrivia(t.slice(0, exprEnd));
  const hasCollate = expr.some((n) => isWord(n, 'COLLATE') || (n.kind === 'tpl' && n.parts.some((p) => typeof p === 'string' && p.includes('COLLATE'))));
  const ordinal = expr.length === 1 && isType(expr[0], 'number');
  const collate = collateAllowed && !hasCollate && !ordinal && !isColumnRef(expr) && inferType(expr, ctx) === 'text';
  return [
    tpl([' ']),
    ...expr,
    ...(collate ? [tpl([' COLLATE "C"'])] : []),
    tpl([desc ? ' DESC NULLS LAST' : exprEnd < t.length ? ' ASC NULLS FIRST' : ' NULLS FIRST']),
  ];
}
