/**
 * COLLATE NOCASE folds the 26 ASCII letters only ('Ä' and 'ä' stay different): both sides are
 * folded with translate() (see text-functions' asciiLower), not lower(), which folds every letter. COLLATE BINARY is PostgreSQL's
 * "C" collation. RTRIM has no equivalent.
 */
import { fail, type Ctx } from '../context';
import { isOp, isType, isWord, nextSig, prevSig, tpl, type Node } from '../nodes';
import { primaryEnd, primaryStart } from './json-arrows';
import { asciiLower } from './text-functions';

const COMPARE = ['=', '==', '!=', '<>', '<', '<=', '>', '>='];

/** The expression from start to the collation name at nameAt is a whole select-list item. */
function isResultColumn(nodes: Node[], start: number, nameAt: number): boolean {
  const before = nodes[prevSig(nodes, start)];
  const after = nodes[nextSig(nodes, nameAt)];
  const ends = after === undefined || isType(after, 'comma') || isWord(after, 'FROM', 'AS', 'WHERE', 'GROUP', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT');
  if (!ends) return false;
  if (isWord(before, 'SELECT', 'DISTINCT', 'ALL')) return true;
  if (!isType(before, 'comma')) return false;
  for (let j = start - 1; j >= 0; j--) {
    if (isWord(nodes[j], 'SELECT')) return true;
    if (isWord(nodes[j], 'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'BY', 'SET', 'VALUES', 'ON', 'RETURNING')) return false;
  }
  return false;
}

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
    if (isResultColumn(nodes, start, nameAt)) {
      // `SELECT v COLLATE NOCASE`: a collation changes comparisons, never the value returned.
      nodes = [...nodes.slice(0, i), ...nodes.slice(nameAt + 1)];
      i = start;
      continue;
    }
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
