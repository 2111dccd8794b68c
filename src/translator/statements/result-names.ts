/**
 * SQLite names an unaliased result column by its source text exactly as written (`COUNT(*)`,
 * `a.n+1`) and a column reference by the column's declared name; PostgreSQL would say `count` and
 * `?column?`. Each such item gets the SQLite name as its alias; a name longer than PostgreSQL's 63
 * bytes gets a short alias and the real names go to `columnNames`.
 */
import { findTable } from '../../schema/catalog';
import type { Ctx } from '../context';
import { quoteIdent } from '../context';
import { CLAUSE_KEYWORDS } from '../keywords';
import { isGroup, sigNodes, sourceSpan, tpl, trimTrivia, type Node } from '../nodes';
import { isColumnRef, nameOf, resolveColumn } from '../scope';
import type { Token } from '../tokenizer';
import { hasAlias, isStar, listItems, resultList } from './select-list';
import { primaryStart } from '../rules/json-arrows';

export interface ResultNames {
  /** The SQLite name of each item, or undefined for `*`, and whether the item needs an alias. */
  items: Array<{ name?: string; alias: boolean; star?: string }>;
  /** Result positions whose value is json_extract()/->> (SQLite returns the JSON value's own type). */
  jsonScalar: number[];
}

/** Reads the names from the source tree, before any rewrite. */
export function readResultNames(nodes: Node[], ctx: Ctx): ResultNames | undefined {
  const range = resultList(nodes);
  if (!range) return undefined;
  const list = listItems(nodes, range);
  return {
    jsonScalar: markJsonScalars(list),
    items: list.map((item) => {
      if (isStar(item)) {
        const s = sigNodes(item);
        return { alias: false, star: s.length === 3 ? nameOf(s[0] as Token) : '' };
      }
      if (hasAlias(item)) {
        const s = sigNodes(item);
        const last = s[s.length - 1] as Token;
        return { name: last.type === 'string' ? last.value : nameOf(last), alias: false };
      }
      // `(t.x)` is the column too: SQLite's parser keeps no node for parentheses.
      const ref = unparenthesized(item);
      if (isColumnRef(ref)) {
        const col = resolveColumn(ref, ctx.scope);
        const s = sigNodes(ref);
        const written = nameOf(s[s.length - 1] as Token);
        // The hidden rowid is named `rowid` whatever name of it was written (rowid-names.ts).
        const name = col ? (col.table.rowidHidden && col.column.name === col.table.rowid ? 'rowid' : col.column.name) : written;
        const pgName = col ? col.column.name : (s[s.length - 1] as Token).type === 'qident' ? written : written.toLowerCase();
        // A JSON value column of a subquery is read through an expression, which needs its name.
        return { name, alias: pgName !== name || (ref[0]?.kind === 'token' && ref[0].note?.derivedJson !== undefined) };
      }
      return { name: expressionSpan(item, ctx.sql), alias: true };
    }),
  };
}

/** The nodes inside any parentheses that enclose the whole item. */
function unparenthesized(item: Node[]): Node[] {
  const s = sigNodes(item);
  return s.length === 1 && isGroup(s[0]) ? unparenthesized(s[0].items) : item;
}

/**
 * SQLite names an expression by its text from its first token up to the next comma or clause,
 * trailing whitespace dropped but trailing comments kept (`SELECT 7 -- c` is `7 -- c`).
 */
export function expressionSpan(item: Node[], sql: string): string {
  const body = trimTrivia(item);
  if (body.length === 0) return '';
  let last = item.length - 1;
  while (last > 0 && item[last].kind === 'token' && (item[last] as Token).type === 'ws') last--;
  const tail = item[last];
  if (!(tail.kind === 'token' && tail.type === 'comment')) return sourceSpan(body, sql) ?? '';
  const head = body[0];
  const start = head.kind === 'token' || head.kind === 'group' ? head.start : -1;
  return start < 0 ? sourceSpan(body, sql) ?? '' : sql.slice(start, tail.start + tail.text.length);
}

/**
 * SQLite's json_extract() and ->> return the JSON value's own SQL type (a number, text, 1/0);
 * PostgreSQL's column has one type. A result column that is exactly such a call is marked, so
 * its rule returns the jsonb value and the row shaper turns each value into SQLite's (positions
 * are only known while no `*` comes first).
 */
function markJsonScalars(items: Node[][]): number[] {
  const marked: number[] = [];
  let pos = 0;
  for (const item of items) {
    if (isStar(item)) {
      // A `*` over FROM subqueries or CTEs whose columns are known (derived-json.ts).
      const star = sigNodes(item);
      const flags = (star[star.length - 1] as Token).note?.derivedJsonStar; // `*` or `s.*`
      if (!flags) break;
      flags.forEach((json, k) => json && marked.push(pos + k));
      pos += flags.length;
      continue;
    }
    const head = jsonValueHead(resultExpr(item));
    if (head) {
      head.note = { ...head.note, jsonScalar: true };
      marked.push(pos);
    }
    pos++;
  }
  return marked;
}

/** A select-list item without its alias. */
export function resultExpr(item: Node[]): Node[] {
  const s = sigNodes(item);
  return hasAlias(item) ? s.slice(0, isWordNode(s[s.length - 2], 'AS') ? -2 : -1) : s;
}

