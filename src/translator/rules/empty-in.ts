/**
 * `x IN ()` is legal in SQLite (an application building the list from an empty array) and is false
 * for every x, NULL included; `x NOT IN ()` is true. PostgreSQL rejects the empty list; comparing
 * with an empty array (`= ANY ('{}')`, `<> ALL ('{}')`) gives exactly those answers, the array
 * taking x's type.
 */
import type { Ctx } from '../context';
import { isGroup, isOp, isSig, isWord, nextSig, prevSig, tpl, type Node } from '../nodes';
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
    // IN binds as = does, from the left: `1 = 1 IN ()` is `(1 = 1) IN ()`.
    let start = from - operandBefore(nodes, from).length;
    for (let p = prevSig(nodes, start); p !== -1 && isOp(nodes[p], '=', '==', '!=', '<>', '<', '<=', '>', '>='); p = prevSig(nodes, start)) start = p - operandBefore(nodes, p).length;
    const left = start < from - operandBefore(nodes, from).length ? [tpl(['(', nodes.slice(start, from), ')'])] : nodes.slice(start, from);
    nodes = [...nodes.slice(0, start), ...left, tpl([negated ? " <> ALL ('{}') " : " = ANY ('{}') "]), ...nodes.slice(listAt + 1)];
  }
  return nodes;
}
