/**
 * Comparisons of a parameter, in a translation specialised to the values bound (translate's
 * valueClasses), where the value's storage class decides SQLite's answer and PostgreSQL cannot
 * compare the two types. SQLite orders values by class first: NULL < numbers < text < blob, and
 * converts only where a column's affinity applies (https://sqlite.org/datatype3.html):
 * - a blob bound, compared with a text or number (a column, a literal), and a number or text bound,
 *   compared with a BLOB column or a blob literal: the classes differ and nothing converts, so the
 *   answer is fixed by the classes (NULL where the column is NULL);
 * - a number bound, compared with a BOOLEAN column (SQLite's INTEGER 0/1): compared as numbers;
 * - a text bound, compared with a numeric column: the column's affinity makes it a number when it
 *   reads as one, else it stays text, above every number (the value layer sends the number or
 *   'Infinity', TEXT_VS_NUMBER);
 * - a text or blob bound, compared with a number that has no affinity (an expression, a literal):
 *   above every number;
 * - a number or text bound, compared with a JSON or TIMESTAMP column: see param-text-stored.ts.
 */
import type { Ctx } from '../context';
import { inferType, isNumericType } from '../infer-type';
import { endOf, isGroup, isOp, isType, isWord, loneParam, nextSig, prevSig, sigNodes, sourceSpan, splitCommas, startOf, tpl, trimTrivia, type Node } from '../nodes';
import { mapDeclaredType } from '../../schema/type-mapping';
import { isColumnRef, resolveColumn } from '../scope';
import type { Token } from '../tokenizer';
import { CONDITION_OPERAND, TEXT_VS_NUMBER } from '../types';
import { textStoredComparison, textStoredType } from './param-text-stored';
import { surelyNull } from './surely-null';

/** Sorts after every number: how SQLite orders any text against a number. */
export const ABOVE_ALL_NUMBERS = "CAST('Infinity' AS double precision)";

const RANK: Record<string, number> = { i: 1, r: 1, f: 1, t: 2, b: 3 };


/** SQLite's class rank of the other operand when it is a column or a literal, and whether it is a column. */
function otherRank(other: Node[], ctx: Ctx): { rank: number; column: boolean; type?: string; expression?: boolean; cast?: string } | undefined {
  const col = resolveColumn(other, ctx.scope);
  if (col) {
    const type = col.column.type;
    const rank = type === 'bytea' ? 3 : isNumericType(type) || type === 'boolean' ? 1 : 2;
    return { rank, column: true, type };
  }
  const s = sigNodes(other);
  const cast = castType(s, ctx);
  if (cast) return { rank: cast === 'bytea' ? 3 : cast === 'text' ? 2 : 1, column: false, expression: true, cast };
  if (s.length === 1 && isType(s[0], 'string')) return { rank: 2, column: false };
  if (s.length === 1 && isType(s[0], 'blob')) return { rank: 3, column: false };
  if (s.length === 1 && isType(s[0], 'number')) return { rank: 1, column: false };
  if (!withoutAffinity(s)) return undefined;
  // An expression with no affinity (a function's value, ||, arithmetic, CASE): its class, NULL where it is.
  const type = valueType(other, ctx);
  const rank = type === 'text' ? 2 : type === 'bytea' ? 3 : isNumericType(type) || type === 'boolean' ? 1 : undefined;
  return rank === undefined ? undefined : { rank, column: false, expression: true };
}

/** The type of `CAST(x AS type)` (its value's class, and the affinity SQLite gives it), if `s` is one. */
function castType(s: Node[], ctx: Ctx): string | undefined {
  if (s.length !== 2 || !isWord(s[0], 'CAST') || !isGroup(s[1])) return undefined;
  const items = s[1].items;
  const as = items.map((n) => isWord(n, 'AS')).lastIndexOf(true);
  if (as === -1) return undefined;
  const type = mapDeclaredType(sourceSpan(items.slice(as + 1), ctx.sql) ?? '');
  return type === 'text' || type === 'bytea' || isNumericType(type) ? type : undefined;
}

/**
 * The type of an operand's value. date(), time(), datetime() and strftime() give text,
 * julianday() and unixepoch() a number (or NULL), whatever form their rules give them later (a
 * datetime() may become a timestamp).
 */
