/**
 * + - * / % as SQLite computes them. PostgreSQL already divides integers by truncating toward zero
 * and divides exactly when a side is not an integer; what differs is handled here, per operator:
 * - a comparison or BOOLEAN column used as a number is SQLite's 0/1 integer (`(a > 1) + 1`);
 * - dividing by zero (`/` or `%`) is NULL in SQLite, an error in PostgreSQL: the divisor is
 *   NULLIF(divisor, 0);
 * - `%` of a real truncates both sides to integers first (7.5 % 2 is 1.0), PostgreSQL's numeric
 *   modulo keeps the fraction (1.5).
 */
import { fail, type Ctx } from '../context';
import { inferType, isBinaryArithmetic, isRealType, MIXED_NUMERIC } from '../infer-type';
import { NOT_FUNCTIONS } from '../keywords';
import { isGroup, isOp, isSig, isType, isWord, nextSig, prevSig, tpl, trimTrivia, type Node, type Tpl } from '../nodes';
import { resolveColumn } from '../scope';
import { primaryEnd, primaryStart } from './json-arrows';
import { textAsReal, textLiteralAsNumber } from './sqlite-values';
import type { Parts } from './call';
import { clampInt64 } from './cast';
import type { Token } from '../tokenizer';

const OPS = ['+', '-', '*', '/', '%'];

/** Index of the CASE that the END at index end closes. */
function caseStart(nodes: Node[], end: number): number {
  let depth = 0;
  for (let i = end; i >= 0; i--) {
    if (isWord(nodes[i], 'END')) depth++;
    else if (isWord(nodes[i], 'CASE') && --depth === 0) return i;
  }
  return end;
}

/** Index of the END that closes the CASE at index start. */
function caseEnd(nodes: Node[], start: number): number {
  let depth = 0;
  for (let i = start; i < nodes.length; i++) {
    if (isWord(nodes[i], 'CASE')) depth++;
    else if (isWord(nodes[i], 'END') && --depth === 0) return i;
  }
  return start;
}

function sig(nodes: Node[]): Node[] {
  return nodes.filter(isSig);
}

/** Whether the op at index i (a significant node) is binary in this list. */
function binaryAt(nodes: Node[], i: number): boolean {
  const s = sig(nodes);
  return isBinaryArithmetic(s, s.indexOf(nodes[i]));
}

/** Start of the operand (signs included) that ends at index end. */
export function operandStart(nodes: Node[], end: number): number {
  let start = end;
  if (isWord(nodes[end], 'END')) start = caseStart(nodes, end);
  else if (!isGroup(nodes[end]) || !isWord(nodes[prevSig(nodes, end)]) || NOT_FUNCTIONS.has((nodes[prevSig(nodes, end)] as { value: string }).value)) {
    if (!isGroup(nodes[end])) start = primaryStart(nodes, end);
  } else start = primaryStart(nodes, end);
  for (let p = prevSig(nodes, start); p !== -1 && isOp(nodes[p], '+', '-', '~') && !binaryAt(nodes, p); p = prevSig(nodes, p)) start = p;
  return start;
}

/** End of the operand (signs included) that starts at index start. */
export function operandEnd(nodes: Node[], start: number): number {
  let i = start;
  while (isOp(nodes[i], '+', '-', '~') && nextSig(nodes, i) !== -1) i = nextSig(nodes, i);
  return isWord(nodes[i], 'CASE') ? caseEnd(nodes, i) : primaryEnd(nodes, i);
}

/**
 * An operand as the number SQLite computes with: a comparison or BOOLEAN is its 0/1 integer, a
 * text literal its numeric prefix; a text value (a column) is read as SQLite reads text as a
 * number — as a real, marked mixed since SQLite keeps integers there (so division is refused).
 */
function asNumber(operand: Node[], ctx: Ctx, remainder = false): Node {
  const type = inferType(operand, ctx);
  if (type === 'boolean') return tpl(['CAST(', operand, ' AS integer)'], 'integer');
  const sig = operand.filter(isSig);
  let signs = 0;
  while (signs < sig.length - 1 && isOp(sig[signs], '+', '-')) signs++;
  const core = sig.slice(signs);
  const prefix = sig.slice(0, signs).map((n) => (n as { text: string }).text).join(' ');
  if (core.length === 1 && isType(core[0], 'string')) {
    // `%` reads text by its integer prefix ('1e3' is 1, '2.5e1' is 2), as SQLite's remainder does.
    const n = remainder ? integerPrefix(core[0].value) : textLiteralAsNumber(core[0].value);
    return prefix ? tpl([`${prefix} `, [n]], n.type) : n;
  }
  if (type === 'text') return tpl([prefix ? `${prefix} ` : '', '(', ...textAsReal([core]), ')'], MIXED_NUMERIC);
  return operand.length === 1 ? operand[0] : { kind: 'group', items: operand, start: -1, end: -1 };
}

