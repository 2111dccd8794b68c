/**
 * SQLite's integers are 64-bit; PostgreSQL types a small integer literal as 32-bit `integer`, so
 * `2147483647 + 1` overflows and `1 << 63` shifts a 32-bit value. An integer literal that is an
 * operand of an arithmetic or bitwise operator is made `bigint`, in a function's arguments too
 * (`sum(1 + 2147483647)`): the functions whose counts and positions PostgreSQL only takes as
 * `integer` (lag(), ntile()...) are the exception, and the translations of substr() and round()
 * cast their positions and digits themselves. Hexadecimal literals, which PostgreSQL only reads from 16 on, are written in
 * decimal, as SQLite reads them: 64-bit two's complement (0xFFFFFFFFFFFFFFFF is -1).
 */
import { NOT_FUNCTIONS } from '../keywords';
import { isBinaryArithmetic } from '../infer-type';
import { isGroup, isOp, isType, isWord, nextSig, prevSig, sigNodes, type Node } from '../nodes';
import type { Token } from '../tokenizer';

const ARITHMETIC = ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '~'];

/** The smallest 64-bit integer, which SQLite reads as an INTEGER when written with a sign. */
const INT64_MIN_TEXT = '-9223372036854775808';

/** An integer literal SQLite reads as an INTEGER (a larger decimal one is a REAL there). */
export function isIntegerLiteral(t: Token): boolean {
  if (t.type !== 'number') return false;
  if (t.text === INT64_MIN_TEXT) return true;
  if (/^0[xX][0-9a-fA-F]{1,16}$/.test(t.text)) return true;
  return /^\d+$/.test(t.text) && BigInt(t.text) <= 9223372036854775807n;
}

/** The SQL text of an integer literal as SQLite reads it (hex in decimal). */
export function integerText(t: Token): string {
  if (t.text === INT64_MIN_TEXT) return `(${INT64_MIN_TEXT})`;
  if (!/^0[xX]/.test(t.text)) return t.text;
  const v = BigInt.asIntN(64, BigInt(t.text));
  return v < 0n ? `(${v})` : v.toString();
}

/**
 * `SELECT 1, ...`: a result column that is a literal is 64-bit too, so that the arms of a
 * recursive CTE (`SELECT 1 UNION ALL SELECT x + 1 ...`) agree on bigint as SQLite's do.
 */
function wholeResultColumn(nodes: Node[], i: number): boolean {
  const prev = nodes[prevSig(nodes, i)];
  const next = nodes[nextSig(nodes, i)];
  const starts = isWord(prev, 'SELECT', 'DISTINCT', 'ALL') || (isType(prev, 'comma') && inSelectList(nodes, i));
  const ends = next === undefined || isType(next, 'comma') || isWord(next, 'FROM', 'AS', 'WHERE', 'GROUP', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW');
  return starts && ends && inSelectList(nodes, i);
}

function inSelectList(nodes: Node[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const n = nodes[j];
    if (isWord(n, 'SELECT')) return true;
    if (isWord(n, 'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'BY', 'LIMIT', 'SET', 'VALUES', 'RETURNING', 'ON')) return false;
  }
  return false;
}

/** Functions whose integer arguments PostgreSQL does not take as bigint (window offsets and counts). */
const INTEGER_ARGUMENTS = new Set(['LAG', 'LEAD', 'NTILE', 'NTH_VALUE']);

export function widenIntegerLiterals(nodes: Node[], inCall = false): void {
  nodes.forEach((n, i) => {
    if (isGroup(n)) {
      const before = nodes[prevSig(nodes, i)];
      const call = isWord(before) && !NOT_FUNCTIONS.has(before.value) && INTEGER_ARGUMENTS.has(before.value);
      widenIntegerLiterals(n.items, call || (inCall && !isWord(n.items[nextSig(n.items, -1)], 'SELECT')));
      return;
    }
    if (!isType(n, 'number') || n.note?.replace !== undefined) return;
    // `-9223372036854775808` is SQLite's smallest INTEGER, though 9223372036854775808 alone is a
    // REAL: the sign and the digits become one literal (PostgreSQL would read a numeric).
    const sign = prevSig(nodes, i);
    if (n.text === INT64_MIN_TEXT.slice(1) && isOp(nodes[sign], '-') && !isBinaryArithmetic(sigNodes(nodes.slice(0, sign + 1)), sigNodes(nodes.slice(0, sign + 1)).length - 1)) {
      (nodes[sign] as Token).note = { ...(nodes[sign] as Token).note, replace: '' };
      n.text = INT64_MIN_TEXT;
    }
    if (!isIntegerLiteral(n)) return;
    const prev = nodes[prevSig(nodes, i)];
    const next = nodes[nextSig(nodes, i)];
    if (isOp(prev, '<<', '>>')) return; // a shift count is an integer in PostgreSQL
    // In a function's arguments only a shifted value: a 32-bit shift would answer silently wrong,
    // where an overflowing sum or product is at least an error.
    const widen = inCall ? isOp(next, '<<') : isOp(prev, ...ARITHMETIC) || isOp(next, ...ARITHMETIC) || wholeResultColumn(nodes, i);
    if (widen) n.note = { ...n.note, cast: 'bigint' };
  });
}