function valueType(other: Node[], ctx: Ctx): string | undefined {
  const s = sigNodes(other);
  const call = s.length === 2 && isGroup(s[1]) ? s[0] : undefined;
  if (isWord(call, 'DATE', 'TIME', 'DATETIME', 'STRFTIME')) return 'text';
  if (isWord(call, 'JULIANDAY', 'UNIXEPOCH')) return 'double precision';
  return inferType(other, ctx);
}

/**
 * An expression SQLite gives no affinity: not a column (in parentheses or not), not a CAST (which
 * has its type's affinity), nothing COLLATE passes a column's affinity through.
 */
function withoutAffinity(s: Node[]): boolean {
  let t = s;
  while (t.length === 1 && isGroup(t[0])) t = sigNodes(t[0].items);
  // A lone value bound or CAST(...) (castType's business): an expression that only begins with one
  // (`? || 'a'`, `CAST(x AS TEXT) || 'a'`) has no affinity like any other.
  if (t.length === 0 || isColumnRef(t) || (t.length === 2 && isWord(t[0], 'CAST')) || (t.length === 1 && isType(t[0], 'param'))) return false;
  return !t.some((n) => isWord(n, 'COLLATE', 'SELECT'));
}

/** The operator as PostgreSQL writes it. */
function pgOperator(op: Token, isNot: boolean): string {
  if (isWord(op, 'IS')) return isNot ? 'IS DISTINCT FROM' : 'IS NOT DISTINCT FROM';
  return op.text === '==' ? '=' : op.text;
}

/** The answer of `left op right` from the sign of left's class against right's. */
function fixedAnswer(op: Token, isNot: boolean, sign: number): boolean {
  if (isWord(op, 'IS')) return isNot; // the classes differ: never the same value
  switch (op.text) {
    case '=': case '==': return sign === 0;
    case '!=': case '<>': return sign !== 0;
    case '<': return sign < 0;
    case '<=': return sign <= 0;
    case '>': return sign > 0;
    default: return sign >= 0;
  }
}

/**
 * The comparison `left op right` (op at nodes[i], `IS NOT` ending at nodes[at]) rewritten when the
 * class of a parameter decides it: returns the node that replaces it, or undefined.
 */
export function classComparison(op: Token, isNot: boolean, left: Node[], right: Node[], ctx: Ctx): Node | undefined {
  const lp = loneParam(left);
  const rp = loneParam(right);
  const param = lp ?? rp;
  if (!param || param.note?.target) return undefined;
  if (lp && rp) {
    // Two values bound: no affinity on either side, so two classes never compare equal.
    const l = RANK[lp.note?.valueClass ?? ''];
    const r = RANK[rp.note?.valueClass ?? ''];
    if (l === undefined || r === undefined || l === r) return undefined;
    return tpl([`(${fixedAnswer(op, isNot, Math.sign(l - r)) ? 'true' : 'false'})`], 'boolean');
  }
  const cls = param.note?.valueClass;
  const rank = cls === undefined ? undefined : RANK[cls];
  if (rank === undefined) return undefined;
  const other = lp ? right : left;
  if (cls !== 'n' && surelyNull(other)) return tpl([isWord(op, 'IS') ? `(${isNot ? 'true' : 'false'})` : 'CAST(NULL AS boolean)'], 'boolean');
  if (textStoredType(other, ctx)) {
    const compared = textStoredComparison(op, isNot, param, lp !== undefined, other, cls!, ctx);
    if (compared) return compared;
  }
  const o = otherRank(other, ctx);
  if (!o) return undefined;
  if (o.type === 'boolean' && (rank === 1 || cls === 't')) {
    // SQLite's BOOLEAN is an INTEGER 0/1: 2 equals neither; text is read by the column's affinity.
    if (cls === 't') param.note = { ...param.note, cast: 'numeric', target: { table: '', column: '', type: TEXT_VS_NUMBER } };
    const col = tpl(['CAST(', sigNodes(other), ' AS integer)']);
    const sides = lp ? [[param] as Node[], [col]] : [[col], [param] as Node[]];
    return tpl(['(', sides[0]!, ` ${pgOperator(op, isNot)} `, sides[1]!, ')'], 'boolean');
  }
  // CAST(x AS type) has that type's affinity: a number bound against a TEXT one is compared as its
  // text (the value layer sends SQLite's text of it), a text bound against a numeric one is read as
  // a number when it is one, else stays above every number.
  if (o.cast === 'text' && rank === 1) {
    param.note = { ...param.note, cast: 'text' };
    return undefined;
  }
  if (o.cast && o.rank === 1 && cls === 't') {
    param.note = { ...param.note, cast: 'numeric', target: { table: '', column: '', type: TEXT_VS_NUMBER } };
    return undefined;
  }
  // A text bound against a number with no affinity is left to paramAffinity (above every number);
  // a number bound against a text literal or expression is below it (not by a stand-in value above
  // every number, which an infinity bound would equal).
  const numberVsText = !o.column && rank === 1 && o.rank === 2;
  if (rank === o.rank || (rank !== 3 && o.rank !== 3 && !numberVsText)) return undefined;
  const sign = lp ? Math.sign(rank - o.rank) : Math.sign(o.rank - rank);
  const answer = fixedAnswer(op, isNot, sign);
  if (o.expression && !isWord(op, 'IS')) return fixedOverExpression(answer, other);
  return fixed(answer, o.column && !isWord(op, 'IS') ? sigNodes(other) : undefined);
}

