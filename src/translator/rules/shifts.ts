/**
 * `a << b` and `a >> b` as SQLite computes them: both sides read as integers (as CAST(x AS INTEGER)
 * reads them), a negative amount shifts the other way, and an amount of 64 or more gives 0 (or -1
 * for a negative value shifted right). PostgreSQL's shift takes an int4 amount and uses it modulo
 * 64, and has no shift for a real or text operand.
 */
import type { Ctx } from '../context';
import { isOp, isSig, isType, isWord, nextSig, prevSig, tpl, type Node } from '../nodes';
import { integerPrefix } from './arithmetic';
import { CLAUSE_KEYWORDS } from '../keywords';
import type { Parts } from './call';
import { integerValue } from './cast';
import { conditions } from './conditions';

/** Operators that bind at least as tightly as a shift (`&`, `|`, `<<`, `>>` share its level, left to right). */
const TIGHTER = ['+', '-', '*', '/', '%', '||', '~', '.', '->', '->>'];
const SAME_LEVEL = ['&', '|', '<<', '>>'];

/** Whether node n can be part of a shift's operand (reading left to right within one level). */
function operandNode(n: Node, withSameLevel: boolean): boolean {
  if (n.kind !== 'token') return true; // a group, a rewritten expression
  if (n.type === 'ws' || n.type === 'comment') return true;
  if (n.type === 'op') return isOp(n, ...TIGHTER) || (withSameLevel && isOp(n, ...SAME_LEVEL));
  if (n.type === 'word') return !CLAUSE_KEYWORDS.has(n.value) || n.value === 'CASE' || n.value === 'END' || n.value === 'CAST';
  return n.type !== 'comma' && n.type !== 'semi';
}

/** Index of the first node of the left operand of the op at index op. */
function leftStart(nodes: Node[], op: number): number {
  let start = op;
  for (let i = prevSig(nodes, op); i !== -1; i = prevSig(nodes, i)) {
    const n = nodes[i]!;
    if (isWord(n, 'END')) {
      let depth = 0;
      let k = i;
      for (; k >= 0; k--) {
        if (isWord(nodes[k], 'END')) depth++;
        else if (isWord(nodes[k], 'CASE') && --depth === 0) break;
      }
      i = Math.max(k, 0);
      start = i;
      continue;
    }
    if (!operandNode(n, true) || isWord(n, 'CASE')) break;
    start = i;
  }
  return start;
}

/** Index after the last node of the right operand of the op at index op. */
function rightEnd(nodes: Node[], op: number): number {
  let depth = 0;
  let end = op + 1;
  for (let i = op + 1; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (isWord(n, 'CASE')) depth++;
    else if (isWord(n, 'END')) depth--;
    else if (depth === 0 && !operandNode(n, false)) break;
    if (depth < 0) break;
    if (isSig(n) || depth > 0) end = i + 1;
  }
  return end;
}

function shift(op: '<<' | '>>', a: Parts, b: Parts): Parts {
  const [toward, back] = op === '<<' ? [' << ', ' >> '] : [' >> ', ' << '];
  const overflowSame = op === '<<' ? ['0'] : ['CASE WHEN ', ...a, ' >= 0 THEN 0 ELSE -1 END'];
  const overflowBack = op === '<<' ? ['CASE WHEN ', ...a, ' >= 0 THEN 0 ELSE -1 END'] : ['0'];
  return [
    '(CASE WHEN ', ...a, ' IS NULL OR ', ...b, ' IS NULL THEN NULL WHEN ', ...b, ' >= 64 THEN ', ...overflowSame,
    ' WHEN ', ...b, ' <= -64 THEN ', ...overflowBack,
    ' WHEN ', ...b, ' >= 0 THEN ', ...a, toward, 'CAST(', ...b, ' AS integer) ELSE ', ...a, back, 'CAST(-', ...b, ' AS integer) END)',
  ];
}

/**
 * A text literal beside `&`, `|` or `~` is its integer prefix (`'0x10' | 1` is 1: SQLite reads no
 * hex in text; PostgreSQL 16 and later would read '0x10' as 16).
 */
function bitwiseTextLiterals(nodes: Node[]): void {
  nodes.forEach((n, i) => {
    if (!isOp(n, '&', '|', '~')) return;
    for (const k of [prevSig(nodes, i), nextSig(nodes, i)]) {
      const t = nodes[k];
      if (k === -1 || !isType(t, 'string') || t.note?.replace !== undefined) continue;
      if (isOp(n, '~') && k < i) continue;
      const v = integerPrefix(t.value).parts[0] as string;
      t.note = { ...t.note, replace: v };
    }
  });
}

export function shifts(input: Node[], ctx: Ctx): Node[] {
  bitwiseTextLiterals(input);
  const nodes = input.slice();
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (!isOp(n, '<<', '>>')) continue;
    const start = leftStart(nodes, i);
    const end = rightEnd(nodes, i);
    const left = nodes.slice(start, i).filter((x, k, all) => isSig(x) || all.slice(0, k).some(isSig));
    const right = nodes.slice(i + 1, end);
    if (!left.some(isSig) || !right.some(isSig)) continue;
    // The operands leave this list: the rules that run after this one at this level run on them here.
    const lg: Node = { kind: 'group', items: conditions(left, ctx), start: -1, end: -1 };
    const rg: Node = { kind: 'group', items: conditions(right, ctx), start: -1, end: -1 };
    const expr = shift(n.text as '<<' | '>>', integerValue([lg], ctx), integerValue([rg], ctx));
    nodes.splice(start, end - start, tpl(expr, 'bigint'));
    i = start;
  }
  return nodes;
}
