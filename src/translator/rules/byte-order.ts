/**
 * SQLite compares and sorts text by its bytes (the BINARY collation); PostgreSQL by the database's
 * collation (ICU or libc, where `_z a A b B Z` is the order). Table columns carry COLLATE "C" in
 * the schema and pass it to expressions built on them; text built from literals and parameters
 * does not, so it gets COLLATE "C" where its order can show:
 * - a text item of a SELECT list built from no column (a derived table's or a UNION's column
 *   sorted, compared or aggregated later takes its collation from the item), in a subquery or
 *   in a statement that sorts or combines its results;
 * - both sides of < <= > >= being text with no column among them.
 * Equality, GROUP BY and DISTINCT need nothing: PostgreSQL's collations are deterministic, equal
 * only for the same bytes.
 */
import type { Ctx } from '../context';
import { inferType } from '../infer-type';
import { caseBranches, isType, isWord, nextSig, prevSig, sigNodes, splitCommas, tpl, trimTrivia, type Node } from '../nodes';
import { CLAUSE_KEYWORDS, VALUE_KEYWORDS } from '../keywords';
import { resolveColumn } from '../scope';
import type { Token } from '../tokenizer';
import { operandAfter, operandBefore } from './comparisons';
import { jsonAsText } from './sqlite-values';

const LIST_END = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW', 'INTO']);
const ORDERING = ['<', '<=', '>', '>='];
const COLLATE_C = ' COLLATE "C"';

/** (expr) COLLATE "C": the parentheses keep the collation on the whole expression. */
function collated(expr: Node[]): Node {
  return tpl(['(', expr, ')', COLLATE_C], 'text');
}

function hasCollate(nodes: Node[]): boolean {
  return nodes.some((n) => isWord(n, 'COLLATE') || (n.kind === 'tpl' && n.parts.some((p) => typeof p === 'string' && p.includes('COLLATE'))));
}

/** The expression of a select item, without its alias. */
function itemExpression(item: Node[]): Node[] {
  const t = trimTrivia(item);
  const last = prevSig(t, t.length);
  const before = prevSig(t, last);
  if (before !== -1 && isWord(t[before], 'AS')) return trimTrivia(t.slice(0, before));
  if (before !== -1 && (isType(t[last], 'qident') || (isWord(t[last]) && !['END', 'NULL', 'TRUE', 'FALSE'].includes((t[last] as Token).value)))) {
    const b = t[before];
    if (!(b.kind === 'token' && (b.type === 'op' || isWord(b, 'COLLATE', 'NOT', 'IS', 'AND', 'OR', 'DISTINCT', 'CASE', 'ELSE', 'THEN', 'WHEN', 'LIKE', 'GLOB', 'SELECT')))) return trimTrivia(t.slice(0, last));
  }
  return t;
}

/** The nodes name a column somewhere (a column's collation, "C", then carries to the expression). */
function mentionsColumn(nodes: Node[]): boolean {
  return nodes.some((n) => {
    if (n.kind === 'group') return mentionsColumn(n.items);
    if (n.kind === 'tpl') return n.parts.some((p) => typeof p !== 'string' && mentionsColumn(p));
    if (n.kind !== 'token') return false;
    return n.type === 'qident' || (n.type === 'word' && !CLAUSE_KEYWORDS.has(n.value) && !VALUE_KEYWORDS.has(n.value));
  });
}

/** The THEN/ELSE branches of a CASE (its value comes from them only). */
function branchNodes(expr: Node[]): Node[] | undefined {
  const s = sigNodes(expr);
  return isWord(s[0], 'CASE') ? caseBranches(s, 0).branches.flat() : undefined;
}