/**
 * A comparison's fixed answer, NULL where the expression is NULL: `CASE WHEN (expr) IS NULL THEN
 * NULL ELSE answer END` as tokens and a group, which the rewrite rules still translate (a template's
 * parts they do not see). Its place in the source is set by the caller.
 */
function fixedOverExpression(answer: boolean, expression: Node[]): Node {
  const ws = (): Token => token('ws', ' ');
  const w = (text: string): Token => token('word', text);
  const inner: Node = { kind: 'group', items: trimTrivia(expression), start: -1, end: -1 };
  const items: Node[] = [w('CASE'), ws(), w('WHEN'), ws(), inner, ws(), w('IS'), ws(), w('NULL'), ws(), w('THEN'), ws(), w('NULL'), ws(), w('ELSE'), ws(), w(answer ? 'TRUE' : 'FALSE'), ws(), w('END')];
  return { kind: 'group', items, start: -1, end: -1 };
}

/** A comparison's fixed answer; NULL where `column` (when given) is NULL, as any comparison with NULL. */
function fixed(answer: boolean, column: Node[] | undefined): Node {
  const text = answer ? 'true' : 'false';
  return column ? tpl(['(CASE WHEN ', column, ` IS NULL THEN NULL ELSE ${text} END)`], 'boolean') : tpl([`(${text})`], 'boolean');
}

/**
 * Whether `left op right` is a whole comparison: no comparison operator right before or after it
 * (`0 > 1 IS NOT ?` is `(0 > 1) IS NOT ?` in SQLite; the operands found around IS would be wrong).
 */
export function standsAlone(nodes: Node[], first: number, last: number): boolean {
  const before = nodes[prevSig(nodes, first)];
  const after = nodes[nextSig(nodes, last)];
  const comparing = (n: Node | undefined): boolean => n !== undefined && (isComparisonOperator(n) || isWord(n, 'NOT', 'LIKE', 'GLOB', 'REGEXP', 'MATCH', 'BETWEEN', 'IN', 'ISNULL', 'NOTNULL', 'ESCAPE', 'COLLATE'));
  return !comparing(before) && !comparing(after);
}

/**
 * A parameter compared (not assigned) with a column or an expression: the statement depends on the
 * value's class (Translation.valueTyped). Specialised to it: a text or blob against a number with
 * no affinity sorts above every number, a text against a numeric column is read as SQLite's
 * affinity reads it. Runs before the parameter takes the column as its target.
 */
export function paramAffinity(param: Node[], other: Node[], ctx: Ctx): void {
  const p = loneParam(param);
  if (!p || p.note?.target) return;
  const col = resolveColumn(other, ctx.scope);
  if (col) p.note = { ...p.note, valueSensitive: true };
  const cls = p.note?.valueClass;
  if (cls !== 'b' && cls !== 't') return;
  const otherType = col ? col.column.type : valueType(other, ctx);
  if (!isNumericType(otherType) && (col || otherType !== 'boolean')) return;
  if (cls === 'b' || !col) p.note = { ...p.note, replace: ABOVE_ALL_NUMBERS };
  else p.note = { ...p.note, textVsNumber: true };
}

/** After the column gave the parameter its target: a text read as the numeric column's affinity reads it. */
export function textVersusNumber(slice: Node[]): void {
  const p = loneParam(slice);
  if (!p?.note?.textVsNumber || !p.note.target) return;
  p.note = { ...p.note, target: { ...p.note.target, type: TEXT_VS_NUMBER }, cast: 'numeric' };
}

