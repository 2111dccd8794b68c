/** SQLite's `a IS b` / `a IS NOT b` compare NULL-safely with any value: IS [NOT] DISTINCT FROM. */
import type { Ctx } from '../context';
import { isWord, nextSig, type Node } from '../nodes';

export function isDistinct(nodes: Node[], _ctx: Ctx): Node[] {
  for (let i = 0; i < nodes.length; i++) {
    const is = nodes[i];
    if (!isWord(is, 'IS')) continue;
    let j = nextSig(nodes, i);
    const not = isWord(nodes[j], 'NOT') ? nodes[j] : undefined;
    if (not) j = nextSig(nodes, j);
    if (isWord(nodes[j], 'NULL', 'TRUE', 'FALSE', 'DISTINCT', 'UNKNOWN')) continue;
    is.note = { ...is.note, replace: not ? 'IS DISTINCT FROM' : 'IS NOT DISTINCT FROM' };
    if (isWord(not)) not.note = { ...not.note, replace: '' };
  }
  return nodes;
}
