/**
 * A parameter whose type PostgreSQL cannot infer from its place gets a cast chosen to behave like
 * SQLite: text next to `||` or IS [NOT] NULL or alone in a select list, numeric in arithmetic. In a
 * translation specialised to the values bound (translate's valueClasses), the type of the value's
 * storage class instead.
 */
import type { Ctx } from '../context';
import { isOp, isType, isWord, nextSig, prevSig, type Node } from '../nodes';
import type { Token } from '../tokenizer';
import { INTEGER_VALUE } from '../types';

const ARITHMETIC = ['+', '-', '*', '/', '%'];
const ITEM_END = new Set(['FROM', 'AS', 'WHERE', 'GROUP', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT']);

/**
 * A value bound beside a bitwise operator, in a translation specialised to the values bound: SQLite
 * computes with its integer (a real truncated and clamped to 64 bits, text by its integer prefix),
 * which the value layer sends (INTEGER_VALUE).
 */
function bitwiseOperand(nodes: Node[], i: number, n: Token): boolean {
  const cls = n.note?.valueClass;
  if (cls !== 'r' && cls !== 'f' && cls !== 't' && cls !== 'b') return false;
  const p = nodes[prevSig(nodes, i)];
  const after = nodes[nextSig(nodes, i)];
  return isOp(p, ...BITWISE, '~') || isOp(after, ...BITWISE);
}

const BITWISE = ['&', '|', '<<', '>>'];

function castFor(nodes: Node[], i: number): string | undefined {
  const p = nodes[prevSig(nodes, i)];
  const n = nodes[nextSig(nodes, i)];
  if (isOp(p, '||') || isOp(n, '||')) return 'text';
  if (isOp(p, ...ARITHMETIC) || isOp(n, ...ARITHMETIC)) return 'numeric';
  if (isWord(n, 'IS')) return 'text';
  const itemStart = isWord(p, 'SELECT', 'DISTINCT') || (isType(p, 'comma') && inSelectList(nodes, i));
  const itemEnd = n === undefined || isType(n, 'comma') || isType(n, 'semi') || (isWord(n) && ITEM_END.has(n.value));
  if (itemStart && itemEnd) return 'text'; // SELECT ?: SQLite returns the value as bound; text is the closest
  return undefined;
}

function inSelectList(nodes: Node[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    if (isWord(nodes[j], 'SELECT')) return true;
    if (isWord(nodes[j]) && ['FROM', 'WHERE', 'SET', 'VALUES', 'BY', 'RETURNING'].includes((nodes[j] as Token).value)) return false;
  }
  return false;
}

export function paramCasts(nodes: Node[], _ctx: Ctx): Node[] {
  nodes.forEach((n, i) => {
    if (!isType(n, 'param') || n.note?.cast || n.note?.target) return;
    if (bitwiseOperand(nodes, i, n)) {
      n.note = { ...n.note, cast: 'bigint', target: { table: '', column: '', type: INTEGER_VALUE } };
      return;
    }
    const guess = castFor(nodes, i);
    // Specialised to the value bound, the parameter has its value's type, except beside `||`,
    // where a number is concatenated as SQLite writes it (the text the value layer sends).
    const concatenated = isOp(nodes[prevSig(nodes, i)], '||') || isOp(nodes[nextSig(nodes, i)], '||');
    // (Elsewhere the value's type is given at render: a rule of an enclosing level may still cast it.)
    const cast = guess && n.note?.valueType && !concatenated ? n.note.valueType : guess;
    if (cast) n.note = { ...n.note, cast };
    else if (n.note?.valueType) n.note = { ...n.note, castAtRender: true };
  });
  return nodes;
}
