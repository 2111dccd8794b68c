/** Result columns that are a bare parameter, returned by SQLite exactly as bound. */
import { sigNodes, type Node } from '../nodes';
import { isWordNode } from './result-names';
import { hasAlias, isStar, listItems, resultList } from './select-list';

/**
 * A top-level result column that is exactly a parameter (`SELECT ? AS v`) is returned by SQLite as
 * bound: 5 as 5, 'x' as 'x', a Buffer as a Buffer. PostgreSQL's column has one type, so the
 * parameter is marked to travel tagged with its JS type (ParamSlot.echo) and its position is
 * returned for the row shaper. Not in a compound SELECT, whose other rows are not the parameter.
 */
export function markEchoColumns(nodes: Node[]): number[] {
  if (nodes.some((n) => n.kind === 'token' && n.type === 'word' && ['UNION', 'EXCEPT', 'INTERSECT', 'RETURNING'].includes(n.value))) return [];
  // No result list for a write without RETURNING (the function replace() is no REPLACE statement).
  const range = resultList(nodes);
  if (!range) return [];
  const out: number[] = [];
  for (const [i, item] of listItems(nodes, range).entries()) {
    if (isStar(item)) break; // later positions depend on the expansion
    const s = sigNodes(item);
    const expr = hasAlias(item) ? s.slice(0, isWordNode(s[s.length - 2], 'AS') ? -2 : -1) : s;
    const p = expr[0];
    if (expr.length === 1 && p.kind === 'token' && p.type === 'param') {
      p.note = { ...p.note, echo: true, cast: 'text' };
      out.push(i);
    }
  }
  return out;
}