function selectItems(nodes: Node[], ctx: Ctx): Node[] {
  const out = nodes.slice();
  for (let i = 0; i < out.length; i++) {
    if (!isWord(out[i], 'SELECT')) continue;
    let from = i + 1;
    const d = nextSig(out, i);
    if (isWord(out[d], 'DISTINCT', 'ALL')) from = d + 1;
    let to = from;
    while (to < out.length && !(isWord(out[to]) && LIST_END.has((out[to] as Token).value)) && !isType(out[to], 'semi')) to++;
    let offset = from;
    const items = splitCommas(out.slice(from, to));
    for (const item of items) {
      const expr = itemExpression(item);
      if (expr.length > 0 && !mentionsColumn(branchNodes(expr) ?? expr) && !hasCollate(expr) && inferType(expr, ctx) === 'text') {
        const at = out.indexOf(expr[0], offset);
        out.splice(at, expr.length, collated(expr));
        to -= expr.length - 1;
      }
      offset = out.indexOf(item[item.length - 1] ?? out[offset], offset) + 1 || offset;
    }
    i = to - 1;
  }
  return out;
}

function isTextOperand(nodes: Node[], ctx: Ctx): boolean {
  return inferType(nodes, ctx) === 'text' && resolveColumn(nodes, ctx.scope) === undefined;
}

function isBareParam(nodes: Node[]): boolean {
  const t = trimTrivia(nodes);
  // Specialised to a value bound that is not text (a number, a blob), it is not compared as text.
  return t.length === 1 && isType(t[0], 'param') && (t[0].note?.valueType ?? 'text') === 'text';
}

/**
 * JSON compared by < <= > >=: SQLite compares the stored text (by byte), jsonb would compare values
 * in its own order. Each JSON side becomes its text (see jsonAsText); a bound value stays as the
 * binder types it.
 */
function jsonOrdering(out: Node[], left: Node[], right: Node[], ctx: Ctx): boolean {
  const isJson = (x: Node[]): boolean => ['jsonb', 'json'].includes(inferType(x, ctx) ?? '') && !x.some((n) => n.kind === 'tpl' && n.jsonScalar);
  const sides = [left, right].filter(isJson);
  if (sides.length === 0 || isBareParam(left) || isBareParam(right)) return false;
  for (const side of sides) {
    const operand = trimTrivia(side);
    const at = out.indexOf(operand[0]!);
    out.splice(at, operand.length, tpl(['(', ...jsonAsText([operand]), ')', COLLATE_C], 'text'));
  }
  for (const side of [left, right].filter((x) => !isJson(x))) {
    const operand = trimTrivia(side);
    if (!hasCollate(operand) && inferType(operand, ctx) === 'text') out.splice(out.indexOf(operand[0]!), operand.length, collated(operand));
  }
  return true;
}

function orderingComparisons(nodes: Node[], ctx: Ctx): Node[] {
  const out = nodes.slice();
  for (let i = 0; i < out.length; i++) {
    const n = out[i];
    if (!(n.kind === 'token' && n.type === 'op' && ORDERING.includes(n.text))) continue;
    const left = operandBefore(out, i);
    const right = operandAfter(out, i);
    if (hasCollate(left) || hasCollate(right)) continue;
    if (jsonOrdering(out, left, right, ctx)) continue;
    const l = isTextOperand(left, ctx);
    const r = isTextOperand(right, ctx);
    if (!((l && (r || isBareParam(right))) || (r && isBareParam(left)))) continue;
    const operand = trimTrivia(right);
    out.splice(out.indexOf(operand[0], i), operand.length, collated(operand));
  }
  return out;
}

export function byteOrder(nodes: Node[], ctx: Ctx): Node[] {
  const compared = orderingComparisons(nodes, ctx);
  if (ctx.kind === 'insert') return compared;
  // The statement's own result columns are only compared when it sorts or combines them.
  if ((ctx.depth ?? 0) === 0 && !compared.some((n) => isWord(n, 'ORDER', 'UNION', 'EXCEPT', 'INTERSECT'))) return compared;
  return selectItems(compared, ctx);
}
