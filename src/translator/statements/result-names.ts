/**
 * SQLite names an unaliased result column by its source text exactly as written (`COUNT(*)`,
 * `a.n+1`) and a column reference by the column's declared name; PostgreSQL would say `count` and
 * `?column?`. Each such item gets the SQLite name as its alias; a name longer than PostgreSQL's 63
 * bytes gets a short alias and the real names go to `columnNames`.
 */
import { findTable } from '../../schema/catalog';
import type { Ctx } from '../context';
import { quoteIdent } from '../context';
import { sigNodes, sourceSpan, splitCommas, tpl, trimTrivia, type Node } from '../nodes';
import { collectScope, isColumnRef, isName, nameOf, resolveColumn, type ScopeEntry } from '../scope';
import type { Token } from '../tokenizer';
import { hasAlias, isStar, listAfter, listItems, resultList } from './select-list';

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
      if (isColumnRef(item)) {
        const col = resolveColumn(item, ctx.scope);
        const s = sigNodes(item);
        const written = nameOf(s[s.length - 1] as Token);
        const name = col ? col.column.name : written;
        const pgName = col ? col.column.name : (s[s.length - 1] as Token).type === 'qident' ? written : written.toLowerCase();
        return { name, alias: pgName !== name };
      }
      return { name: expressionSpan(item, ctx.sql), alias: true };
    }),
  };
}

/**
 * SQLite names an expression by its text from its first token up to the next comma or clause,
 * trailing whitespace dropped but trailing comments kept (`SELECT 7 -- c` is `7 -- c`).
 */
function expressionSpan(item: Node[], sql: string): string {
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
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (isStar(item)) break;
    const s = sigNodes(item);
    const expr = hasAlias(item) ? s.slice(0, isWordNode(s[s.length - 2], 'AS') ? -2 : -1) : s;
    if (expr.length === 2 && isWordNode(expr[0], 'JSON_EXTRACT') && expr[1]!.kind === 'group') {
      (expr[0] as Token).note = { ...(expr[0] as Token).note, jsonScalar: true };
      marked.push(i);
      continue;
    }
    const arrows = expr.filter((n) => n.kind === 'token' && n.type === 'op' && (n.text === '->>' || n.text === '->'));
    if (arrows.length === 1 && (arrows[0] as Token).text === '->>' && expr.every((n) => n.kind !== 'token' || n.type !== 'op' || ['->>', '.', '-'].includes(n.text))) {
      (arrows[0] as Token).note = { ...(arrows[0] as Token).note, jsonScalar: true };
      marked.push(i);
    }
  }
  return marked;
}

