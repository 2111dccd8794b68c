/**
 * Comparisons: a value compared with a column takes the column's type (see value-coercion), and
 * the parameter learns its target column for the binder. Runs on the source tree, before rewrites.
 */
import { fail, quoteLiteral, type Ctx } from '../context';
import { inferType, isIntegerType, isNumericType, MIXED_NUMERIC } from '../infer-type';
import type { Token } from '../tokenizer';
import { sqliteRealText } from '../../backends/postgres/values/real-text';
import { OPERAND_BOUNDARIES } from '../keywords';
import { endOf, isGroup, isOp, isSig, isType, isWord, nextSig, prevSig, sigNodes, splitCommas, startOf, type Node } from '../nodes';
import { isColumnRef, resolveColumn, withLevel } from '../scope';
import { coerceValue } from './value-coercion';
import { booleanInList, boundBetween, classComparison, isComparisonOperator, markCaseConditions, nullInBoundList, paramAffinity, standsAlone, textVersusNumber } from './param-classes';

const COMPARE_OPS = ['=', '==', '!=', '<>', '<', '<=', '>', '>='];
const COMPARE_WORDS = ['LIKE', 'GLOB', 'REGEXP', 'IS'];

function isBoundary(n: Node): boolean {
  return (
    isType(n, 'comma') ||
    isType(n, 'semi') ||
    isOp(n, ...COMPARE_OPS) ||
    (isWord(n) && (OPERAND_BOUNDARIES.has(n.value) || n.value === 'THEN'))
  );
}

/** The nodes of the operand ending just before index i. A `CASE ... END` is one operand, its inner words no boundary. */
export function operandBefore(nodes: Node[], i: number): Node[] {
  let j = i - 1;
  for (; j >= 0; j--) {
    if (!isSig(nodes[j])) continue;
    if (isWord(nodes[j], 'END')) {
      const start = caseStart(nodes, j);
      if (start >= 0) {
        j = start;
        continue;
      }
    }
    // CAST(...) is one operand (CAST is a keyword, its group alone is no operand); so is replace(...).
    if (isWord(nodes[j], 'CAST', 'REPLACE') && isGroup(nodes[nextSig(nodes, j)]) && nextSig(nodes, j) < i) continue;
    if (isBoundary(nodes[j])) break;
  }
  return nodes.slice(j + 1, i);
}

/** The nodes of the operand starting just after index i. A `CASE ... END` is one operand. */
export function operandAfter(nodes: Node[], i: number, extraStop?: string): Node[] {
  let j = i + 1;
  for (; j < nodes.length; j++) {
    if (!isSig(nodes[j])) continue;
    if (isWord(nodes[j], 'CASE')) {
      const end = caseEnd(nodes, j);
      if (end >= 0) {
        j = end;
        continue;
      }
    }
    if (isWord(nodes[j], 'CAST', 'REPLACE') && isGroup(nodes[nextSig(nodes, j)])) {
      j = nextSig(nodes, j);
      continue;
    }
    if (isBoundary(nodes[j]) || isWord(nodes[j], extraStop ?? '')) break;
  }
  return nodes.slice(i + 1, j);
}

/** The index of the CASE that the END at `end` closes (nested CASEs counted), or -1. */
function caseStart(nodes: Node[], end: number): number {
  let depth = 0;
  for (let k = end; k >= 0; k--) {
    if (isWord(nodes[k], 'END')) depth++;
    else if (isWord(nodes[k], 'CASE') && --depth === 0) return k;
  }
  return -1;
}

/** The index of the END that closes the CASE at `start` (nested CASEs counted), or -1. */
function caseEnd(nodes: Node[], start: number): number {
  let depth = 0;
  for (let k = start; k < nodes.length; k++) {
    if (isWord(nodes[k], 'CASE')) depth++;
    else if (isWord(nodes[k], 'END') && --depth === 0) return k;
  }
  return -1;
}

