/**
 * SQLite's integers are 64-bit; PostgreSQL types a small integer literal as 32-bit `integer`, so
 * `2147483647 + 1` overflows and `1 << 63` shifts a 32-bit value. An integer literal that is an
 * operand of an arithmetic or bitwise operator is made `bigint` (inside a function's arguments it
 * is left alone: PostgreSQL's functions take `integer` counts and positions and do not accept a
 * bigint there). Hexadecimal literals, which PostgreSQL only reads from 16 on, are written in
 * decimal, as SQLite reads them: 64-bit two's complement (0xFFFFFFFFFFFFFFFF is -1).
 */
import { NOT_FUNCTIONS } from '../keywords';
import { isGroup, isOp, isType, isWord, nextSig, prevSig, type Node } from '../nodes';
import type { Token } from '../tokenizer';

const ARITHMETIC = ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '~'];

export function isIntegerLiteral(t: Token): boolean {
  return t.type === 'number' && /^(\d+|0[xX][0-9a-fA-F]+)$/.test(t.text);
}

/** The SQL text of an integer literal as SQLite reads it (hex in decimal). */
export function integerText(t: Token): string {
  if (!/^0[xX]/.test(t.text)) return t.text;
  const v = BigInt.asIntN(64, BigInt(t.text));
  return v < 0n ? `(${v})` : v.toString();
}

export function widenIntegerLiterals(nodes: Node[], inCall = false): void {
  nodes.forEach((n, i) => {
    if (isGroup(n)) {
      const before = nodes[prevSig(nodes, i)];
      const call = (isWord(before) && !NOT_FUNCTIONS.has(before.value)) || isType(before, 'qident');
      widenIntegerLiterals(n.items, call || (inCall && !isWord(n.items[nextSig(n.items, -1)], 'SELECT')));
      return;
    }
    if (inCall || !isType(n, 'number') || !isIntegerLiteral(n)) return;
    const prev = nodes[prevSig(nodes, i)];
    if (isOp(prev, '<<', '>>')) return; // a shift count is an integer in PostgreSQL
    if (isOp(prev, ...ARITHMETIC) || isOp(nodes[nextSig(nodes, i)], ...ARITHMETIC)) {
      if (n.note?.replace === undefined) n.note = { ...n.note, cast: 'bigint' };
    }
  });
}
