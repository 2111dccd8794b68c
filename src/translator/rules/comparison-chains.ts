/**
 * A comparison is a number in SQLite (1, 0 or NULL), so it can be compared again: `a = b = c` is
 * `(a = b) = c`, `a = 0 > 1` is `a = (0 > 1)` (< <= > >= bind tighter than = == != <>, each level
 * from the left) and `(x > 1) = 1` compares that number. PostgreSQL's comparisons are booleans of
 * one precedence, not associative (`a = b = c` is a syntax error there), and a boolean does not
 * compare with a number: each inner comparison is grouped as SQLite groups it and becomes
 * CAST(... AS integer). A BOOLEAN column compared with a number is left to the column's own rule
 * (0/1 as false/true).
 */
import type { Ctx } from '../context';
import { inferType, isNumericType } from '../infer-type';
import { isGroup, isOp, isSig, isType, isWord, joinCommas, nextSig, prevSig, splitCommas, tpl, trimTrivia, type Node } from '../nodes';
import { ABOVE_ALL_NUMBERS } from './param-classes';
import { resolveColumn } from '../scope';
import { operandAfter, operandBefore } from './comparisons';

const ORDERING_OPS = ['<', '<=', '>', '>='];
const COMPARE_OPS = ['=', '==', '!=', '<>', ...ORDERING_OPS];

/** A comparison operator (the `=` of `SET x = ...` assigns: `SET x = a = b` is `x = (a = b)`). */
function compares(n: Node | undefined): boolean {
  return isOp(n, ...COMPARE_OPS) && !(n as { note?: { assignment?: boolean } }).note?.assignment;
}

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

/** Replaces nodes[from..to) (trimmed) by one node. */
function replaceSpan(nodes: Node[], from: number, to: number, make: (span: Node[]) => Node): { nodes: Node[]; at: number } {
  const span = trimTrivia(nodes.slice(from, to));
  const at = nodes.indexOf(span[0], from);
  return { nodes: [...nodes.slice(0, at), make(span), ...nodes.slice(at + span.length)], at };
}

/**
 * `a = 0 > 1`, `1 < 2 = 1`: an ordering next to another comparison is grouped first, as one
 * boolean operand; an ordering after an ordering (`a < b < c`) is grouped from the left.
 */
function groupOrderings(input: Node[], ctx: Ctx): Node[] {
  let nodes = input;
  for (let i = 0; i < nodes.length; i++) {
    if (!isOp(nodes[i], ...ORDERING_OPS)) continue;
    const left = operandBefore(nodes, i);
    const right = operandAfter(nodes, i);
    const start = i - left.length;
    const end = i + 1 + right.length;
    const before = prevSig(nodes, start);
    const after = nextSig(nodes, end - 1);
    if (!(before !== -1 && compares(nodes[before])) && !(after !== -1 && compares(nodes[after]))) continue;
    if (before !== -1 && isOp(nodes[before], ...ORDERING_OPS)) continue; // grouped with the ordering before it
    // The operands themselves may be comparisons grouped just before (`3 > 2 > 1`).
    const l = trimTrivia(left);
    const rt = trimTrivia(right);
    const lb = isComparisonValue(l, ctx);
    const rb = isComparisonValue(rt, ctx);
    const grouped = tpl(['(', lb && !rb ? asInteger(l) : l, ' ', nodes[i]!, ' ', rb && !lb ? asInteger(rt) : rt, ')'], 'boolean');
    const r = replaceSpan(nodes, start, end, () => grouped);
    nodes = r.nodes;
    i = r.at;
  }
  return nodes;
}

/**
 * `a IS b`, `a IS NOT b`: IS is a comparison of the same level as `=` in SQLite, grouped from the
 * left (`a = b IS c` is `(a = b) IS c`), and a comparison on one side only is its 0/1.
 */
