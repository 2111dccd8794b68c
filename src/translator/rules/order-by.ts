/**
 * ORDER BY: SQLite puts NULLs first ascending and last descending (PostgreSQL does the opposite),
 * and compares text by bytes: text columns carry COLLATE "C" in the schema, and a text expression
 * that is not a plain column gets it here; JSON sorts by its text (see jsonAsText).
 */
import { fail, quoteIdent, type Ctx } from '../context';
import { inferType } from '../infer-type';
import { isType, isWord, joinCommas, nextSig, sigNodes, splitCommas, tpl, trimTrivia, type Node } from '../nodes';
import { isIntegerLiteral } from './integer-literals';
import { isNullValue } from './surely-null';
import { isColumnRef, nameOf, resolveColumn } from '../scope';
import type { Parts } from './call';
import { jsonKeyParts } from './no-affinity';
import { jsonAsText } from './sqlite-values';
import { hasAlias, isStar, listItems, resultList } from '../statements/select-list';
import type { Token } from '../tokenizer';

const END_OF_TERMS = new Set(['LIMIT', 'OFFSET', 'ROWS', 'RANGE', 'GROUPS', 'FETCH', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'RETURNING']);

const END_OF_GROUP = new Set(['HAVING', 'ORDER', 'LIMIT', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'RETURNING']);

/**
 * The GROUP BY keys rewritten: each key (its nodes) for which `rewrite` returns a replacement.
 */
function rewriteGroupKeys(nodes: Node[], rewrite: (key: Node[]) => Node[] | undefined): Node[] {
  const at = nodes.findIndex((n, i) => isWord(n, 'GROUP') && isWord(nodes[nextSig(nodes, i)], 'BY'));
  if (at === -1) return nodes;
  const from = nextSig(nodes, at) + 1;
  let to = from;
  while (to < nodes.length && !(isWord(nodes[to]) && END_OF_GROUP.has((nodes[to] as Token).value)) && !isType(nodes[to], 'semi')) to++;
  const keys = splitCommas(nodes.slice(from, to));
  const replaced = keys.map(rewrite);
  if (replaced.every((r) => r === undefined)) return nodes;
  return [...nodes.slice(0, from), tpl([' ']), ...joinCommas(keys.map((k, i) => replaced[i] ?? k)), tpl([' ']), ...nodes.slice(to)];
}

/**
 * GROUP BY a json_extract()/->> value: SQLite groups the values by class and value ('1' apart from
 * 1, 1 with 1.0); their text here would put the string '1' with the number 1. Grouped by the jsonb
 * value instead, which tells them apart the same way (true and false stay apart from 1 and 0,
 * which SQLite groups together); expressions of the value remain valid in the select list.
 */
function groupJsonValue(key: Node[]): Node[] | undefined {
  const s = sigNodes(key);
  return s.length === 1 && s[0]!.kind === 'tpl' && s[0].jsonValue ? [tpl(['(', ...s[0].jsonValue, ')'], 'jsonb')] : undefined;
}

/**
 * A constant sort or group key other than an integer (NULL, 'a', 1.5): SQLite sorts or groups by
 * it as by any constant (it changes nothing), PostgreSQL refuses it as written ("non-integer
 * constant in ORDER BY"). Written as a cast, which PostgreSQL takes for an expression.
 */
function constantKey(expr: Node[]): Node[] | undefined {
  const s = sigNodes(expr);
  const n = s[0];
  if (s.length !== 1) return undefined;
  if (isWord(n, 'NULL') || isNullValue(n)) return [tpl(['CAST(NULL AS text)'], 'text')];
  if (isType(n, 'string')) return [tpl(['CAST(', [n], ' AS text)'], 'text')];
  if (isType(n, 'number') && !isIntegerLiteral(n)) return [tpl(['CAST(', [n], ' AS double precision)'], 'double precision')];
  return undefined;
}

/** The key of an ORDER BY term, without ASC/DESC and NULLS FIRST/LAST. */
function sortKey(term: Node[]): Node[] {
  const cut = term.findIndex((n) => isWord(n, 'ASC', 'DESC', 'NULLS'));
  return cut === -1 ? term : term.slice(0, cut);
}

