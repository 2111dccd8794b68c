/**
 * A number as a condition (`WHERE x`, `NOT x`, `x AND y`, `CASE WHEN x`): SQLite tests it against
 * 0, PostgreSQL wants a boolean; a text condition is its numeric prefix tested against 0.
 */
import type { Ctx } from '../context';
import { inferType, isNumericType, MIXED_NUMERIC } from '../infer-type';
import { loneParam, isType, isWord, nextSig, prevSig, tpl, trimTrivia, type Node } from '../nodes';
import { CONDITION_OPERAND } from '../types';
import type { Token } from '../tokenizer';
import { textAsReal } from './sqlite-values';

const BOUNDARIES = new Set([
  'AND', 'OR', 'NOT', 'WHERE', 'HAVING', 'ON', 'WHEN', 'THEN', 'ELSE', 'END', 'SELECT', 'FROM', 'GROUP', 'ORDER', 'LIMIT', 'OFFSET',
  'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW', 'RETURNING', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'CROSS', 'FULL', 'NATURAL', 'USING',
  'SET', 'VALUES', 'DO', 'AS', 'BY', 'CASE', 'DISTINCT', 'ALL', 'FILTER', 'OVER',
]);
const CONDITION_STARTS = new Set(['WHERE', 'HAVING', 'ON', 'AND', 'OR', 'NOT']);

function isBoundary(nodes: Node[], i: number): boolean {
  const n = nodes[i];
  if (isType(n, 'comma') || isType(n, 'semi')) return true;
  if (!isWord(n) || !BOUNDARIES.has(n.value)) return false;
  // NOT inside a comparison (x NOT IN, IS NOT, NOT LIKE...) is part of it.
  if (n.value === 'NOT') {
    const p = nodes[prevSig(nodes, i)];
    return p === undefined || isType(p, 'comma') || (isWord(p) && BOUNDARIES.has(p.value) && p.value !== 'END');
  }
  return true;
}

/** The WHEN belongs to a searched CASE (CASE WHEN ...), not to CASE x WHEN ... */
function isSearchedWhen(nodes: Node[], i: number): boolean {
  let depth = 0;
  for (let j = i - 1; j >= 0; j--) {
    if (isWord(nodes[j], 'END')) depth++;
    else if (isWord(nodes[j], 'CASE')) {
      if (depth === 0) return isWord(nodes[nextSig(nodes, j)], 'WHEN');
      depth--;
    }
  }
  return false;
}


/** The operand as a PostgreSQL boolean with SQLite's truth, or undefined when it is one already. */
export function asCondition(operand: Node[], ctx: Ctx): Node | undefined {
  const param = loneParam(operand);
  if (param) {
    // PostgreSQL would read the value as a boolean's text ('0.5' is an error there); the value
    // layer sends the truth SQLite gives the bound value instead.
    param.note = { ...param.note, target: { table: '', column: 'condition', type: CONDITION_OPERAND }, cast: 'boolean' };
    return tpl(operand, 'boolean');
  }
  const type = inferType(operand, ctx);
  if (type === 'text' && !operand.some((n) => isType(n, 'param'))) return tpl(['(', ...textAsReal([operand]), ') <> 0'], 'boolean');
  if (isNumericType(type) || type === MIXED_NUMERIC) return tpl(['(', operand, ') <> 0'], 'boolean');
  return undefined;
}

/** A select item's operand runs into its alias when AS is left out (`x AND r b`). */
function withoutAlias(nodes: Node[], end: Node | undefined): Node[] {
  if (!(end === undefined || isType(end, 'comma') || isWord(end, 'FROM'))) return nodes;
  const last = prevSig(nodes, nodes.length);
  const before = prevSig(nodes, last);
  if (before === -1 || !(isWord(nodes[last]) || isType(nodes[last], 'qident'))) return nodes;
  const b = nodes[before];
  const endsOperand = b.kind !== 'token' || ['word', 'qident', 'number', 'string', 'param'].includes(b.type);
  return endsOperand && !(isWord(b) && BOUNDARIES.has(b.value)) ? trimTrivia(nodes.slice(0, last)) : nodes;
}

export function conditions(input: Node[], ctx: Ctx): Node[] {
  const nodes = input.slice();
  let betweenAnd: Node | undefined;
  let start = 0;
  let startedBy: Token | undefined;
  let startAt = -1;
  for (let i = 0; i <= nodes.length; i++) {
    if (i < nodes.length && !isBoundary(nodes, i)) continue;
    const segment = nodes.slice(start, i);
    // BETWEEN CASE ... END AND b: the CASE is the lower bound (its own WHENs are conditions as any),
    // and the AND after its END is the BETWEEN's.
    if (isWord(nodes[i], 'CASE') && isWord(nodes[prevSig(nodes, i)], 'BETWEEN')) {
      let depth = 0;
      let e = i;
      for (; e < nodes.length; e++) {
        if (isWord(nodes[e], 'CASE')) depth++;
        else if (isWord(nodes[e], 'END') && --depth === 0) break;
      }
      const after = e < nodes.length ? nextSig(nodes, e) : -1;
      if (after !== -1 && isWord(nodes[after], 'AND')) betweenAnd = nodes[after]!;
    }
    // BETWEEN a AND b: that AND belongs to the BETWEEN.
    const ofBetween = i < nodes.length && isWord(nodes[i], 'AND') && ((segment.some((n) => isWord(n, 'BETWEEN')) && !segment.some((n) => isWord(n, 'AND'))) || nodes[i] === betweenAnd);
    if (ofBetween) {
      const andAt = i;
      i = nextSig(nodes, andAt);
      if (i === -1) break;
      while (i + 1 <= nodes.length && !(i < nodes.length && isBoundary(nodes, i) && i > andAt + 1)) i++;
      i--;
      continue;
    }
    const end = nodes[i];
    const condition =
      (startedBy !== undefined && CONDITION_STARTS.has(startedBy.value)) ||
      (startedBy?.value === 'WHEN' && isSearchedWhen(nodes, startAt)) ||
      isWord(end, 'AND', 'OR');
    const trimmed = withoutAlias(trimTrivia(segment), end);
    if (condition && trimmed.length > 0) {
      const replaced = asCondition(trimmed, ctx);
      if (replaced) {
        const at = nodes.indexOf(trimmed[0], start);
        nodes.splice(at, trimmed.length, replaced);
        i -= trimmed.length - 1;
      }
    }
    startedBy = isWord(nodes[i]) ? (nodes[i] as Token) : undefined;
    startAt = i;
    start = i + 1;
  }
  return nodes;
}
