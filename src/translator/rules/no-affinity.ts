/**
 * Comparisons where a side has no affinity in SQLite and PostgreSQL's value is text:
 * - json_extract() and ->>: SQLite's value has the JSON value's own storage class (a number is an
 *   INTEGER or REAL, a string TEXT, true/false 1/0, an array or object its JSON text);
 * - a column declared without a type: it holds text here, and SQLite does not convert what it is
 *   compared with (`u = 10` is false for the text '10').
 * Against an operand with no affinity either (a literal, a parameter, an expression, another JSON
 * value) SQLite orders by class first, NULL < numbers < text < blobs, and compares within the
 * class: `json_extract('[1]', '$[0]') >= '0'` is false (a number is below any text). PostgreSQL
 * would compare text. So both sides become a key (class, number, text), compared as a row, which
 * orders exactly as SQLite (NULL in the class makes the answer NULL, as SQLite's; IS compares the
 * rows NULL-safely).
 * Against a column, the column's affinity applies first: a TEXT column makes the value text (the
 * comparison of text PostgreSQL already does); an INTEGER, REAL, NUMERIC or BOOLEAN column makes
 * text that reads as a number that number. Against a TIMESTAMP or JSON column, or an operand whose
 * type the translator cannot tell, the comparison is refused at prepare.
 */
import { fail, type Ctx } from '../context';
import { inferType, isNumericType, MIXED_NUMERIC } from '../infer-type';
import { isOp, isType, isWord, nextSig, tpl, trimTrivia, type Node, type Tpl } from '../nodes';
import { resolveColumn } from '../scope';
import type { Token } from '../tokenizer';
import type { Parts } from './call';
import { operandAfter, operandBefore } from './comparisons';
import { jsonAsText } from './sqlite-values';

const COMPARE_OPS = ['=', '==', '!=', '<>', '<', '<=', '>', '>='];
/** Text SQLite's numeric affinity turns into a number (spaces around allowed). */
const NUMERIC_TEXT = String.raw`'^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$'`;
const C = ' COLLATE "C"';

/** The jsonb value of a json_extract()/->> operand (a JSON value in SQL, see json.ts), if it is one. */
function jsonValueOf(operand: Node[]): Parts | undefined {
  const t = trimTrivia(operand);
  return t.length === 1 && t[0].kind === 'tpl' ? t[0].jsonValue : undefined;
}

/** `CASE WHEN s ~ number THEN yes ELSE no END`: whether SQLite's numeric affinity makes the text a number (NULL stays NULL). */
function ifNumericText(s: Parts, yes: Parts, no: Parts): Parts {
  return ['CASE WHEN ', ...s, ' IS NULL THEN NULL WHEN ', ...s, ` ~ ${NUMERIC_TEXT} THEN `, ...yes, ' ELSE ', ...no, ' END'];
}

/**
 * The key of a JSON value as SQLite's value orders: its class (1 a number or true/false, 2 text;
 * NULL for NULL), its number, its text (an array or object is its minified JSON text). Numeric
 * when a column's numeric affinity applies to it.
 */
export function jsonKeyParts(v: Parts, numeric = false): [Parts, Parts, Parts] {
  const s: Parts = ['(', ...v, " #>> '{}')"];
  const NUM: Parts = ['CAST(', ...v, ' AS numeric)'];
  const typed = (number: Parts, string: Parts, other: Parts): Parts => [
    'CASE jsonb_typeof(', ...v, ") WHEN 'number' THEN ", ...number, " WHEN 'boolean' THEN ", ...(number === NUM ? ['CASE WHEN ', ...v, " = 'true'::jsonb THEN 1 ELSE 0 END"] : number),
    " WHEN 'string' THEN ", ...string, " WHEN 'array' THEN ", ...other, " WHEN 'object' THEN ", ...other, ' END',
  ];
  const ifNumeric = (yes: Parts, no: Parts): Parts => (numeric ? ifNumericText(s, yes, no) : no);
  return [
    typed(['1'], ifNumeric(['1'], ['2']), ['2']),
    typed(NUM, ifNumeric(['CAST(', ...s, ' AS numeric)'], ['0']), ['0']),
    ['(', ...typed(["''"], ifNumeric(["''"], s), jsonAsText(v)), ')', C],
  ];
}

function jsonKey(v: Parts, numeric: boolean): Parts {
  const [rank, num, text] = jsonKeyParts(v, numeric);
  return [...rank, ', ', ...num, ', ', ...text];
}

/** The key of a column declared without a type (text here) under a numeric column's affinity. */
function numericTextKey(x: Node[]): Parts {
  const s: Parts = ['(', x, ')'];
  return [...ifNumericText(s, ['1'], ['2']), ', ', ...ifNumericText(s, ['CAST(', ...s, ' AS numeric)'], ['0']), ', (', ...ifNumericText(s, ["''"], s), ')', C];
}

/** The key of an operand that is not a JSON value, by its type; undefined when the type is not known. */
function otherKey(x: Node[], ctx: Ctx): Parts | undefined {
  const t = trimTrivia(x);
  // A parameter: its value's class (the translation is specialised to the values bound).
  if (t.length === 1 && isType(t[0], 'param') && !t[0].note?.cast && !t[0].note?.target) {
    t[0].note = { ...t[0].note, cast: t[0].note?.valueType ?? 'text' };
  }
  const type = inferType(t, ctx);
  const ranked = (rank: string, num: Parts, txt: Parts): Parts => [`CASE WHEN (`, t, `) IS NULL THEN NULL ELSE ${rank} END, `, ...num, ', ', ...txt];
  const nullOr = (v: string): Parts => ['CASE WHEN (', t, `) IS NULL THEN NULL ELSE ${v} END`];
  if (type === 'boolean') return ranked('1', ['CAST(CAST((', t, ') AS integer) AS numeric)'], nullOr("''"));
  if (isNumericType(type) || type === MIXED_NUMERIC) return ranked('1', ['CAST((', t, ') AS numeric)'], nullOr("''"));
  if (type === 'text') return ranked('2', nullOr('0'), ['(', t, ')', C]);
  if (type === 'bytea') return ranked('3', nullOr('0'), nullOr("''"));
  return undefined;
}