export function orderBy(input: Node[], ctx: Ctx): Node[] {
  let nodes = rewriteGroupKeys(input, (key) => groupJsonValue(key) ?? constantKey(key));
  const collateAllowed = !nodes.some((n) => isWord(n, 'DISTINCT', 'UNION', 'EXCEPT', 'INTERSECT'));
  const compound = nodes.some((n) => isWord(n, 'UNION', 'EXCEPT', 'INTERSECT'));
  for (let i = 0; i < nodes.length; i++) {
    if (!isWord(nodes[i], 'ORDER') || !isWord(nodes[nextSig(nodes, i)], 'BY')) continue;
    const from = nextSig(nodes, i) + 1;
    let to = from;
    while (to < nodes.length && !(isWord(nodes[to]) && END_OF_TERMS.has((nodes[to] as { value: string }).value)) && !isType(nodes[to], 'semi')) to++;
    const range = resultList(nodes);
    const items = range ? listItems(nodes, range) : [];
    if (!collateAllowed) nodes = jsonKeysAsText(nodes, nodes.slice(from, to), items, ctx);
    let written = splitCommas(nodes.slice(from, to));
    // SELECT DISTINCT sorts by result columns only: a constant key, which changes no order, is
    // left out (the whole clause when every key is one). A compound SELECT's is an error in both.
    if (!collateAllowed && !compound) written = written.filter((t) => !constantKey(sortKey(t)));
    if (written.length === 0) {
      nodes = [...nodes.slice(0, i), tpl([' ']), ...nodes.slice(to)];
      continue;
    }
    const terms = written.map((t) => orderTerm(t, ctx, collateAllowed, items));
    const rewritten: Node[] = [];
    terms.forEach((t, k) => rewritten.push(...(k > 0 ? [tpl([','])] : []), ...t));
    const trailing = nodes.slice(from, to).length > 0 && !sigNodes([nodes[to - 1]]).length ? [tpl([' '])] : [];
    nodes = [...nodes.slice(0, from), ...rewritten, ...trailing, ...nodes.slice(to)];
    i = from + rewritten.length;
  }
  return nodes;
}

/**
 * SELECT DISTINCT or a compound SELECT sorts by its result columns only: a JSON column sorted by
 * position becomes its text there (DISTINCT then compares the text, as SQLite does). Any other
 * JSON sort key there would sort in jsonb's order: refused.
 */
function jsonKeysAsText(nodes: Node[], keys: Node[], items: Node[][], ctx: Ctx): Node[] {
  const compound = nodes.some((n) => isWord(n, 'UNION', 'EXCEPT', 'INTERSECT'));
  for (const term of splitCommas(keys)) {
    const all = sigNodes(term);
    const s = sortKey(all);
    if (s.some((n) => isWord(n, 'COLLATE'))) continue;
    const ordinal = s.length === 1 && isType(s[0], 'number');
    const json = ordinal ? jsonItem(items, Number((s[0] as Token).text), ctx) : ['jsonb', 'json'].includes(inferType(s, ctx) ?? '') ? s : undefined;
    if (!json) continue;
    if (!ordinal || compound) {
      fail(ctx, 'ORDER BY a JSON value in a SELECT DISTINCT or compound SELECT', 'PostgreSQL would sort it in jsonb\'s order, not by its text as SQLite does; select CAST(x AS TEXT) and ORDER BY its position.');
    }
    const at = nodes.indexOf(json[0]!);
    const end = nodes.indexOf(json[json.length - 1]!);
    if (at === -1 || end < at) continue;
    // A column keeps its name (an expression gets its alias from the result names later).
    const col = isColumnRef(json) ? resolveColumn(json, ctx.scope) : undefined;
    const item = items.find((it) => it.includes(json[0]!));
    const name = col && item && !hasAlias(item) ? ` AS ${quoteIdent(col.column.name)}` : '';
    nodes = [...nodes.slice(0, at), tpl(['(', ...jsonAsText([nodes.slice(at, end + 1)]), `) COLLATE "C"${name}`], 'text'), ...nodes.slice(end + 1)];
  }
  return nodes;
}

/** The expression of result column `n` (1-based) when it is JSON, for a sort by position. */
function jsonItem(items: Node[][], n: number, ctx: Ctx): Node[] | undefined {
  const item = items[n - 1];
  if (!item || isStar(item)) return undefined;
  const s = sigNodes(item);
  const expr = hasAlias(item) ? s.slice(0, isWord(s[s.length - 2], 'AS') ? -2 : -1) : s;
  // json_extract()/->> as a whole column is SQLite's value (a number, text), not JSON text.
  if (expr.some((n) => n.kind === 'tpl' && n.jsonScalar)) return undefined;
  const type = inferType(expr, ctx);
  return type === 'jsonb' || type === 'json' ? expr : undefined;
}

/**
 * The jsonb value of a sort key that is SQLite's value of json_extract()/->> (the JSON value's
 * own class: a number, text, NULL): the call inside an expression, or a result column that is
 * exactly such a call, named by position or by its alias.
 */
function jsonValueKey(expr: Node[], items: Node[][]): Parts | undefined {
  const s = sigNodes(expr);
  if (s.length === 1 && s[0].kind === 'tpl' && s[0].jsonValue) return s[0].jsonValue;
  let item: Node[] | undefined;
  if (s.length === 1 && isType(s[0], 'number')) item = items[Number((s[0] as Token).text) - 1];
  else if (s.length === 1 && (isType(s[0], 'word') || isType(s[0], 'qident'))) {
    const name = nameOf(s[0] as Token).toLowerCase();
    item = items.find((it) => {
      const t = sigNodes(it);
      return hasAlias(it) && (isType(t[t.length - 1], 'word') || isType(t[t.length - 1], 'qident')) && nameOf(t[t.length - 1] as Token).toLowerCase() === name;
    });
  }
  if (!item || isStar(item)) return undefined;
  const t = sigNodes(item);
  const value = hasAlias(item) ? t.slice(0, isWord(t[t.length - 2], 'AS') ? -2 : -1) : t;
  return value.length === 1 && value[0].kind === 'tpl' && value[0].jsonScalar ? [value[0]] : undefined;
}