function isChain(nodes: Node[], i: number, ctx: Ctx): { nodes: Node[]; at: number } | undefined {
  if (isTest(nodes, i)) return undefined;
  const not = isWord(nodes[nextSig(nodes, i)], 'NOT') ? nextSig(nodes, i) : i;
  const left = operandBefore(nodes, i);
  const leftStart = i - left.length;
  const before = prevSig(nodes, leftStart);
  // < <= > >= bind tighter than IS in both: `a IS 0 > 1` is `a IS (0 > 1)`.
  let end = not + 1 + operandAfter(nodes, not).length;
  let ordered = false;
  for (let op = nextSig(nodes, end - 1); op !== -1 && isOp(nodes[op], ...ORDERING_OPS); op = nextSig(nodes, end - 1)) {
    end = op + 1 + operandAfter(nodes, op).length;
    ordered = true;
  }
  const right = nodes.slice(not + 1, end);
  const rightBool = right.length > 0 && (ordered || isComparisonValue(right, ctx));
  let leftBool = isComparisonValue(left, ctx);
  let out = nodes;
  let at = i;
  if (before !== -1 && compares(nodes[before])) {
    // `a = b IS c`: the comparison ending here is the left operand.
    const first = operandBefore(nodes, before);
    const r = replaceSpan(nodes, before - first.length, i, asInteger);
    out = r.nodes;
    at = r.at;
    leftBool = false;
  } else if (leftBool && !rightBool) {
    const r = replaceSpan(nodes, leftStart, i, asInteger);
    return { nodes: r.nodes, at: r.at };
  }
  if (!rightBool || leftBool) return at === i ? undefined : { nodes: out, at };
  const k = out.indexOf(right.find((n) => isSig(n))!);
  // The orderings taken in are a chain of their own (`a IS 0 > 1 > 0`).
  const r = replaceSpan(out, k, k + trimTrivia(right).length, (span) => asInteger(ordered ? comparisonChains(span, ctx) : span));
  return { nodes: r.nodes, at };
}

/**
 * `x IN (a, b)` with comparisons among the values and other values: each comparison is its 0/1.
 * A text or Buffer bound tested against only numbers and comparisons is above them all (SQLite
 * never finds a text or blob equal to a number).
 */
function inChain(nodes: Node[], i: number, ctx: Ctx): Node[] {
  const list = nodes[nextSig(nodes, i)];
  if (!isGroup(list) || isWord(list.items[nextSig(list.items, -1)], 'SELECT', 'WITH', 'VALUES')) return nodes;
  const notAt = prevSig(nodes, i);
  const end = notAt !== -1 && isWord(nodes[notAt], 'NOT') ? notAt : i;
  const left = operandBefore(nodes, end);
  const items = splitCommas(list.items);
  if (left.length === 0 || items.some((x) => trimTrivia(x).length === 0)) return nodes;
  const leftBool = isComparisonValue(left, ctx);
  const itemBool = items.map((x) => isComparisonValue(x, ctx));
  if (!itemBool.some(Boolean) && !leftBool) return nodes;
  let out = nodes;
  if (itemBool.some((b) => b !== leftBool)) {
    const newItems = items.map((x, k) => (itemBool[k] && !leftBool ? [asInteger(trimTrivia(x))] : x));
    out = out.map((n) => (n === list ? { ...list, items: joinCommas(newItems) } : n));
    if (leftBool && !itemBool.every(Boolean)) out = replaceSpan(out, end - left.length, end, asInteger).nodes;
  }
  const t = trimTrivia(left);
  const p = t.length === 1 && isType(t[0], 'param') ? t[0] : undefined;
  const numbersOnly = items.every((x, k) => itemBool[k] || isNumericType(inferType(x, ctx)));
  if (p && !p.note?.target && (p.note?.valueClass === 't' || p.note?.valueClass === 'b') && numbersOnly) p.note = { ...p.note, replace: ABOVE_ALL_NUMBERS };
  return out;
}

/**
 * Whether the operator at `i` is of `=`'s level in SQLite (= == != <>, BETWEEN, IN, LIKE, GLOB, and
 * IS other than IS NULL/TRUE/FALSE/DISTINCT), which groups from the left with the others.
 */
