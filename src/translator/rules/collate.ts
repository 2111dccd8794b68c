/**
 * COLLATE NOCASE folds ASCII case (only): compare both sides with A-Z folded to a-z. COLLATE BINARY is PostgreSQL's
 * "C" collation. RTRIM has no equivalent.
 */
import { fail, type Ctx } from '../context';
import { isOp, isType, isWord, nextSig, prevSig, tpl, type Node } from '../nodes';
import { primaryEnd, primaryStart } from './json-arrows';
import { asciiLower } from './text-functions';

const COMPARE = ['=', '==', '!=', '<>', '<', '<=', '>', '>='];

export function collate(nodes: Node[], ctx: Ctx): Node[] {
  for (let i = 0; i < nodes.length; i++) {
    if (!isWord(nodes[i], 'COLLATE')) continue;
    const nameAt = nextSig(nodes, i);
    const name = nodes[nameAt];
    const value = isType(name, 'qident') ? name.value.toUpperCase() : isWord(name) ? name.value : '';
    if (value === 'BINARY') {
      nodes = [...nodes.slice(0, i), tpl(['COLLATE "C"']), ...nodes.slice(nameAt + 1)];
      continue;
    }
    if (value !== 'NOCASE') fail(ctx, `COLLATE ${value || '?'}`, 'only BINARY and NOCASE collations are supported.');
    const end = prevSig(nodes, i);
    const start = primaryStart(nodes, end);
    nodes = [...nodes.slice(0, start), tpl(asciiLower([nodes.slice(start, end + 1)]), 'text'), ...nodes.slice(nameAt + 1)];
    i = start;
    // The collation applies to the whole comparison: fold the other side too.
    const before = prevSig(nodes, start);
    if (isOp(nodes[before], ...COMPARE)) {
      const otherEnd = prevSig(nodes, before);
      const otherStart = primaryStart(nodes, otherEnd);
      nodes = [...nodes.slice(0, otherStart), tpl(asciiLower([nodes.slice(otherStart, otherEnd + 1)]), 'text'), ...nodes.slice(otherEnd + 1)];
      i = otherStart;
    } else {
      const after = nextSig(nodes, start);
      if (isOp(nodes[after], ...COMPARE)) {
        const otherAt = nextSig(nodes, after);
        if (otherAt !== -1) {
          const otherEnd = primaryEnd(nodes, otherAt);
          nodes = [...nodes.slice(0, otherAt), tpl(asciiLower([nodes.slice(otherAt, otherEnd + 1)]), 'text'), ...nodes.slice(otherEnd + 1)];
        }
      }
    }
  }
  return nodes;
}