export function annotateComparisons(nodes: Node[], ctx: Ctx): void {
  markCaseConditions(nodes);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (isGroup(n)) withLevel(ctx, n.items, () => annotateComparisons(n.items, ctx));
    else if (isOp(n, ...COMPARE_OPS) || isWord(n, ...COMPARE_WORDS)) {
      const left = operandBefore(nodes, skipNot(nodes, i));
      let at = i;
      if (isWord(n, 'IS') && isWord(nodes[nextSig(nodes, i)], 'NOT')) at = nextSig(nodes, i);
      const right = operandAfter(nodes, at);
      const assignment = n.note?.assignment === true;
      const fixed = !assignment && isComparisonOperator(n) ? classComparison(n, at !== i, left, right, ctx) : undefined;
      const first = fixed ? nodes.indexOf(sigNodes(left)[0]!) : -1;
      const last = fixed ? nodes.indexOf(sigNodes(right)[sigNodes(right).length - 1]!) : -1;
      if (fixed && standsAlone(nodes, first, last)) {
        // The class of the value bound decides the comparison (param-classes.ts); a result column
        // keeps the comparison's text as its name.
        if (fixed.kind === 'tpl') fixed.span = [startOf(nodes[first]!), endOf(nodes[last]!)];
        if (fixed.kind === 'group') [fixed.start, fixed.end] = [startOf(nodes[first]!), endOf(nodes[last]!) - 1];
        // An expression kept in the answer (a group) is annotated here when it was the right operand.
        const revisit = fixed.kind === 'group' && sigNodes(left).length === 1 && isType(sigNodes(left)[0], 'param');
        nodes.splice(first, last - first + 1, fixed);
        i = revisit ? first - 1 : first;
        continue;
      }
      pair(left, right, ctx, !isWord(n, 'LIKE', 'GLOB', 'REGEXP'), assignment);
      const ordering = isOp(n, ...ORDERING_OPS);
      if (!assignment) {
        widenIntegerParam(left, ordering);
        widenIntegerParam(right, ordering);
        textVersusNumber(left);
        textVersusNumber(right);
      }
    } else if (isWord(n, 'IN')) {
      const list = nodes[nextSig(nodes, i)];
      const inLeft = operandBefore(nodes, skipNot(nodes, i));
      const nullIn = inLeft.length > 0 ? nullInBoundList(inLeft, list) : undefined;
      if (nullIn) {
        const first = nodes.indexOf(sigNodes(inLeft)[0]!);
        const last = nextSig(nodes, i);
        if (standsAlone(nodes, first, last)) {
          if (nullIn.kind === 'tpl') nullIn.span = [startOf(nodes[first]!), endOf(nodes[last]!)];
          nodes.splice(first, last - first + 1, nullIn);
          i = first;
          continue;
        }
      }
      const moved = booleanInList(nodes, inLeft, list, ctx);
      if (moved >= 0) {
        i -= moved;
        continue;
      }
      const col = resolveColumn(inLeft, ctx.scope);
      if (isGroup(list) && !isWord(list.items[nextSig(list.items, -1)], 'SELECT', 'WITH', 'VALUES')) {
        inListAffinity(inLeft, splitCommas(list.items), ctx);
        if (col) {
          for (const item of splitCommas(list.items)) {
            coerceValue(item, col, ctx);
            widenIntegerParam(item, false);
          }
        }
      }
    } else if (isWord(n, 'BETWEEN')) {
      const betweenLeft = operandBefore(nodes, skipNot(nodes, i));
      const leftAt = betweenLeft.length ? nodes.indexOf(sigNodes(betweenLeft)[0]!) : -1;
      const bLow = operandAfter(nodes, i, 'AND');
      const bAnd = i + bLow.length + 1;
      if (leftAt !== -1 && boundBetween(nodes, i, betweenLeft, bLow, isWord(nodes[bAnd], 'AND') ? operandAfter(nodes, bAnd) : undefined, ctx)) {
        i = leftAt - 1; // the group it became is annotated next
        continue;
      }
      const left = betweenLeft;
      const col = resolveColumn(betweenLeft, ctx.scope);
      const low = operandAfter(nodes, i, 'AND');
      const andAt = i + low.length + 1;
      // `x BETWEEN a AND b` is `x >= a AND x <= b`: a literal bound takes x's affinity, or none;
      // a text x against two numbers with no affinity stays text, above both.
      literalAffinity(low, left, ctx);
      const high = isWord(nodes[andAt], 'AND') ? operandAfter(nodes, andAt) : undefined;
      if (high) literalAffinity(high, left, ctx);
      const plainNumber = (b: Node[]): boolean => !resolveColumn(b, ctx.scope) && !sigNodes(b).some((x) => isType(x, 'param')) && isNumericType(inferType(b, ctx));
      if (high && plainNumber(low) && plainNumber(high)) literalAffinity(left, low, ctx);
      if (col) {
        coerceValue(low, col, ctx);
        widenIntegerParam(low, true);
        if (isWord(nodes[andAt], 'AND')) {
          const high = operandAfter(nodes, andAt);
          coerceValue(high, col, ctx);
          widenIntegerParam(high, true);
        }
      }
      // The lower bound is skipped below: comparisons inside its parentheses are annotated here.
      for (const g of low) if (isGroup(g)) annotateComparisons(g.items, ctx);
      i = andAt; // the AND of BETWEEN is not a boundary of the next comparison
    }
  }
}