function equalityLevel(nodes: Node[], i: number): boolean {
  const n = nodes[i];
  if (compares(n) && !isOp(n, ...ORDERING_OPS)) return true;
  if (isWord(n, 'BETWEEN', 'IN', 'LIKE', 'GLOB')) return true;
  if (isWord(n, 'NOT')) return isWord(nodes[nextSig(nodes, i)], 'BETWEEN', 'IN', 'LIKE', 'GLOB');
  return isWord(n, 'IS') && !isTest(nodes, i);
}

/** `IS [NOT] NULL/TRUE/FALSE/DISTINCT/UNKNOWN` at `i`: a test PostgreSQL has as well, not SQLite's IS comparison. */
function isTest(nodes: Node[], i: number): boolean {
  const not = isWord(nodes[nextSig(nodes, i)], 'NOT') ? nextSig(nodes, i) : i;
  return isWord(nodes[nextSig(nodes, not)], 'NULL', 'TRUE', 'FALSE', 'DISTINCT', 'UNKNOWN');
}

/**
 * `x BETWEEN a AND b`. In SQLite BETWEEN is a comparison of `=`'s level, grouped from the left with
 * the others, and < <= > >= bind tighter: `1 = 1 BETWEEN 0 AND 1 = 1` is
 * `((1 = 1) BETWEEN 0 AND 1) = 1`, `x BETWEEN 0 AND 2 BETWEEN 1 AND 1` is
 * `(x BETWEEN 0 AND 2) BETWEEN 1 AND 1`, `x BETWEEN 0 AND 1 < 2` is `x BETWEEN 0 AND (1 < 2)`. In
 * PostgreSQL BETWEEN binds tighter than every comparison and does not chain, and a boolean does not
 * compare with a number: each comparison that is an operand of the BETWEEN, and the BETWEEN when it
 * is the operand of another comparison, is grouped as SQLite groups it and becomes its 0/1; so is
 * a comparison among the three operands beside other values.
 */
function betweenChain(input: Node[], i: number, ctx: Ctx): { nodes: Node[]; at: number } {
  let nodes = input;
  let at = i;
  const operatorStart = (): number => {
    const n = prevSig(nodes, at);
    return n !== -1 && isWord(nodes[n], 'NOT') ? n : at;
  };
  const before = prevSig(nodes, operatorStart() - operandBefore(nodes, operatorStart()).length);
  if (before !== -1 && compares(nodes[before])) {
    // The comparison ending just before is the left operand.
    const first = operandBefore(nodes, before);
    const r = replaceSpan(nodes, before - first.length, operatorStart(), asInteger);
    at -= nodes.length - r.nodes.length;
    nodes = r.nodes;
  }
  // The lower bound is everything up to the AND (`x BETWEEN 1 = 1 AND 2`); a comparison there is its 0/1.
  // Its operands are stepped over whole (a CASE ... END, a CAST(...)): only a comparison between
  // them makes the bound a comparison.
  let andAt = at;
  let compared = false;
  for (;;) {
    andAt += operandAfter(nodes, andAt, 'AND').length + 1;
    if (isWord(nodes[andAt], 'AND')) break;
    if (!(compares(nodes[andAt]) || isWord(nodes[andAt], 'IS', 'IN', 'LIKE', 'GLOB', 'NOT'))) return { nodes, at };
    compared = true;
  }
  if (compared) {
    const r = replaceSpan(nodes, at + 1, andAt, (span) => asInteger(comparisonChains(span, ctx)));
    andAt -= nodes.length - r.nodes.length;
    nodes = r.nodes;
  }
  const low = nodes.slice(at + 1, andAt);
  // The upper bound takes in the orderings after it.
  let end = andAt + 1 + operandAfter(nodes, andAt).length;
  let ordered = false;
  for (let op = nextSig(nodes, end - 1); op !== -1 && isOp(nodes[op], ...ORDERING_OPS); op = nextSig(nodes, end - 1)) {
    end = op + 1 + operandAfter(nodes, op).length;
    ordered = true;
  }
  if (ordered) {
    const r = replaceSpan(nodes, andAt + 1, end, (span) => asInteger(comparisonChains(span, ctx)));
    end -= nodes.length - r.nodes.length;
    nodes = r.nodes;
  }
  const parts = [operandBefore(nodes, operatorStart()), low, nodes.slice(andAt + 1, end)].map(trimTrivia);
  if (parts.some((p) => p.length === 0)) return { nodes, at };
  const bools = parts.map((p) => isComparisonValue(p, ctx));
  if (!bools.every((b) => b === bools[0])) {
    // Right to left, so that the earlier places stay where they are.
    for (let k = 2; k >= 0; k--) {
      if (!bools[k]) continue;
      const from = nodes.indexOf(parts[k]![0]!);
      const r = replaceSpan(nodes, from, from + parts[k]!.length, asInteger);
      const shift = nodes.length - r.nodes.length;
      nodes = r.nodes;
      end -= shift;
      if (k === 0) at -= shift;
    }
  }
  const after = nextSig(nodes, end - 1);
  if (after === -1 || !equalityLevel(nodes, after)) return { nodes, at };
  // The BETWEEN is the left operand of the comparison after it.
  const left = trimTrivia(operandBefore(nodes, operatorStart()));
  const r = replaceSpan(nodes, nodes.indexOf(left[0]!), end, asInteger);
  return { nodes: r.nodes, at: r.at };
}