function isWordNode(n: Node | undefined, word: string): boolean {
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

/**
 * A top-level result column that is exactly a parameter (`SELECT ? AS v`) is returned by SQLite as
 * bound: 5 as 5, 'x' as 'x', a Buffer as a Buffer. PostgreSQL's column has one type, so the
 * parameter is marked to travel tagged with its JS type (ParamSlot.echo) and its position is
 * returned for the row shaper. Not in a compound SELECT, whose other rows are not the parameter.
 */
export function markEchoColumns(nodes: Node[]): number[] {
  if (nodes.some((n) => n.kind === 'token' && n.type === 'word' && ['UNION', 'EXCEPT', 'INTERSECT', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE'].includes(n.value))) return [];
  const range = resultList(nodes);
  if (!range) return [];
  const out: number[] = [];
  for (const [i, item] of listItems(nodes, range).entries()) {
    if (isStar(item)) break; // later positions depend on the expansion
    const s = sigNodes(item);
    const expr = hasAlias(item) ? s.slice(0, isWordNode(s[s.length - 2], 'AS') ? -2 : -1) : s;
    const p = expr[0];
    if (expr.length === 1 && p.kind === 'token' && p.type === 'param') {
      p.note = { ...p.note, echo: true, cast: 'text' };
      out.push(i);
    }
  }
  return out;
}

/**
 * PostgreSQL folds an unquoted alias to lower case (`AS maxTok` names the column `maxtok`); SQLite
 * keeps it as written. Every result alias of the statement (at every level, so a subquery's
 * columns keep theirs too) is quoted as written, and every unquoted reference to it elsewhere
 * (ORDER BY maxTok, x.maxTok) is quoted the same way, unless it names a table column (SQLite
 * resolves such a name to the column in WHERE, and the column's name is lower case here).
 * A string used as an alias (`AS 'n'`) is a quoted name in PostgreSQL.
 */
export function quoteAliases(nodes: Node[], ctx: Ctx): void {
  const aliases = new Map<string, string>();
  const aliasTokens = new Set<Token>();
  const keepCase = (name: Node | undefined): void => {
    if (name?.kind !== 'token' || (name.type !== 'word' && name.type !== 'qident')) return;
    // A quoted alias is itself, never the catalog's spelling of a column with that name.
    const written = name.type === 'qident' ? name.value : name.text;
    if (name.type === 'word' && written === written.toLowerCase()) return;
    name.note = { ...name.note, replace: quoteIdent(written) };
    aliases.set(written.toUpperCase(), quoteIdent(written));
    aliasTokens.add(name);
  };
  const collect = (list: Node[], nested: boolean): void => {
    for (const n of list) if (n.kind === 'group') collect(n.items, true);
    list.forEach((n, i) => {
      // WITH c(stepId) AS (...): the CTE's column names are its result names.
      const as = nextSigIndex(list, i, 1);
      if (n.kind === 'group' && isWordNode(list[as], 'AS') && list[nextSigIndex(list, as, 1)]?.kind === 'group') {
        for (const col of splitCommas(n.items)) if (sigNodes(col).length === 1) keepCase(sigNodes(col)[0]);
      }
      if (!(n.kind === 'token' && n.type === 'word' && (n.value === 'SELECT' || n.value === 'RETURNING'))) return;
      const range = listAfter(list, i);
      const items = listItems(list, range);
      items.forEach((item, k) => {
        // A subquery's unaliased expression keeps SQLite's name too (SELECT * FROM (SELECT COUNT(*) ...)),
        // written before the comma or clause word that ends it, which no rule rewrites.
        if (!nested || isStar(item) || hasAlias(item) || isColumnRef(item) || sigNodes(item).length === 0) return;
        const boundary = list[range.from + items.slice(0, k + 1).reduce((a, it) => a + it.length, 0) + k];
        const name = expressionSpan(item, ctx.sql);
        if (boundary?.kind === 'token' && Buffer.byteLength(name) <= 63) boundary.note = { ...boundary.note, prefix: ` AS ${quoteIdent(name)} ` };
      });
      for (const item of items) {
        if (isStar(item) || !hasAlias(item)) continue;
        const s = sigNodes(item);
        const last = s[s.length - 1] as Token;
        if (last.type === 'string') last.note = { ...last.note, replace: quoteIdent(last.value) };
        else keepCase(last);
      }
    });
  };
  collect(nodes, false);
  if (aliases.size === 0) return;
  const sources = namedSources(nodes);
  const tableFunctionColumns = tableFunctionColumnsIn(nodes);
  const hasColumn = (e: ScopeEntry | undefined, name: string): boolean =>
    e?.table?.columns.some((c) => c.name.toLowerCase() === name.toLowerCase()) ?? false;
  const replace = (list: Node[], outer: ScopeEntry[]): void => {
    // The tables this level reads (its own FROM, then the enclosing levels'), as SQLite resolves names.
    const shallow = list.map((n) => (n.kind === 'group' ? { ...n, items: [] } : n));
    const entries = [...collectScope(shallow, ctx.catalog).entries, ...outer];
    list.forEach((n, i) => {
      if (n.kind === 'group') return replace(n.items, entries);
      if (n.kind !== 'token' || (n.type !== 'word' && n.type !== 'qident') || aliasTokens.has(n)) return;
      const key = n.type === 'qident' ? n.value.toUpperCase() : n.value;
      if (!aliases.has(key)) return;
      const next = list[nextSigIndex(list, i, 1)];
      if (next?.kind === 'group' || (next?.kind === 'token' && next.text === '.')) return; // a function, a qualifier
      const dot = list[nextSigIndex(list, i, -1)];
      if (isWordNode(dot, 'AS') || isWordNode(dot, 'COLLATE')) return; // another alias, a type, a collation
      const qualified = dot?.kind === 'token' && dot.text === '.';
      const qualifier = qualified ? list[nextSigIndex(list, nextSigIndex(list, i, -1), -1)] : undefined;
      // q.name: only a subquery or CTE named q that defines the alias; name: unless a column has it.
      const isAlias = qualified
        ? qualifier?.kind === 'token' && (sources.get(nameOf(qualifier).toLowerCase())?.has(key) ?? false)
        : !entries.some((e) => hasColumn(e, nameOf(n))) && !tableFunctionColumns.has(key);
      if (isAlias) n.note = { ...n.note, replace: aliases.get(key)! };
    });
  };
  replace(nodes, []);
}

function nextSigIndex(list: Node[], i: number, step: 1 | -1): number {
  for (let j = i + step; j >= 0 && j < list.length; j += step) if (sigNodes([list[j]]).length > 0) return j;
  return -1;
}

/**
 * SQLite lets WHERE and HAVING name a result column by its alias (`SELECT n * 2 AS dbl ... WHERE
 * dbl > 2`) when no table column has that name; PostgreSQL does not. Each such reference becomes
 * the aliased expression itself, in parentheses (a copy: its parameters are the same values).
 */
export function inlineAliasReferences(nodes: Node[], ctx: Ctx): void {
  const tableFunctionColumns = tableFunctionColumnsIn(nodes);
  const visit = (list: Node[], outer: ScopeEntry[]): void => {
    const shallow = list.map((n) => (n.kind === 'group' ? { ...n, items: [] } : n));
    const entries = [...collectScope(shallow, ctx.catalog).entries, ...outer];
    for (const n of list) if (n.kind === 'group') visit(n.items, entries);
    let aliases = new Map<string, Node[]>();
    let inFilter = false;
    for (let i = 0; i < list.length; i++) {
      const n = list[i]!;
      if (n.kind !== 'token') continue;
      if (n.type === 'word' && n.value === 'SELECT') {
        aliases = aliasedExpressions(list, i);
        inFilter = false;
      } else if (n.type === 'word' && (n.value === 'WHERE' || n.value === 'HAVING')) inFilter = true;
      else if (n.type === 'word' && CLAUSE_END.has(n.value)) inFilter = false;
      else if (inFilter && (n.type === 'word' || n.type === 'qident')) {
        const expr = aliases.get(nameOf(n).toUpperCase());
        if (!expr) continue;
        const prev = list[nextSigIndex(list, i, -1)];
        const next = list[nextSigIndex(list, i, 1)];
        if ((prev?.kind === 'token' && prev.text === '.') || (next?.kind === 'token' && next.text === '.') || next?.kind === 'group') continue;
        if (entries.some((e) => e.table?.columns.some((c) => c.name.toLowerCase() === nameOf(n).toLowerCase()))) continue;
        if (tableFunctionColumns.has(nameOf(n).toUpperCase())) continue;
        const copy = cloneNodes(expr, ctx);
        const only = sigNodes(copy);
        // A lone parameter in parentheses has no type PostgreSQL can infer: text, as SELECT ? is.
        if (only.length === 1 && only[0]!.kind === 'token' && only[0].type === 'param' && !only[0].note?.cast) only[0].note = { ...only[0].note, cast: 'text' };
        list[i] = { kind: 'group', items: copy, start: -1, end: -1 };
      }
    }
  };
  visit(nodes, []);
}

const CLAUSE_END = new Set(['FROM', 'GROUP', 'ORDER', 'LIMIT', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'RETURNING']);

/** The aliased items of the select list after the SELECT at index at: alias (upper case) → expression. */
function aliasedExpressions(list: Node[], at: number): Map<string, Node[]> {
  const out = new Map<string, Node[]>();
  for (const item of listItems(list, listAfter(list, at))) {
    if (isStar(item) || !hasAlias(item)) continue;
    const s = sigNodes(item);
    const last = s[s.length - 1] as Token;
    const expr = s.slice(0, isWordNode(s[s.length - 2], 'AS') ? -2 : -1);
    const first = item.indexOf(expr[0]!);
    const end = item.indexOf(expr[expr.length - 1]!) + 1;
    const name = last.type === 'string' || last.type === 'qident' ? last.value : last.text;
    if (!out.has(name.toUpperCase())) out.set(name.toUpperCase(), item.slice(first, end));
  }
  return out;
}

/** A deep copy of source nodes; a copied parameter keeps its source (the same `$n`). */
function cloneNodes(nodes: Node[], ctx: Ctx): Node[] {
  return nodes.map((n): Node => {
    if (n.kind === 'group') return { ...n, items: cloneNodes(n.items, ctx) };
    if (n.kind !== 'token') return n;
    const copy: Token = { ...n, ...(n.note ? { note: { ...n.note } } : {}) };
    const source = ctx.params.sources.get(n);
    if (source) ctx.params.sources.set(copy, source);
    return copy;
  });
}

const JSON_TABLE_COLUMNS = ['KEY', 'VALUE', 'TYPE', 'ATOM', 'ID', 'PARENT', 'FULLKEY', 'PATH'];

/** The columns of json_each()/json_tree() when the statement reads one (they are no catalog table). */
function tableFunctionColumnsIn(nodes: Node[]): Set<string> {
  const uses = (list: Node[]): boolean =>
    list.some((n) => (n.kind === 'group' ? uses(n.items) : n.kind === 'token' && n.type === 'word' && (n.value === 'JSON_EACH' || n.value === 'JSON_TREE')));
  return new Set(uses(nodes) ? JSON_TABLE_COLUMNS : []);
}

/** Result names (upper case) that the select lists of one query level define. */
function definedNames(items: Node[]): Set<string> {
  const out = new Set<string>();
  items.forEach((n, i) => {
    if (!isWordNode(n, 'SELECT')) return;
    for (const item of listItems(items, listAfter(items, i))) {
      if (isStar(item) || !hasAlias(item)) continue;
      const s = sigNodes(item);
      const last = s[s.length - 1] as Token;
      out.add((last.type === 'string' || last.type === 'qident' ? last.value : last.text).toUpperCase());
    }
  });
  return out;
}

/** FROM subqueries and CTEs by name (lower case), each with the result names it defines. */
function namedSources(nodes: Node[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (list: Node[]): void => {
    list.forEach((n, i) => {
      if (n.kind !== 'group') return;
      visit(n.items);
      if (!isWordNode(n.items[nextSigIndex(n.items, -1, 1)], 'SELECT') && !isWordNode(n.items[nextSigIndex(n.items, -1, 1)], 'WITH')) return;
      const names = definedNames(n.items);
      // (SELECT ...) [AS] x
      let k = nextSigIndex(list, i, 1);
      if (isWordNode(list[k], 'AS')) k = nextSigIndex(list, k, 1);
      if (isName(list[k])) out.set(nameOf(list[k] as Token).toLowerCase(), names);
      // x [(columns)] AS (SELECT ...)
      const as = nextSigIndex(list, i, -1);
      if (!isWordNode(list[as], 'AS')) return;
      let nameAt = nextSigIndex(list, as, -1);
      const columns = list[nameAt];
      if (columns?.kind === 'group') {
        for (const col of splitCommas(columns.items)) {
          const c = sigNodes(col);
          if (c.length === 1 && isName(c[0])) names.add(nameOf(c[0] as Token).toUpperCase());
        }
        nameAt = nextSigIndex(list, nameAt, -1);
      }
      if (isName(list[nameAt])) out.set(nameOf(list[nameAt] as Token).toLowerCase(), names);
    });
  };
  visit(nodes);
  return out;
}
