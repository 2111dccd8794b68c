/**
 * Comparisons: a value compared with a column takes the column's type (see value-coercion), and
 * the parameter learns its target column for the binder. Runs on the source tree, before rewrites.
 */
import type { Ctx } from '../context';
import { OPERAND_BOUNDARIES } from '../keywords';
import { isGroup, isOp, isSig, isType, isWord, nextSig, prevSig, sigNodes, splitCommas, type Node } from '../nodes';
import { resolveColumn } from '../scope';
import { coerceValue } from './value-coercion';

const COMPARE_OPS = ['=', '==', '!=', '<>', '<', '<=', '>', '>='];
const COMPARE_WORDS = ['LIKE', 'GLOB', 'REGEXP', 'IS'];

function isBoundary(n: Node): boolean {
  return (
    isType(n, 'comma') ||
    isType(n, 'semi') ||
    isOp(n, ...COMPARE_OPS) ||
    (isWord(n) && (OPERAND_BOUNDARIES.has(n.value) || n.value === 'THEN'))
  );
}

/** The nodes of the operand ending just before index i. */
export function operandBefore(nodes: Node[], i: number): Node[] {
  let j = i - 1;
  while (j >= 0 && (!isSig(nodes[j]) || !isBoundary(nodes[j]))) j--;
  return nodes.slice(j + 1, i);
}

/** The nodes of the operand starting just after index i. */
export function operandAfter(nodes: Node[], i: number, extraStop?: string): Node[] {
  let j = i + 1;
  while (j < nodes.length && (!isSig(nodes[j]) || !(isBoundary(nodes[j]) || isWord(nodes[j], extraStop ?? '')))) j++;
  return nodes.slice(i + 1, j);
}

export function annotateComparisons(nodes: Node[], ctx: Ctx): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (isGroup(n)) annotateComparisons(n.items, ctx);
    else if (isOp(n, ...COMPARE_OPS) || isWord(n, ...COMPARE_WORDS)) {
      const left = operandBefore(nodes, skipNot(nodes, i));
      let at = i;
      if (isWord(n, 'IS') && isWord(nodes[nextSig(nodes, i)], 'NOT')) at = nextSig(nodes, i);
      pair(left, operandAfter(nodes, at), ctx);
    } else if (isWord(n, 'IN')) {
      const list = nodes[nextSig(nodes, i)];
      const col = resolveColumn(operandBefore(nodes, skipNot(nodes, i)), ctx.scope);
      if (col && isGroup(list) && !isWord(list.items[nextSig(list.items, -1)], 'SELECT', 'WITH', 'VALUES')) {
        for (const item of splitCommas(list.items)) coerceValue(item, col, ctx);
      }
    } else if (isWord(n, 'BETWEEN')) {
      const col = resolveColumn(operandBefore(nodes, skipNot(nodes, i)), ctx.scope);
      const low = operandAfter(nodes, i, 'AND');
      const andAt = i + low.length + 1;
      if (col) {
        coerceValue(low, col, ctx);
        if (isWord(nodes[andAt], 'AND')) coerceValue(operandAfter(nodes, andAt), col, ctx);
      }
      i = andAt; // the AND of BETWEEN is not a boundary of the next comparison
    }
  }
}

/** `a NOT LIKE b`: the left operand ends before the NOT. */
function skipNot(nodes: Node[], i: number): number {
  const p = prevSig(nodes, i);
  return p !== -1 && isWord(nodes[p], 'NOT') ? p : i;
}

/** json_extract(...) compared with a number: SQLite compares the JSON number as a number. */
function numericJson(a: Node[], b: Node[]): void {
  const sa = sigNodes(a);
  const sb = sigNodes(b);
  const isNumber = (sb.length === 1 && isType(sb[0], 'number')) || (sb.length === 2 && isOp(sb[0], '-') && isType(sb[1], 'number'));
  if (isNumber && sa.length === 2 && isWord(sa[0], 'JSON_EXTRACT') && isGroup(sa[1])) sa[0].note = { ...sa[0].note, numeric: true };
}

function pair(left: Node[], right: Node[], ctx: Ctx): void {
  numericJson(left, right);
  numericJson(right, left);
  const lcol = resolveColumn(left, ctx.scope);
  if (lcol && coerceValue(right, lcol, ctx)) return;
  const rcol = resolveColumn(right, ctx.scope);
  if (rcol) coerceValue(left, rcol, ctx);
}
