/** SQLite's schema name `main.` (the only database the registry has) resolves in the PostgreSQL schema. */
import type { Ctx } from '../context';
import { isOp, isWord, nextSig, type Node } from '../nodes';
import { isName } from '../scope';

export function dropMainQualifier(nodes: Node[], _ctx: Ctx): Node[] {
  for (let i = 0; i < nodes.length; i++) {
    const dot = nextSig(nodes, i);
    if (isWord(nodes[i], 'MAIN') && isOp(nodes[dot], '.') && isName(nodes[nextSig(nodes, dot)])) {
      nodes = [...nodes.slice(0, i), ...nodes.slice(dot + 1)];
    }
  }
  return nodes;
}