/** The integer prefix of a text (after spaces and a sign; 0 when none), as SQLite's `%` reads it. */
export function integerPrefix(value: string): Tpl {
  const m = /^[ \t\n\f\r]*([+-]?\d+)/.exec(value);
  const v = m ? BigInt(m[1]!) : 0n;
  const clamped = v > 9223372036854775807n ? 9223372036854775807n : v < -9223372036854775808n ? -9223372036854775808n : v;
  return tpl([clamped < 0n ? `(${clamped})` : clamped.toString()], 'bigint');
}

/** The operand changes when read as a number. */
function needsNumber(operand: Node[], ctx: Ctx): boolean {
  const type = inferType(operand, ctx);
  return type === 'boolean' || type === 'text';
}

/** A bare parameter in arithmetic is a number, as paramCasts would have made it. */
function castBareParam(n: Node): void {
  if (isType(n, 'param') && !n.note?.cast && !n.note?.target) n.note = { ...n.note, cast: n.note?.valueType ?? 'numeric' };
}

/**
 * a / b where a side is an integer on some rows and a real on others: SQLite divides per row
 * (integer division or not), PostgreSQL's one type for the expression cannot.
 */
function refuseMixedDivision(left: Node[], right: Node[], rightType: string | undefined, ctx: Ctx): void {
  const leftType = inferType(left, ctx);
  // A NUMERIC column holds an integral value as an INTEGER in SQLite and a fraction as a REAL.
  const numericColumn = (o: Node[]): boolean => resolveColumn(trimTrivia(o), ctx.scope)?.column.type === 'numeric';
  const lMixed = leftType === MIXED_NUMERIC || numericColumn(left);
  const rMixed = rightType === MIXED_NUMERIC || numericColumn(right);
  const lReal = isRealType(leftType) && !numericColumn(left);
  const rReal = isRealType(rightType) && !numericColumn(right);
  if ((lMixed && !rReal) || (rMixed && !lReal)) {
    fail(ctx, 'a division of a value that is an integer on some rows and a real on others (a NUMERIC column, COALESCE, IFNULL, IIF, CASE or max()/min() of an integer and a real, or text used as a number)',
      'SQLite divides each row by its own type (integer division for integers), PostgreSQL gives the expression one type. CAST the value AS INTEGER or AS REAL.');
  }
}

/** The real literal an operand is (`0.5`, `(-2.25)`, `1e20`), or undefined. */
function realLiteral(operand: Node[]): Token | undefined {
  const s = operand.filter(isSig);
  if (s.length === 1 && isGroup(s[0])) return realLiteral(s[0].items);
  const last = s[s.length - 1];
  if (!s.slice(0, -1).every((n) => isOp(n, '+', '-')) || !isType(last, 'number') || !/[.eE]/.test(last.text) || /^0[xX]/.test(last.text)) return undefined;
  return last;
}

/**
 * A real literal in arithmetic: SQLite computes in double (`0.1 + 0.2` is 0.30000000000000004), and
 * converts an integer beside it to a double first, so one beyond 2^53 is rounded
 * (`9007199254740993 + 0.5` is 9007199254740992.0). PostgreSQL's literal is numeric, exact: it
 * becomes a double precision, and PostgreSQL converts the other side as SQLite does.
 */
function realLiteralAsDouble(operands: Node[][]): void {
  for (const operand of operands) {
    const t = realLiteral(operand);
    if (t && t.note?.replace === undefined) t.note = { ...t.note, replace: `CAST(${t.text} AS double precision)` };
  }
}

/**
 * `n op x` (+ - *) of a NUMERIC column and an integer, alone in its expression: SQLite holds an
 * integral value of the column as an INTEGER (exact integer arithmetic) and a fraction as a REAL
 * (the integer converted to a double first, so one beyond 2^53 is rounded). PostgreSQL's numeric
 * is exact for both: the fraction's rows compute in double precision, brought back to numeric by
 * their shortest text (exact for that double; numeric's cast from a double keeps 15 digits only).
 */
