/**
 * Values that are NULL whatever the row: NULL, a NULL bound, and CASE, IIF, NULLIF, COALESCE,
 * IFNULL and scalar MIN/MAX built of such. PostgreSQL types a CASE whose branches are all NULL as
 * text, so it cannot compare it with a number, coalesce it with a bytea or list it beside a double
 * in `IN (...)`, where SQLite's answer is plainly NULL. One rule for all of them: such a value is
 * the NULL literal, which PostgreSQL types from its place as it does SQLite's `NULL`. Its
 * conditions and arguments are not evaluated (SQLite evaluates them, but nothing of theirs reaches
 * the answer; an error one of them would raise is not raised).
 */
import type { Ctx } from '../context';
import { caseBranches, endOf, isGroup, isOp, isType, isWord, nextSig, prevSig, sigNodes, splitCommas, startOf, tpl, type Node } from '../nodes';

const NULL_FUNCTIONS = ['NULLIF', 'COALESCE', 'IFNULL', 'MIN', 'MAX', 'IIF'];

/** Whether the expression `nodes` is NULL whatever the row (see the top of this file). */
export function surelyNull(nodes: Node[]): boolean {
  const s = sigNodes(nodes);
  if (s.length === 1) return isWord(s[0], 'NULL') || isNullValue(s[0]) || (isGroup(s[0]) && surelyNull(s[0].items)) || (isType(s[0], 'param') && s[0].note?.valueClass === 'n' && !s[0].note.target && !s[0].note.echo);
  if (isWord(s[0], 'CASE')) {
    const c = caseBranches(s, 0);
    return c.end === s.length && (c.hasElse || c.branches.length > 0) && c.branches.every(surelyNull);
  }
  if (s.length !== 2 || !isWord(s[0], ...NULL_FUNCTIONS) || !isGroup(s[1])) return false;
  const args = splitCommas(s[1].items);
  // Scalar min() and max() (two arguments or more) are NULL when any argument is.
  if (isWord(s[0], 'MIN', 'MAX')) return args.length >= 2 && args.some(surelyNull);
  if (isWord(s[0], 'NULLIF')) return args.length === 2 && surelyNull(args[0]!);
  // iif(c, a [, b]): b is NULL when left out (SQLite 3.48).
  if (isWord(s[0], 'IIF')) return (args.length === 2 || args.length === 3) && args.slice(1).every(surelyNull);
  return args.length >= 1 && args.every(surelyNull);
}

/** The NULL literal this rule leaves in place of a surely-NULL value. */
export function isNullValue(n: Node | undefined): boolean {
  return n?.kind === 'tpl' && n.parts.length === 1 && n.parts[0] === 'NULL';
}

/** The rule: each surely-NULL CASE or function call at this level becomes the NULL literal. */
export function surelyNullValues(nodes: Node[], _ctx: Ctx): Node[] {
  const out: Node[] = [];
  let changed = false;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    let end = -1;
    if (isWord(n, 'CASE')) end = caseBranches(nodes, i).end;
    else if (isWord(n, ...NULL_FUNCTIONS) && !isOp(nodes[prevSig(nodes, i)], '.') && isGroup(nodes[nextSig(nodes, i)])) end = nextSig(nodes, i) + 1;
    if (end === -1 || !surelyNull(nodes.slice(i, end))) {
      out.push(n);
      continue;
    }
    // The source span names a result column as SQLite does (`SELECT CASE ... END` is its text).
    const value = tpl(['NULL']);
    value.span = [startOf(n), endOf(nodes[end - 1]!)];
    out.push(value);
    changed = true;
    i = end - 1;
  }
  return changed ? out : nodes;
}
