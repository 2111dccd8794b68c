/**
 * A comparison is a number in SQLite (1, 0 or NULL), so it can be compared again: `a = b = c` is
 * `(a = b) = c`, and `(x > 1) = 1` compares that number. PostgreSQL's comparisons are booleans,
 * not associative (`a = b = c` is a syntax error there) and a boolean does not compare with a
 * number: the inner comparison becomes CAST(... AS integer), left to right as SQLite groups them.
 * A BOOLEAN column compared with a number is left to the column's own rule (0/1 as false/true).
 */
import type { Ctx } from '../context';
import { inferType } from '../infer-type';
import { isOp, isWord, prevSig, tpl, trimTrivia, type Node } from '../nodes';
import { resolveColumn } from '../scope';
import { operandAfter, operandBefore } from './comparisons';

const COMPARE_OPS = ['=', '==', '!=', '<>', '<', '<=', '>', '>='];

function asInteger(operand: Node[]): Node {
  return tpl(['CAST((', operand, ') AS integer)'], 'integer');
}

/** A boolean that is not a BOOLEAN column nor a bare parameter: the value of a comparison. */
function isComparisonValue(operand: Node[], ctx: Ctx): boolean {
  const t = trimTrivia(operand);
  if (t.length === 0 || resolveColumn(t, ctx.scope)) return false;
  if (t.length === 1 && t[0].kind === 'token' && t[0].type === 'param') return false;
  // `0 > 1 NOTNULL` is `(0 > 1) NOTNULL` in both: IS, ISNULL and NOTNULL bind more loosely than
  // the ordering operators in PostgreSQL as in SQLite, so such an operand is not one value here.
  if (t.some((n) => isWord(n, 'IS', 'ISNULL', 'NOTNULL'))) return false;
  return inferType(t, ctx) === 'boolean';
}

export function comparisonChains(input: Node[], ctx: Ctx): Node[] {
  let nodes = input;
  for (let i = 0; i < nodes.length; i++) {
    if (!isOp(nodes[i], ...COMPARE_OPS)) continue;
    const left = operandBefore(nodes, i);
    const leftStart = i - left.length;
    const before = prevSig(nodes, leftStart);
    if (before !== -1 && isOp(nodes[before], ...COMPARE_OPS)) {
      // `a = b = c`: the comparison ending here is the left operand of this one.
      const first = operandBefore(nodes, before);
      const start = before - first.length;
      const chained = trimTrivia(nodes.slice(start, i));
      const at = nodes.indexOf(chained[0], start);
      nodes = [...nodes.slice(0, at), asInteger(chained), ...nodes.slice(at + chained.length)];
      i = at;
      continue;
    }
    const right = operandAfter(nodes, i);
    const leftBool = isComparisonValue(left, ctx);
    const rightBool = isComparisonValue(right, ctx);
    if (leftBool === rightBool) continue; // two comparisons compare as booleans do: 0/1 alike
    if (rightBool) {
      const r = trimTrivia(right);
      const at = nodes.indexOf(r[0], i + 1);
      nodes = [...nodes.slice(0, at), asInteger(r), ...nodes.slice(at + r.length)];
    } else {
      const l = trimTrivia(left);
      const at = nodes.indexOf(l[0], leftStart);
      nodes = [...nodes.slice(0, at), asInteger(l), ...nodes.slice(at + l.length)];
      i = at + 1;
    }
  }
  return nodes;
}
