/**
 * SQLite's json_extract()/->> value keeps its class through a FROM subquery or a CTE: the outer
 * query reads the number 2, not the text '2'. Such a column of a subquery (or CTE) whose every use
 * is a column reference (or a `*` of the whole statement over such subqueries only) leaves the
 * subquery as its jsonb value, as a whole result column does; each reference to it is marked so
 * that it reads as json_extract() written in its place (rules/derived-json-refs.ts), and a whole
 * result column is shaped as SQLite's value. Any other use (a `*` inside, USING, NATURAL, a result
 * alias of the same name) leaves that subquery as it was: its value as text.
 */
import { findColumn } from '../../schema/catalog';
import { fail, quoteIdent, type Ctx } from '../context';
import { isGroup, isOp, isType, isWord, nextSig, prevSig, sigNodes, type Group, type Node } from '../nodes';
import { isColumnRef, isName, levelScope, nameOf, type Scope, type ScopeEntry } from '../scope';
import type { Token } from '../tokenizer';
import { isDerivedTable, isQuery } from '../rules/json-subqueries';
import { jsonValueHead, resultExpr } from './result-names';
import { hasAlias, isStar, listAfter, listItems } from './select-list';

interface Derived {
  name: string;
  group: Group;
  cte: boolean;
  /** Every column's lower-case name (undefined when not all are known) and its JSON value's head token. */
  columns?: Array<{ name?: string; head?: Token; as?: string }>;
  json: Set<string>;
}

type DerivedMap = Map<string, Derived>;

/** The name a derived table is known by: the alias after a FROM subquery, the name before a CTE's AS. */
function derivedName(list: Node[], i: number): { name: string; cte: boolean } | undefined {
  const p = prevSig(list, i);
  if (isWord(list[p], 'AS') && list.slice(0, p).some((n) => isWord(n, 'WITH'))) {
    const name = list[prevSig(list, p)];
    return isName(name) ? { name: nameOf(name as Token).toLowerCase(), cte: true } : undefined; // `c(x, y) AS` renames: not followed
  }
  let a = nextSig(list, i);
  if (isWord(list[a], 'AS')) a = nextSig(list, a);
  return isName(list[a]) ? { name: nameOf(list[a] as Token).toLowerCase(), cte: false } : undefined;
}

function eachDerived(list: Node[], fn: (g: Group, name: { name: string; cte: boolean }) => void): void {
  list.forEach((n, i) => {
    if (!isGroup(n)) return;
    eachDerived(n.items, fn);
    if (!isQuery(n) || !isDerivedTable(list, i)) return;
    const name = derivedName(list, i);
    if (name) fn(n, name);
  });
}

/** The derived table a column reference names, when it is a JSON value column of one (else undefined). */
function resolve(ref: Node[], scope: Scope, map: DerivedMap, inside: Set<Derived>, unsafe: Set<string>, renames = new WeakMap<ScopeEntry, Derived>()): Derived | undefined {
  const s = sigNodes(ref);
  const col = nameOf(s[s.length - 1] as Token).toLowerCase();
  const qualifier = s.length === 3 ? nameOf(s[0] as Token) : s.length === 5 ? nameOf(s[2] as Token) : undefined;
  if (qualifier !== undefined) {
    const entry = scope.entries.find((e) => e.alias === qualifier.toLowerCase());
    const d = entry && !entry.table && !entry.view ? renames.get(entry) ?? map.get(entry.alias) : undefined;
    return d && !inside.has(d) && d.json.has(col) ? d : undefined;
  }
  for (const e of scope.entries) {
    const table = e.table ?? e.view;
    if (table) {
      if (findColumn(table, col)) return undefined;
      continue;
    }
    const d = renames.get(e) ?? map.get(e.alias);
    if (d && inside.has(d)) continue; // its own definition cannot read its columns
    if (d) {
      if (d.json.has(col)) return d;
      if (d.columns && !d.columns.some((c) => c.name === col)) continue;
    }
    // A subquery whose columns are not known may hold this name: every JSON column of that name
    // in scope is left as it was.
    for (const x of scope.entries) if (!x.table && !x.view && map.get(x.alias)?.json.has(col)) unsafe.add(x.alias);
    return undefined;
  }
  return undefined;
}