function numericColumnWithInteger(nodes: Node[], from: number, op: string, to: number, ctx: Ctx): Node | undefined {
  if (!['+', '-', '*'].includes(op)) return undefined;
  const before = prevSig(nodes, from);
  const after = nextSig(nodes, to);
  if ((before !== -1 && isOp(nodes[before], ...OPS, '||', '~')) || (after !== -1 && isOp(nodes[after], ...OPS, '||'))) return undefined;
  const opAt = nodes.findIndex((n, k) => k > from && k < to && isOp(n, op) && binaryAt(nodes, k));
  const left = trimTrivia(nodes.slice(from, opAt));
  const right = trimTrivia(nodes.slice(opAt + 1, to + 1));
  const numericColumn = (o: Node[]): boolean => resolveColumn(o, ctx.scope)?.column.type === 'numeric';
  const integer = (o: Node[]): boolean => ['bigint', 'integer', 'smallint', 'boolean'].includes(inferType(o, ctx) ?? '');
  const column = numericColumn(left) && integer(right) ? left : numericColumn(right) && integer(left) ? right : undefined;
  if (!column) return undefined;
  const real = (o: Node[]): Parts => ['CAST(', o, ' AS double precision)'];
  return tpl(['CASE WHEN ', column, ' = trunc(', column, ') THEN ', left, ` ${op} `, right, ' ELSE CAST(CAST(', ...real(left), ` ${op} `, ...real(right), ' AS text) AS numeric) END'], MIXED_NUMERIC);
}

export function arithmetic(input: Node[], ctx: Ctx): Node[] {
  const nodes = input.slice();
  // A sign before a text literal (-'3'): the literal is read as a number.
  for (let i = 0; i < nodes.length; i++) {
    const next = nextSig(nodes, i);
    if (isOp(nodes[i], '+', '-') && !binaryAt(nodes, i) && isType(nodes[next], 'string')) nodes[next] = textLiteralAsNumber((nodes[next] as { value: string }).value);
  }
  for (let i = 0; i < nodes.length; i++) {
    if (!isOp(nodes[i], ...OPS) || !binaryAt(nodes, i)) continue;
    const op = (nodes[i] as { text: string }).text;
    const leftEnd = prevSig(nodes, i);
    const rightAt = nextSig(nodes, i);
    if (leftEnd === -1 || rightAt === -1) continue;
    const leftStart = operandStart(nodes, leftEnd);
    const left = nodes.slice(leftStart, leftEnd + 1);
    if (needsNumber(left, ctx)) {
      nodes.splice(leftStart, left.length, asNumber(left, ctx, op === '%'));
      i -= left.length - 1;
    }
    const rs = nextSig(nodes, i);
    const re = operandEnd(nodes, rs);
    const right = nodes.slice(rs, re + 1);
    if (op !== '%') realLiteralAsDouble([nodes.slice(operandStart(nodes, prevSig(nodes, i)), i), right]);
    let r: Node = asNumber(right, ctx, op === '%');
    const rightType = needsNumber(right, ctx) ? inferType([r], ctx) : inferType(right, ctx);
    if (op === '/') refuseMixedDivision(nodes.slice(operandStart(nodes, prevSig(nodes, i)), i), right, rightType, ctx);
    if (op === '/' || op === '%') {
      castBareParam(r);
      r = tpl(['NULLIF(', [r], ', 0)'], rightType);
    }
    nodes.splice(rs, right.length, r);
    const exact = numericColumnWithInteger(nodes, operandStart(nodes, prevSig(nodes, i)), op, nodes.indexOf(r), ctx);
    if (exact) {
      const from = operandStart(nodes, prevSig(nodes, i));
      nodes.splice(from, nodes.indexOf(r) - from + 1, exact);
      i = from;
      continue;
    }
    if (op !== '%') continue;
    // SQLite's % works on the integer parts; the result is real when a side is real.
    let chainStart = operandStart(nodes, prevSig(nodes, i));
    for (let p = prevSig(nodes, chainStart); p !== -1 && isOp(nodes[p], '*', '/', '%') && binaryAt(nodes, p); p = prevSig(nodes, chainStart)) {
      chainStart = operandStart(nodes, prevSig(nodes, p));
    }
    const chain = nodes.slice(chainStart, i);
    const inexact = (t: string | undefined): boolean => isRealType(t) || t === MIXED_NUMERIC;
    if (!inexact(inferType(chain, ctx)) && !inexact(rightType)) continue;
    const divisor = (r as Tpl).parts[1] as Node[];
    // Each side as SQLite's INTEGER of it: truncated, a REAL beyond 64 bits clamped (1e20 % 4 is 3.0).
    const integer = (x: Node[]): Parts => clampInt64(['trunc(CAST(', x, ' AS numeric))']);
    const replaced = tpl(['CAST(mod(', ...integer(chain), ', NULLIF(', ...integer(divisor), ', 0)) AS double precision)'], 'double precision');
    nodes.splice(chainStart, nodes.indexOf(r) - chainStart + 1, replaced);
    i = chainStart;
  }
  return nodes;
}