export function comparisonChains(input: Node[], ctx: Ctx): Node[] {
  let nodes = groupOrderings(input, ctx);
  for (let i = 0; i < nodes.length; i++) {
    if (isWord(nodes[i], 'IS')) {
      const r = isChain(nodes, i, ctx);
      if (r) {
        nodes = r.nodes;
        i = r.at;
      }
      continue;
    }
    if (isWord(nodes[i], 'IN')) {
      nodes = inChain(nodes, i, ctx);
      continue;
    }
    if (isWord(nodes[i], 'BETWEEN')) {
      const r = betweenChain(nodes, i, ctx);
      nodes = r.nodes;
      i = r.at;
      continue;
    }
    if (!compares(nodes[i])) continue;
    const left = operandBefore(nodes, i);
    const leftStart = i - left.length;
    const before = prevSig(nodes, leftStart);
    const is = isWord(nodes[before], 'NOT') && isWord(nodes[prevSig(nodes, before)], 'IS') ? prevSig(nodes, before) : before;
    if (is !== -1 && isWord(nodes[is], 'IS') && !isOp(nodes[i], ...ORDERING_OPS)) {
      // `a IS b = c`: `(a IS b) = c`, the same level in SQLite (PostgreSQL's IS binds more loosely
      // than =, which would make it `a IS (b = c)`).
      const first = operandBefore(nodes, is);
      const r = replaceSpan(nodes, is - first.length, i, asInteger);
      nodes = r.nodes;
      i = r.at;
      continue;
    }
    if (before !== -1 && compares(nodes[before])) {
      // `a = b = c`: the comparison ending here is the left operand of this one.
      const first = operandBefore(nodes, before);
      const r = replaceSpan(nodes, before - first.length, i, asInteger);
      nodes = r.nodes;
      i = r.at;
      continue;
    }
    const right = operandAfter(nodes, i);
    const leftBool = isComparisonValue(left, ctx);
    const rightBool = isComparisonValue(right, ctx);
    if (leftBool === rightBool) continue; // two comparisons compare as booleans do: 0/1 alike
    if (rightBool) {
      nodes = replaceSpan(nodes, i + 1, i + 1 + right.length, asInteger).nodes;
    } else {
      const r = replaceSpan(nodes, leftStart, i, asInteger);
      nodes = r.nodes;
      i = r.at + 1;
    }
  }
  return nodes;
}