function computeColumns(d: Derived, scope: Scope, map: DerivedMap, unsafe: Set<string>): void {
  const items = d.group.items;
  if (items.some((n) => isWord(n, 'UNION', 'EXCEPT', 'INTERSECT', 'VALUES'))) return;
  const sel = items.findIndex((n) => isWord(n, 'SELECT'));
  if (sel === -1) return;
  const columns: Array<{ name?: string; head?: Token; as?: string }> = [];
  for (const item of listItems(items, listAfter(items, sel))) {
    if (isStar(item)) return;
    const expr = resultExpr(item);
    const s = sigNodes(item);
    const name = hasAlias(item) ? (s[s.length - 1] as Token) : isColumnRef(expr) ? (expr[expr.length - 1] as Token) : undefined;
    const lower = name ? (name.type === 'string' ? name.value : nameOf(name)).toLowerCase() : undefined;
    let head = jsonValueHead(expr);
    let as: string | undefined;
    if (!head && isColumnRef(expr) && resolve(expr, scope, map, new Set([d]), unsafe)) {
      head = expr[0] as Token;
      if (!hasAlias(item)) as = quoteIdent(nameOf(name!));
    }
    columns.push({ name: lower, head, as });
  }
  d.columns = columns;
  for (const c of columns) if (c.name && c.head) d.json.add(c.name);
  // Two columns of one name: not followed.
  for (const c of columns) if (c.name && d.json.has(c.name) && columns.filter((x) => x.name === c.name).length > 1) d.json.delete(c.name);
}

interface Use { ref: Node[]; d: Derived }