/**
 * `x IN (a, b)`: SQLite applies x's affinity to the items (a literal item is converted as in
 * `x = a`), and none when x has none: text x is never equal to a number item, even a numeric
 * column's (`'1' IN (i)` is false where `'1' = i` is true).
 */
function inListAffinity(left: Node[], items: Node[][], ctx: Ctx): void {
  for (const item of items) literalAffinity(item, left, ctx);
  const s = withoutAlias(sigNodes(left));
  if (s.length !== 1 || !isType(s[0], 'string') || items.length === 0) return;
  const numeric = (item: Node[]): boolean => {
    const t = resolveColumn(item, ctx.scope)?.column.type ?? inferType(item, ctx);
    return isNumericType(t) || t === 'boolean';
  };
  if (items.every(numeric)) s[0].note = { ...s[0].note, replace: ABOVE_ALL_NUMBERS };
}

const ORDERING_OPS = ['<', '<=', '>', '>='];
const INTEGER_TYPES = ['bigint', 'integer', 'smallint'];

/**
 * A parameter ordered against an INTEGER column (`memory_mb > ?`): SQLite compares the bound
 * number as it is (255.5 is between 255 and 256), so it is read as numeric, not as the column's
 * bigint (which refuses a fraction). Equality (=, !=, IS, IN) keeps the column's type, so that an
 * index serves it, unless the value bound is a fraction (class `f` of a translation specialised to
 * the values bound): 255.5 is then equal to no integer, as in SQLite, instead of an error.
 */
function widenIntegerParam(slice: Node[], ordering: boolean): void {
  const s = sigNodes(unparenthesizedParam(slice));
  if (s.length !== 1 || !isType(s[0], 'param')) return;
  const note = s[0].note;
  if (!note?.target || !INTEGER_TYPES.includes(note.target.type) || note.cast) return;
  if (ordering) s[0].note = { ...note, cast: 'numeric' };
  if (note.valueClass === 'f') s[0].note = { ...note, cast: 'numeric', target: { ...note.target, type: 'numeric' } };
  // The answer depends on the value bound (a number beyond 64 bits): the statement is specialised per call.
  s[0].note = { ...s[0].note, valueSensitive: true };
}

/** `a NOT LIKE b`: the left operand ends before the NOT. */
function skipNot(nodes: Node[], i: number): number {
  const p = prevSig(nodes, i);
  return p !== -1 && isWord(nodes[p], 'NOT') ? p : i;
}

/** json_extract(...) compared with a number: SQLite compares the JSON number as a number. */
function numericJson(a: Node[], b: Node[]): void {
  const sa = sigNodes(a);
  const sb = sigNodes(b);
  const isNumber = (sb.length === 1 && isType(sb[0], 'number')) || (sb.length === 2 && isOp(sb[0], '-') && isType(sb[1], 'number'));
  if (isNumber && sa.length === 2 && isWord(sa[0], 'JSON_EXTRACT') && isGroup(sa[1])) sa[0].note = { ...sa[0].note, numeric: true };
  // A json_extract() column of a FROM subquery or CTE (derived-json-refs.ts) is read the same way.
  if (isNumber && sa[0]?.kind === 'token' && sa[0].note?.derivedJson !== undefined && isColumnRef(sa)) sa[0].note = { ...sa[0].note, numeric: true };
}

/** Text SQLite's numeric affinity turns into a number (spaces around allowed). */
const NUMERIC_TEXT = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
/** Sorts after every number: how SQLite orders any text against a number. */
const ABOVE_ALL_NUMBERS = "CAST('Infinity' AS double precision)";

/**
 * SQLite's comparison affinity for a literal against the other side (https://sqlite.org/datatype3.html):
 * - text against a numeric column: the text becomes a number when it reads as one, else it stays
 *   text, which sorts after every number; against a numeric value with no affinity (a literal, an
 *   arithmetic expression) it stays text: '1' = 1 is false. Text that stays text becomes a value
 *   above every number, which gives exactly those answers; text read as a fraction against an
 *   INTEGER column is compared as numeric (PostgreSQL would read it as a bigint and fail).
 * - a number against a TEXT column becomes text, as SQLite writes that number.
 */