export function isComparisonOperator(n: Node): boolean {
  return isOp(n, '=', '==', '!=', '<>', '<', '<=', '>', '>=') || isWord(n, 'IS');
}

/**
 * `CASE WHEN ? THEN`: the parameter is a whole condition (see conditions.ts), marked on the source
 * tree, before a rule that wraps the CASE in a template (LIKE's operand) hides it from the
 * conditions rule: PostgreSQL would read the value as a boolean's text ('4' is an error there).
 */
export function markCaseConditions(nodes: Node[]): void {
  for (let i = 0; i < nodes.length; i++) {
    if (!isWord(nodes[i], 'CASE') || !isWord(nodes[nextSig(nodes, i)], 'WHEN')) continue;
    let depth = 0;
    for (let k = i; k < nodes.length; k++) {
      const n = nodes[k];
      if (isWord(n, 'CASE')) depth++;
      else if (isWord(n, 'END') && --depth === 0) break;
      if (depth !== 1 || !isWord(n, 'WHEN')) continue;
      const p = nodes[nextSig(nodes, k)];
      if (isType(p, 'param') && isWord(nodes[nextSig(nodes, nextSig(nodes, k))], 'THEN') && !p.note?.target) {
        p.note = { ...p.note, target: { table: '', column: 'condition', type: CONDITION_OPERAND }, cast: 'boolean' };
      }
    }
  }
}

/**
 * `x IN (list)` with x surely NULL and a value bound in the list, in a translation specialised to
 * the values bound: NULL as in SQLite (the empty list has its own rule), instead of a text
 * PostgreSQL cannot compare with a number or a Buffer bound.
 */
export function nullInBoundList(left: Node[], list: Node): Node | undefined {
  if (!isGroup(list) || !surelyNull(left) || sigNodes(left).every((n) => isWord(n, 'NULL'))) return undefined;
  const items = splitCommas(list.items);
  const bound = (item: Node[]): boolean => {
    const p = loneParam(item);
    return p !== undefined && p.note?.valueClass !== undefined && p.note.valueClass !== 'n' && p.note.valueClass !== 't';
  };
  return items.length > 0 && items.some(bound) ? tpl(['CAST(NULL AS boolean)'], 'boolean') : undefined;
}


/**
 * `boolean_column IN (list)` with values bound in the list, in a translation specialised to the
 * values bound: SQLite's BOOLEAN column holds INTEGER 0/1 under NUMERIC affinity, so the column is
 * compared as its integer; a number bound as a number (0.5 and 2 match nothing), a text as the
 * number its affinity reads (else above every number), a Buffer above every number. Returns how many
 * nodes the column's place lost (the caller's index moves back by that), or -1 when not applied.
 */
export function booleanInList(nodes: Node[], left: Node[], list: Node, ctx: Ctx): number {
  if (!isGroup(list)) return -1;
  const col = resolveColumn(left, ctx.scope);
  if (col?.column.type !== 'boolean') return -1;
  const items = splitCommas(list.items);
  const bound = items.map(loneParam);
  // The answer depends on the class of the value bound: the statement is specialised per call.
  for (const p of bound) if (p && !p.note?.target) p.note = { ...p.note, valueSensitive: true };
  if (!bound.some((p) => p?.note?.valueClass !== undefined && p.note.valueClass !== 'n' && !p.note.target)) return -1;
  for (const p of bound) {
    const cls = p?.note?.valueClass;
    if (!p || p.note?.target || cls === undefined) continue;
    if (cls === 't') p.note = { ...p.note, cast: 'numeric', target: { table: col.table.name, column: col.column.name, type: TEXT_VS_NUMBER } };
    else if (cls === 'b') p.note = { ...p.note, replace: ABOVE_ALL_NUMBERS };
  }
  const s = sigNodes(left);
  const first = nodes.indexOf(s[0]!);
  const last = nodes.indexOf(s[s.length - 1]!);
  if (first === -1 || last === -1) return -1;
  const asInteger = tpl(['CAST(', nodes.slice(first, last + 1), ' AS integer)'], 'integer');
  asInteger.span = [startOf(nodes[first]!), endOf(nodes[last]!)];
  nodes.splice(first, last - first + 1, asInteger);
  return last - first;
}

const token = (type: Token['type'], text: string): Token => ({ kind: 'token', type, text, value: type === 'word' ? text.toUpperCase() : text, start: -1 });