/** Reads one level: references to JSON columns, and uses that make a subquery unsafe to change. */
function readLevel(list: Node[], scope: Scope, map: DerivedMap, inside: Set<Derived>, top: boolean, uses: Use[], unsafe: Set<string>, renames: WeakMap<ScopeEntry, Derived>, ctx: Ctx, valueOf = false): void {
  const ownEntries = levelScope(list.map((n): Node => (isGroup(n) ? { ...n, items: [] } : n)), { entries: [], tables: scope.tables }, ctx.catalog).entries;
  // A CTE named in FROM under another name (`FROM c AS x`): x's entry stands for it.
  list.forEach((n, i) => {
    const d = isName(n) ? map.get(nameOf(n as Token).toLowerCase()) : undefined;
    const p = list[prevSig(list, i)];
    if (!d?.cte || !(isWord(p, 'FROM', 'JOIN') || (isType(p, 'comma') && inFrom(list, i)))) return;
    let a = nextSig(list, i);
    if (isWord(list[a], 'AS')) a = nextSig(list, a);
    if (!isName(list[a])) return;
    const alias = nameOf(list[a] as Token).toLowerCase();
    const entry = scope.entries.slice(0, ownEntries.length).find((e) => e.alias === alias && !e.table && !e.view);
    if (entry && !map.has(alias)) renames.set(entry, d);
    else unsafe.add(d.name);
  });
  const own = ownEntries.filter((e) => !e.table && !e.view && map.has(e.alias) && !inside.has(map.get(e.alias)!));
  const ownJson = own.map((e) => map.get(e.alias)!).filter((d) => d.json.size > 0);
  if (ownJson.length > 0 && list.some((n) => isWord(n, 'NATURAL', 'USING'))) for (const d of ownJson) unsafe.add(d.name);
  const sel = list.findIndex((n) => isWord(n, 'SELECT'));
  // Result aliases of this level that are another value: a reference by that name may mean the alias.
  const aliases = new Set<string>();
  // The first node of each result column that is a column reference alone.
  const wholeResults = new Set<Node>();
  if (sel !== -1) {
    for (const item of listItems(list, listAfter(list, sel))) {
      const e = sigNodes(resultExpr(item));
      if (isColumnRef(e)) wholeResults.add(e[0]!);
      if (!hasAlias(item)) continue;
      const s = sigNodes(item);
      const last = s[s.length - 1] as Token;
      const alias = (last.type === 'string' ? last.value : nameOf(last)).toLowerCase();
      const expr = resultExpr(item);
      if (!(isColumnRef(expr) && nameOf(expr[expr.length - 1] as Token).toLowerCase() === alias)) aliases.add(alias);
    }
  }
  if (sel !== -1 && ownJson.length > 0) {
    const items = listItems(list, listAfter(list, sel));
    for (const item of items) {
      if (isStar(item)) {
        const s = sigNodes(item);
        // `FROM c AS x` lists x, then c itself: one table.
        const mine = scope.entries.slice(0, ownEntries.length).filter((e, k, all) => !(k > 0 && renames.get(all[k - 1]!) !== undefined && renames.get(all[k - 1]!) === map.get(e.alias)));
        const entries = s.length === 3 ? scope.entries.filter((e) => e.alias === nameOf(s[0] as Token).toLowerCase()).slice(0, 1) : mine;
        const ds = entries.map((e) => (!e.table && !e.view ? renames.get(e) ?? map.get(e.alias) : undefined));
        if (top && ds.every((d) => d?.columns) && ds.length > 0) {
          (s[s.length - 1] as Token).note = { ...(s[s.length - 1] as Token).note, derivedJsonStar: ds.flatMap((d) => d!.columns!.map((c) => c.name !== undefined && d!.json.has(c.name))) };
        } else for (const d of ownJson) unsafe.add(d.name);
        continue;
      }
    }
  }
  for (let i = 0; i < list.length; i++) {
    const n = list[i]!;
    if (!isName(n)) continue;
    const p = list[prevSig(list, i)];
    if (isOp(p, '.') || isWord(p, 'AS', 'FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE') || (isGroup(p) && isQuery(p)) || isType(p, 'comma') && inFrom(list, i)) {
      continue;
    }
    let end = i;
    while (isOp(list[nextSig(list, end)], '.') && isName(list[nextSig(list, nextSig(list, end))])) end = nextSig(list, nextSig(list, end));
    const next = list[nextSig(list, end)];
    if (isGroup(next) || isWord(next, 'AS') && end === i && isGroup(list[nextSig(list, nextSig(list, end))])) {
      i = end;
      continue;
    }
    const ref = list.slice(i, end + 1);
    if (isColumnRef(ref)) {
      const d = resolve(ref, scope, map, inside, unsafe, renames);
      if (d && end === i && aliases.has(nameOf(n as Token).toLowerCase())) unsafe.add(d.name);
      else if (d && valueOf && wholeResults.has(n)) {
        // The value of a scalar or IN subquery: SQLite's JSON value, where PostgreSQL's would be text.
        fail(ctx, `the json_extract() value ${d.name}.${nameOf(list[end] as Token)} as the value of a subquery`, `SQLite keeps the JSON value's type (the number 2, not the text '2'), which a subquery's value does not carry on PostgreSQL; join ${d.name} in FROM and select the column by name, or CAST it to the type you want.`);
      } else if (d) uses.push({ ref, d });
    }
    i = end;
  }
  list.forEach((n, i) => {
    if (!isGroup(n)) return;
    const d = isQuery(n) && isDerivedTable(list, i) ? map.get(derivedName(list, i)?.name ?? '') : undefined;
    const within = d && d.group === n ? new Set([...inside, d]) : inside;
    const value = isQuery(n) && !isDerivedTable(list, i) && !isWord(list[prevSig(list, i)], 'EXISTS');
    readLevel(n.items, levelScope(n.items, scope, ctx.catalog), map, within, false, uses, unsafe, renames, ctx, value);
  });
}

