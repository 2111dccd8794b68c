/**
 * A subquery in FROM / JOIN without an alias gets one: SQLite (and PostgreSQL from 16 on) accept
 * `FROM (SELECT ...)`, PostgreSQL 14 and 15 refuse it ("subquery in FROM must have an alias").
 * The alias changes no result name: SQLite names the columns of such a subquery by themselves.
 */
import type { Ctx } from '../context';
import { isGroup, isWord, nextSig, prevSig, sigNodes, tpl, type Node } from '../nodes';
import { isName } from '../scope';

export function subqueryAlias(nodes: Node[], _ctx: Ctx): Node[] {
  let count = 0;
  return nodes.flatMap((n, i) => {
    if (!isGroup(n) || !isWord(sigNodes(n.items)[0], 'SELECT', 'VALUES', 'WITH')) return [n];
    if (!isWord(nodes[prevSig(nodes, i)], 'FROM', 'JOIN')) return [n];
    const after = nodes[nextSig(nodes, i)];
    if (isWord(after, 'AS') || isName(after)) return [n];
    count += 1;
    return [n, tpl([` AS sra_subquery_${count}`])];
  });
}