function describe(op: Token, not: boolean): string {
  return isWord(op, 'IS') ? (not ? 'IS NOT' : 'IS') : op.text;
}

/** One operand: a JSON value, a column declared without a type, or another value (`column`: a column's type). */
interface Side {
  nodes: Node[];
  json?: Parts;
  untyped?: boolean;
  column?: string;
}

function sideOf(nodes: Node[], ctx: Ctx): Side {
  const json = jsonValueOf(nodes);
  if (json) return { nodes, json };
  const col = resolveColumn(nodes, ctx.scope)?.column;
  if (col?.noAffinity) return { nodes, untyped: true };
  // CAST(x AS type) has that type's affinity, as a column of that type.
  const t = trimTrivia(nodes);
  const cast = t.length === 1 && t[0].kind === 'tpl' ? t[0].affinity : undefined;
  return { nodes, column: col?.type ?? cast };
}

/** A column's numeric affinity (INTEGER, REAL, NUMERIC, BOOLEAN) applies to the other operand. */
const numericColumn = (side: Side): boolean => side.column !== undefined && (isNumericType(side.column) || side.column === 'boolean');

/** `a op b` as SQLite compares it when a side has no affinity: a row comparison of keys, or undefined to keep it. */
function compared(left: Node[], right: Node[], op: Token, not: boolean, ctx: Ctx): Tpl | undefined {
  const l = sideOf(left, ctx);
  const r = sideOf(right, ctx);
  const free = (x: Side): boolean => x.json !== undefined || x.untyped === true;
  if (!free(l) && !free(r)) return undefined;
  // A TEXT column's affinity makes the other side text: the comparison of text PostgreSQL does.
  if (l.column === 'text' || r.column === 'text') return undefined;
  // A column without a type against text (or another such column): text against text.
  const text = (x: Side): boolean => x.untyped === true || (!x.json && x.column === undefined && inferType(trimTrivia(x.nodes), ctx) === 'text');
  if ((l.untyped && text(r)) || (r.untyped && text(l))) return undefined;
  const what = l.json || r.json ? 'json_extract() or ->>' : 'a column declared without a type';
  const keyOf = (x: Side, other: Side): Parts | undefined => {
    if (x.json) return jsonKey(x.json, numericColumn(other));
    if (x.untyped) return numericColumn(other) ? numericTextKey(x.nodes) : otherKey(x.nodes, ctx);
    const tx = trimTrivia(x.nodes);
    if (tx.length === 1 && isWord(tx[0], 'NULL')) return undefined;
    if (x.column === 'timestamptz' || x.column?.startsWith('timestamp') || x.column === 'jsonb' || x.column === 'json') {
      fail(ctx, `${what} compared with a ${x.column === 'jsonb' || x.column === 'json' ? 'JSON' : 'TIMESTAMP'} column (${describe(op, not)})`, 'SQLite compares the value with the column\'s stored text under the column\'s affinity; CAST both sides to TEXT (or to REAL) to say which comparison is meant.');
    }
    const key = otherKey(x.nodes, ctx);
    if (!key) fail(ctx, `${what} compared with an expression of a type the translator cannot tell (${describe(op, not)})`, 'SQLite compares that value\'s own type (a number is below any text); CAST one side (AS TEXT, or AS REAL) to say which comparison is meant.');
    return key;
  };
  const lk = keyOf(l, r);
  const rk = keyOf(r, l);
  if (!lk || !rk) return undefined;
  const pgOp = isWord(op, 'IS') ? (not ? 'IS DISTINCT FROM' : 'IS NOT DISTINCT FROM') : op.text === '==' ? '=' : op.text;
  return tpl(['(ROW(', ...lk, `) ${pgOp} ROW(`, ...rk, '))'], 'boolean');
}

export function noAffinityComparisons(input: Node[], ctx: Ctx): Node[] {
  let nodes = input;
  for (let i = 0; i < nodes.length; i++) {
    const op = nodes[i];
    const isIs = isWord(op, 'IS');
    if (!isOp(op, ...COMPARE_OPS) && !isIs) continue;
    // `SET u = expr` assigns; it compares nothing.
    if ((op as Token).note?.assignment === true) continue;
    let at = i;
    const not = isIs && isWord(nodes[nextSig(nodes, i)], 'NOT');
    if (not) at = nextSig(nodes, i);
    if (isIs && isWord(nodes[nextSig(nodes, at)], 'NULL', 'TRUE', 'FALSE', 'DISTINCT', 'UNKNOWN')) continue;
    const left = operandBefore(nodes, i);
    const right = operandAfter(nodes, at);
    const out = compared(left, right, op as Token, not, ctx);
    if (!out) continue;
    const l = trimTrivia(left);
    const r = trimTrivia(right);
    const from = nodes.indexOf(l[0]!);
    const to = nodes.indexOf(r[r.length - 1]!, at);
    nodes = [...nodes.slice(0, from), out, ...nodes.slice(to + 1)];
    i = from;
  }
  return nodes;
}
