/**
 * Unary `+` is no operator in SQLite: `+x` is x, whatever its type (`+ 'a'` is 'a'). PostgreSQL's
 * unary plus wants a number, so the sign is dropped.
 */
import type { Ctx } from '../context';
import { isBinaryArithmetic } from '../infer-type';
import { isOp, isSig, type Node } from '../nodes';

export function unaryPlus(nodes: Node[], _ctx: Ctx): Node[] {
  const s = nodes.filter(isSig);
  let out: Node[] | undefined;
  s.forEach((n, i) => {
    if (!isOp(n, '+') || isBinaryArithmetic(s, i)) return;
    out ??= [...nodes];
    out.splice(out.indexOf(n), 1);
  });
  return out ?? nodes;
}