/** An operand that gives the same value read twice, cheaply: columns, literals, operators (no call, no subquery). */
function repeatable(nodes: Node[]): boolean {
  const s = sigNodes(nodes);
  return s.length > 0 && s.every((n, k) => {
    if (isGroup(n)) return !isWord(n.items[nextSig(n.items, -1)], 'SELECT', 'WITH', 'VALUES') && !(k > 0 && isWord(s[k - 1]) && !isWord(s[k - 1], 'CAST')) && repeatable(n.items);
    return n.kind === 'token' && !isType(n, 'param');
  });
}

/** A copy of nodes that rules may annotate or rewrite apart from the originals (groups copied too). */
function copyNodes(nodes: Node[]): Node[] {
  return nodes.map((n): Node => {
    if (n.kind === 'token') return { ...n, note: n.note && { ...n.note } };
    if (n.kind === 'group') return { ...n, items: copyNodes(n.items) };
    return n;
  });
}

/** A lone parameter, in parentheses or not, with SQLite's no-op unary + or not (`?`, `(?)`, `+ ?`). */
function boundOperand(slice: Node[]): Token | undefined {
  const s = sigNodes(slice);
  if (s.length === 1 && isGroup(s[0])) return boundOperand(s[0].items);
  if (s.length === 2 && isOp(s[0], '+') && isType(s[1], 'param')) return s[1];
  return loneParam(slice);
}

/**
 * `? [NOT] BETWEEN low AND high` (or `column BETWEEN ? AND ?`), in a translation specialised to
 * the values bound: SQLite's
 * `x >= low AND x <= high` (NOT: `x < low OR x > high`), each comparison on its own, as SQLite
 * applies each bound's affinity to the value on its own (a text against an INTEGER column is read
 * as a number, against an expression stays text). `at` is the BETWEEN, `high` undefined without
 * its AND; returns whether it was
 * rewritten (then as one group in place of the whole, named by its source text).
 */
export function boundBetween(nodes: Node[], at: number, left: Node[], low: Node[], high: Node[] | undefined, ctx: Ctx): boolean {
  if (left.length === 0 || !high) return false;
  const bound = (x: Node[]): boolean => {
    const q = boundOperand(x);
    return q !== undefined && !q.note?.target && q.note?.valueClass !== undefined;
  };
  // A value bound on the left, or as a bound of an operand that can be read twice (`i BETWEEN ? AND ?`).
  const p = boundOperand(left);
  if (!(bound(left) || (repeatable(left) && (bound(low) || bound(high))))) return false;
  let first = nodes.indexOf(sigNodes(left)[0]!);
  let operand = trimTrivia(left);
  // `CAST(x AS t) BETWEEN ...`: the operand found is only CAST's parentheses; CAST belongs to it.
  if (!p && isWord(nodes[prevSig(nodes, first)], 'CAST')) {
    first = prevSig(nodes, first);
    operand = [nodes[first]!, ...operand];
    if (!repeatable(operand)) return false;
  }
  const hs = sigNodes(high);
  const last = hs.length ? nodes.indexOf(hs[hs.length - 1]!) : -1;
  if (first === -1 || last === -1 || sigNodes(low).length === 0) return false;
  // The left operand twice: a parameter as two tokens of one source, a column as two references.
  let again: Node[];
  if (p) {
    const copy: Token = { ...p, note: { ...p.note } };
    const source = ctx.params.sources.get(p);
    if (source) ctx.params.sources.set(copy, source);
    again = [copy];
  } else {
    again = copyNodes(operand);
  }
  const once: Node[] = p ? [p] : operand;
  const not = isWord(nodes[prevSig(nodes, at)], 'NOT');
  const ws = (): Token => token('ws', ' ');
  // Each comparison in its own parentheses: the whole reads as a condition (an operand that begins
  // with CASE would read as the CASE's value).
  const group = (items: Node[]): Node => ({ kind: 'group', items, start: -1, end: -1 });
  const items: Node[] = [
    group([...once, ws(), token('op', not ? '<' : '>='), ws(), ...trimTrivia(low)]), ws(), token('word', not ? 'OR' : 'AND'), ws(),
    group([...again, ws(), token('op', not ? '>' : '<='), ws(), ...trimTrivia(high)]),
  ];
  nodes.splice(first, last - first + 1, { kind: 'group', items, start: startOf(nodes[first]!), end: endOf(nodes[last]!) - 1 });
  return true;
}