function literalAffinity(lit: Node[], other: Node[], ctx: Ctx): void {
  const s = withoutAlias(sigNodes(lit));
  const col = resolveColumn(other, ctx.scope);
  if (s.length === 1 && isType(s[0], 'string')) {
    const value = s[0].value;
    // SQLite orders every text before every blob; PostgreSQL would read the literal as bytes.
    if (inferType(other, ctx) === 'bytea') {
      fail(ctx, `a text literal compared with a blob (${s[0].text})`, 'SQLite orders any text before any blob and never finds them equal; compare CAST(blob AS TEXT) with the text, or the blob with a blob literal.');
    }
    if (col && isNumericType(col.column.type)) {
      if (!NUMERIC_TEXT.test(value)) s[0].note = { ...s[0].note, replace: ABOVE_ALL_NUMBERS };
      else if (isIntegerType(col.column.type) && !/^\s*[+-]?\d+\s*$/.test(value)) s[0].note = { ...s[0].note, replace: `CAST(${quoteLiteral(value)} AS numeric)` };
    } else if (!col && [inferType(other, ctx)].some((t) => isNumericType(t) || t === 'boolean' || t === MIXED_NUMERIC)) {
      // A comparison is a number (0/1) in SQLite: text against it stays text too.
      s[0].note = { ...s[0].note, replace: ABOVE_ALL_NUMBERS };
    }
    return;
  }
  // A column declared without a type has no affinity: the number stays a number (no-affinity.ts).
  if (col?.column.type !== 'text' || col.column.noAffinity) return;
  const negative = s.length === 2 && isOp(s[0], '-') && isType(s[1], 'number');
  const found = s.length === 1 ? s[0] : negative ? s[1] : undefined;
  if (!isType(found, 'number')) return;
  const number: Token = found;
  const text = sqliteNumberText(number.text, negative);
  if (text === undefined) return;
  if (negative) (s[0] as Token).note = { ...(s[0] as Token).note, replace: "" };
  number.note = { ...number.note, replace: quoteLiteral(text) };
}

/** A select item's operand may run into its alias (`1 = '1' a`): the alias is not part of it. */
function withoutAlias(s: Node[]): Node[] {
  const last = s[s.length - 1];
  const before = s[s.length - 2];
  if (s.length >= 2 && (isType(last, 'qident') || isWord(last)) && (isType(before, 'string') || isType(before, 'number'))) return s.slice(0, -1);
  return s;
}

/** The text SQLite gives a numeric literal (an integer's digits, a real as SQLite prints it). */
function sqliteNumberText(literal: string, negative: boolean): string | undefined {
  if (/^\d+$/.test(literal) || /^0[xX][0-9a-fA-F]+$/.test(literal)) {
    const v = BigInt(literal) * (negative ? -1n : 1n);
    return v >= -9223372036854775808n && v <= 9223372036854775807n ? v.toString() : undefined;
  }
  const v = Number(literal) * (negative ? -1 : 1);
  return Number.isFinite(v) ? sqliteRealText(v) : undefined;
}

function pair(l: Node[], r: Node[], ctx: Ctx, affinity: boolean, assignment: boolean): void {
  // A value bound in parentheses is compared as the value itself (SQLite drops the parentheses).
  const left = assignment ? l : unparenthesizedParam(l);
  const right = assignment ? r : unparenthesizedParam(r);
  numericJson(left, right);
  numericJson(right, left);
  if (affinity) {
    literalAffinity(left, right, ctx);
    literalAffinity(right, left, ctx);
  }
  if (affinity && !assignment) {
    paramAffinity(left, right, ctx);
    paramAffinity(right, left, ctx);
  }
  // Compared with a column declared without a type, a value keeps its class: no target to convert it to.
  const typed = (col: ReturnType<typeof resolveColumn>) => col && (assignment || !col.column.noAffinity) ? col : undefined;
  const lcol = typed(resolveColumn(left, ctx.scope));
  if (lcol && coerceValue(right, lcol, ctx)) return;
  const rcol = typed(resolveColumn(right, ctx.scope));
  if (rcol) coerceValue(left, rcol, ctx);
}

/** `(?)`, `((?))` as `?`; any other operand as it is. */
function unparenthesizedParam(slice: Node[]): Node[] {
  const s = sigNodes(slice);
  if (s.length !== 1 || !isGroup(s[0])) return slice;
  const inner = unparenthesizedParam(s[0].items);
  const i = sigNodes(inner);
  return i.length === 1 && isType(i[0], 'param') ? inner : slice;
}