function inFrom(list: Node[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    if (isWord(list[j], 'FROM', 'JOIN')) return true;
    if (isWord(list[j], 'SELECT', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'ON', 'SET')) return false;
  }
  return false;
}

export function markDerivedJson(tree: Node[], ctx: Ctx): void {
  if (tree.some((n) => isWord(n, 'RECURSIVE'))) return;
  const seen = new Map<string, number>();
  eachDerived(tree, (_g, { name }) => seen.set(name, (seen.get(name) ?? 0) + 1));
  if (seen.size === 0) return;
  const excluded = new Set<string>([...seen].filter(([, k]) => k > 1).map(([n]) => n));
  // JSON value columns of subqueries left as they were (text), where the statement may read them.
  const lost = new Map<string, Derived>();
  const refuseLost = (): void => {
    for (const d of lost.values()) {
      const column = [...d.json].find((c) => readOutside(tree, d.group, c));
      if (column === undefined) continue;
      fail(ctx, `the json_extract() value ${d.name}.${column} read through a \`*\` beside a table, USING, NATURAL or a name used twice`, `SQLite keeps the JSON value's type (the number 2, not the text '2') through a subquery or CTE; PostgreSQL keeps it only where each use selects the column by name (or a \`*\` over such subqueries alone); select ${d.name}.${column} by name, or CAST it to the type you want.`);
    }
  };
  for (let round = 0; round < 8; round++) {
    const map: DerivedMap = new Map();
    const unsafe = new Set<string>();
    const compute = (list: Node[], scope: Scope): void => {
      list.forEach((n, i) => {
        if (!isGroup(n)) return;
        const inner = levelScope(n.items, scope, ctx.catalog);
        compute(n.items, inner);
        if (!isQuery(n) || !isDerivedTable(list, i)) return;
        const name = derivedName(list, i);
        if (!name || excluded.has(name.name)) return;
        const d: Derived = { name: name.name, group: n, cte: name.cte, json: new Set() };
        computeColumns(d, inner, map, unsafe);
        map.set(d.name, d);
      });
    };
    compute(tree, ctx.scope);
    const uses: Use[] = [];
    readLevel(tree, ctx.scope, map, new Set(), true, uses, unsafe, new WeakMap(), ctx);
    if (unsafe.size > 0) {
      for (const u of unsafe) {
        const d = map.get(u);
        if (d && d.json.size > 0) lost.set(u, d);
        excluded.add(u);
      }
      clearStars(tree);
      continue;
    }
    for (const d of map.values()) for (const c of d.columns ?? []) if (c.head && c.name && d.json.has(c.name)) c.head.note = { ...c.head.note, jsonScalar: true, ...(c.as ? { derivedJsonAs: c.as } : {}) };
    for (const u of uses) {
      const first = u.ref[0] as Token;
      first.note = { ...first.note, derivedJson: u.ref.length };
    }
    refuseLost();
    return;
  }
  clearStars(tree);
  refuseLost();
}

/**
 * Whether the statement may read `column` of the derived table `group` outside its definition: a
 * name of that spelling, or a `*` in a select list.
 */
function readOutside(list: Node[], group: Group, column: string): boolean {
  return list.some((n, i) => {
    if (n === group) return false;
    if (isGroup(n)) return readOutside(n.items, group, column);
    if (isName(n) && nameOf(n as Token).toLowerCase() === column) return true;
    return isOp(n, '*') && (isWord(list[prevSig(list, i)], 'SELECT', 'DISTINCT', 'ALL') || isType(list[prevSig(list, i)], 'comma') || isOp(list[prevSig(list, i)], '.'));
  });
}

function clearStars(list: Node[]): void {
  for (const n of list) {
    if (isGroup(n)) clearStars(n.items);
    else if (n.kind === 'token' && n.note?.derivedJsonStar) {
      const { derivedJsonStar: _, ...rest } = n.note;
      n.note = rest;
    }
  }
}
