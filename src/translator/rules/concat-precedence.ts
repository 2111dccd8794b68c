/**
 * `||` binds tighter than every other binary operator in SQLite (`'n=' || 1 + 2` is
 * `('n=' || 1) + 2`), and looser than arithmetic and on a level with `&`, `|`, `<<`, `>>` in
 * PostgreSQL. A `||` chain next to such an operator is put in parentheses, so PostgreSQL groups
 * it as SQLite does. Runs on the source tree: the parentheses are a group the rules then rewrite.
 */
import { isGroup, isOp, isType, isWord, nextSig, prevSig, type Group, type Node } from '../nodes';
import { isName } from '../scope';
import { primaryEnd, primaryStart } from './json-arrows';

const LOOSER = ['*', '/', '%', '+', '-', '&', '|', '<<', '>>'];
const UNARY = ['-', '+', '~'];

/** A node that ends a value (so a following `-` is binary, not a sign). */
function endsValue(n: Node | undefined): boolean {
  if (n === undefined) return false;
  if (isGroup(n)) return true;
  if (isType(n, 'number') || isType(n, 'string') || isType(n, 'blob') || isType(n, 'param') || isType(n, 'qident')) return true;
  return isName(n) || isWord(n, 'NULL', 'TRUE', 'FALSE', 'END', 'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME');
}

/** First index of the operand ending at end: its primary, any signs before it. */
function operandStart(nodes: Node[], end: number): number {
  let at = end;
  // `x COLLATE NOCASE`: the collation is part of the operand.
  if (isName(nodes[at]) && isWord(nodes[prevSig(nodes, at)], 'COLLATE')) at = prevSig(nodes, prevSig(nodes, at));
  let start = primaryStart(nodes, at);
  for (let p = prevSig(nodes, start); p !== -1 && isOp(nodes[p], ...UNARY) && !endsValue(nodes[prevSig(nodes, p)]); p = prevSig(nodes, p)) start = p;
  return start;
}

/** Last index of the operand starting at start: signs, its primary, a COLLATE after it. */
function operandEnd(nodes: Node[], start: number): number {
  let at = start;
  while (isOp(nodes[at], ...UNARY)) at = nextSig(nodes, at);
  let end = primaryEnd(nodes, at);
  if (isWord(nodes[nextSig(nodes, end)], 'COLLATE')) end = nextSig(nodes, nextSig(nodes, end));
  return end;
}

function offsetOf(n: Node, end: boolean): number {
  if (n.kind === 'token') return end ? n.start + n.text.length : n.start;
  if (n.kind === 'group') return end ? n.end + 1 : n.start;
  return -1;
}

export function concatPrecedence(nodes: Node[]): Node[] {
  let out = nodes.map((n): Node => (isGroup(n) ? { ...n, items: concatPrecedence(n.items) } : n));
  for (let i = 0; i < out.length; i++) {
    if (!isOp(out[i], '||')) continue;
    const start = operandStart(out, prevSig(out, i));
    let end = operandEnd(out, nextSig(out, i));
    while (isOp(out[nextSig(out, end)], '||')) end = operandEnd(out, nextSig(out, nextSig(out, end)));
    const before = out[prevSig(out, start)];
    const after = out[nextSig(out, end)];
    const binaryBefore = isOp(before, ...LOOSER) && endsValue(out[prevSig(out, prevSig(out, start))]);
    if (!binaryBefore && !isOp(after, ...LOOSER)) {
      i = end;
      continue;
    }
    const items = out.slice(start, end + 1);
    // Offsets of the first and last token, so the result column keeps the source text as its name.
    const group: Group = { kind: 'group', items, start: offsetOf(items[0]!, false), end: offsetOf(items[items.length - 1]!, true) - 1 };
    out = [...out.slice(0, start), group, ...out.slice(end + 1)];
    i = start;
  }
  return out;
}