/**
 * The token that makes `expr` SQLite's JSON value when it is exactly json_extract(), `x ->> p`,
 * min()/max() of such a value, or a reference to such a column of a FROM subquery or CTE.
 */
export function jsonValueHead(expr: Node[]): Token | undefined {
  if (expr.length === 2 && isWordNode(expr[0], 'JSON_EXTRACT') && expr[1]!.kind === 'group') return expr[0] as Token;
  // min()/max() of such a value: the value SQLite's class order picks, its own type too.
  if (expr.length === 2 && (isWordNode(expr[0], 'MIN') || isWordNode(expr[0], 'MAX')) && expr[1]!.kind === 'group' && isJsonValueCall(sigNodes(expr[1].items))) return expr[0] as Token;
  const ref = expr[0]?.kind === 'token' ? expr[0].note?.derivedJson : undefined;
  if (ref !== undefined && isColumnRef(expr)) return expr[0] as Token;
  const whole = arrowValue(expr);
  if (whole) return whole;
  const arrows = expr.filter((n) => n.kind === 'token' && n.type === 'op' && (n.text === '->>' || n.text === '->'));
  if (arrows.length === 1 && (arrows[0] as Token).text === '->>' && expr.every((n) => n.kind !== 'token' || n.type !== 'op' || ['->>', '.', '-'].includes(n.text))
    // `x ->> p IS 1` is a comparison, not the JSON value.
    && !expr.some((n) => n.kind === 'token' && n.type === 'word' && CLAUSE_KEYWORDS.has(n.value))) return arrows[0] as Token;
  return undefined;
}

/** `json_extract(..)` or `x ->> p` (DISTINCT before it allowed), nothing else. */
function isJsonValueCall(s: Node[]): boolean {
  const e = isWordNode(s[0], 'DISTINCT') ? s.slice(1) : s;
  if (e.length === 2 && isWordNode(e[0], 'JSON_EXTRACT') && e[1]!.kind === 'group') return splitArgs(e[1].items) === 2;
  if (e[0]?.kind === 'token' && e[0].note?.derivedJson !== undefined && isColumnRef(e)) return true;
  return arrowValue(e) !== undefined;
}

/** The `->>` of `x ->> p` when that is the whole expression (x a name, call, group or CASE; p one token or -n). */
function arrowValue(e: Node[]): Token | undefined {
  const at = e.findIndex((n) => n.kind === 'token' && n.type === 'op' && (n.text === '->>' || n.text === '->'));
  if (at <= 0 || (e[at] as Token).text !== '->>' || primaryStart(e, at - 1) !== 0) return undefined;
  const right = e.slice(at + 1);
  const one = right.length === 1 || (right.length === 2 && right[0]!.kind === 'token' && right[0].text === '-');
  return one ? (e[at] as Token) : undefined;
}

function splitArgs(items: Node[]): number {
  return items.filter((n) => n.kind === 'token' && n.type === 'comma').length + 1;
}

export function isWordNode(n: Node | undefined, word: string): boolean {
  return n !== undefined && n.kind === 'token' && n.type === 'word' && n.value === word;
}

/** Adds the aliases to the rewritten tree; returns columnNames when PostgreSQL cannot carry them. */
export function applyResultNames(nodes: Node[], names: ResultNames, ctx: Ctx): { nodes: Node[]; columnNames?: string[] } {
  const range = resultList(nodes);
  if (!range) return { nodes };
  const items = listItems(nodes, range);
  if (items.length !== names.items.length) return { nodes };
  let tooLong = false;
  const rebuilt: Node[] = [];
  items.forEach((item, i) => {
    const n = names.items[i];
    if (i > 0) rebuilt.push(tpl([',']));
    if (!n.alias || n.name === undefined) {
      rebuilt.push(...item);
      return;
    }
    const body = trimTrivia(item);
    const lead = item.slice(0, item.indexOf(body[0]));
    const trail = item.slice(item.indexOf(body[body.length - 1]) + 1);
    const long = Buffer.byteLength(n.name) > 63;
    tooLong ||= long;
    rebuilt.push(...lead, ...body, tpl([` AS ${quoteIdent(long ? `_c${i + 1}` : n.name)}`]), ...trail);
  });
  const out = [...nodes.slice(0, range.from), ...rebuilt, ...nodes.slice(range.to)];
  return { nodes: out, columnNames: tooLong ? expandNames(names, ctx) : undefined };
}

/** All result names, `*` expanded from the catalog (undefined when a table is unknown). */
function expandNames(names: ResultNames, ctx: Ctx): string[] | undefined {
  const out: string[] = [];
  for (const n of names.items) {
    if (n.star === undefined) {
      out.push(n.name ?? '');
      continue;
    }
    const entries = n.star === '' ? ctx.scope.entries.filter((e, k, all) => all.findIndex((x) => x.table === e.table) === k) : ctx.scope.entries.filter((e) => e.alias === n.star!.toLowerCase()).slice(0, 1);
    for (const e of entries) {
      const table = e.table ?? findTable(ctx.catalog, e.alias);
      if (!table) return undefined;
      out.push(...table.columns.map((c) => c.name));
    }
  }
  return out;
}
