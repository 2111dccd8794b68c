/**
 * `x IN ()` is legal in SQLite (an application building the list from an empty array) and is false
 * for every x, NULL included; `x NOT IN ()` is true. PostgreSQL rejects the empty list; comparing
 * with an empty array (`= ANY ('{}')`, `<> ALL ('{}')`) gives exactly those answers, the array
 * taking x's type.
 */
import type { Ctx } from '../context';
import { isGroup, isSig, isWord, nextSig, prevSig, tpl, type Node } from '../nodes';
import { castParam } from './call';
import { operandBefore } from './comparisons';

export function emptyIn(nodes: Node[], _ctx: Ctx): Node[] {
  for (let i = 0; i < nodes.length; i++) {
    if (!isWord(nodes[i], 'IN')) continue;
    const listAt = nextSig(nodes, i);
    const list = nodes[listAt];
    if (!isGroup(list) || list.items.some(isSig)) continue;
    const notAt = prevSig(nodes, i);
    const negated = isWord(nodes[notAt], 'NOT');
    const from = negated ? notAt : i;
    castParam(operandBefore(nodes, from), 'text'); // `? IN ()`: the array needs a type to take
    nodes = [...nodes.slice(0, from), tpl([negated ? " <> ALL ('{}') " : " = ANY ('{}') "]), ...nodes.slice(listAt + 1)];
  }
  return nodes;
}