/**
 * SQLite sorts such values by class (NULL, numbers, text), numbers by value, text by bytes;
 * PostgreSQL would sort the text of each (or jsonb's own order): sorted by the key instead.
 */
function jsonValueOrder(v: Parts, desc: boolean, nulls: string | undefined): Node[] {
  const [rank, num, text] = jsonKeyParts(v);
  const dir = desc ? ' DESC' : ' ASC';
  return [tpl([' ', ...rank, dir, nulls ?? (desc ? ' NULLS LAST' : ' NULLS FIRST'), ', ', ...num, dir, ', ', ...text, dir, ' '])];
}

function refuseJsonValueKey(ctx: Ctx): never {
  return fail(ctx, 'ORDER BY a json_extract() or ->> value in a SELECT DISTINCT or compound SELECT', 'PostgreSQL sorts such a query by its result columns only, here in jsonb\'s order, not by class (numbers before text), number and bytes as SQLite does; sort without DISTINCT or UNION, or select CAST(x AS TEXT) (or AS REAL) and sort that.');
}

function orderTerm(term: Node[], ctx: Ctx, collateAllowed: boolean, items: Node[][]): Node[] {
  const t = trimTrivia(term);
  const s = sigNodes(t);
  if (s.length === 0) return term;
  if (s.some((n) => isWord(n, 'NULLS'))) {
    // NULLS FIRST/LAST written: kept as written; a JSON key still sorts by its text.
    const cut = t.findIndex((n) => isWord(n, 'ASC', 'DESC', 'NULLS'));
    const key = trimTrivia(t.slice(0, cut));
    const constant = constantKey(key);
    if (constant) return [tpl([' ']), ...constant, tpl([' ']), ...t.slice(cut)];
    const jv = jsonValueKey(key, items);
    if (jv) {
      if (!collateAllowed) refuseJsonValueKey(ctx);
      const tail = sigNodes(t.slice(cut));
      const n = tail.findIndex((x) => isWord(x, 'NULLS'));
      return jsonValueOrder(jv, tail.some((x) => isWord(x, 'DESC')), ` NULLS ${(tail[n + 1] as Token).value}`);
    }
    const ordinal = key.length === 1 && isType(key[0], 'number');
    const keyType = ordinal ? undefined : inferType(key, ctx);
    const json = !collateAllowed || key.some((n) => isWord(n, 'COLLATE')) ? undefined : ordinal ? jsonItem(items, Number((key[0] as Token).text), ctx) : keyType === 'jsonb' || keyType === 'json' ? key : undefined;
    if (json) return [tpl([' (', ...jsonAsText([json]), ') COLLATE "C" ']), ...t.slice(cut)];
    return [tpl([' ']), ...t];
  }
  let exprEnd = t.length;
  let desc = false;
  const last = s[s.length - 1];
  if (isWord(last, 'ASC', 'DESC')) {
    desc = last.value === 'DESC';
    exprEnd = t.lastIndexOf(last);
  }
  const expr = trimTrivia(t.slice(0, exprEnd));
  const constant = constantKey(expr);
  if (constant) return [tpl([' ']), ...constant, ...t.slice(exprEnd)];
  const jv = jsonValueKey(expr, items);
  if (jv) {
    if (!collateAllowed) refuseJsonValueKey(ctx);
    return jsonValueOrder(jv, desc, undefined);
  }
  const hasCollate = expr.some((n) => isWord(n, 'COLLATE') || (n.kind === 'tpl' && n.parts.some((p) => typeof p === 'string' && p.includes('COLLATE'))));
  const ordinal = expr.length === 1 && isType(expr[0], 'number');
  const type = ordinal ? undefined : inferType(expr, ctx);
  // SQLite sorts JSON by the bytes of its text; jsonb's own order is another one. A result column
  // given by position is sorted by its expression, repeated (its parameters keep their `$n`).
  const json = !collateAllowed || hasCollate ? undefined : ordinal ? jsonItem(items, Number((expr[0] as Token).text), ctx) : type === 'jsonb' || type === 'json' ? expr : undefined;
  if (json) return [tpl([' (', ...jsonAsText([json]), ')', ' COLLATE "C"', desc ? ' DESC NULLS LAST' : exprEnd < t.length ? ' ASC NULLS FIRST' : ' NULLS FIRST'])];
  const collate = collateAllowed && !hasCollate && !ordinal && !isColumnRef(expr) && type === 'text';
  return [
    tpl([' ']),
    ...expr,
    ...(collate ? [tpl([' COLLATE "C"'])] : []),
    tpl([desc ? ' DESC NULLS LAST' : exprEnd < t.length ? ' ASC NULLS FIRST' : ' NULLS FIRST']),
  ];
}
