/**
 * Which tables a statement names and under which aliases, so that a column reference can be
 * resolved to its schema type (the rules that differ by column type need it).
 */
import { findColumn, findTable, type ColumnInfo, type SchemaCatalog, type TableInfo } from '../schema/catalog';
import { CLAUSE_KEYWORDS, VALUE_KEYWORDS } from './keywords';
import { isGroup, isOp, isToken, isType, isWord, nextSig, sigNodes, type Node, type TokenOf } from './nodes';
import type { Token } from './tokenizer';
import { viewTable } from './view-columns';

export interface ScopeEntry {
  alias: string;
  table?: TableInfo;
  /** A view: its columns that are a table's column (see view-columns.ts). */
  view?: TableInfo;
}

export interface Scope {
  entries: ScopeEntry[];
  /** Lower-case names of the catalog tables the statement mentions. */
  tables: Set<string>;
}

export interface ResolvedColumn {
  table: TableInfo;
  column: ColumnInfo;
}

export function emptyScope(): Scope {
  return { entries: [], tables: new Set() };
}

/** A word or quoted identifier usable as a name. */
export function isName(n: Node | undefined): n is TokenOf<'word' | 'qident'> {
  if (isType(n, 'qident')) return true;
  return isWord(n) && !CLAUSE_KEYWORDS.has(n.value) && !VALUE_KEYWORDS.has(n.value);
}

export function nameOf(t: Token): string {
  return t.type === 'qident' ? t.value : t.text;
}

/** Adds a table (by name, resolved in the catalog) to the scope. */
export function addTable(scope: Scope, catalog: SchemaCatalog, name: string, alias?: string): void {
  const table = findTable(catalog, name);
  if (table) scope.tables.add(table.name.toLowerCase());
  const view = table ? undefined : viewTable(catalog, name, resolveIn);
  scope.entries.push({ alias: (alias ?? name).toLowerCase(), table, ...(view ? { view } : {}) });
  if (alias) scope.entries.push({ alias: name.toLowerCase(), table, ...(view ? { view } : {}) });
}

/** Reads the tables after FROM / JOIN / UPDATE / INTO anywhere in the statement. */
export function collectScope(nodes: Node[], catalog: SchemaCatalog, scope: Scope = emptyScope()): Scope {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (isGroup(n)) collectScope(n.items, catalog, scope);
    else if (isWord(n, 'FROM', 'JOIN', 'UPDATE', 'INTO')) {
      let at = i;
      if (n.value === 'UPDATE' && isWord(nodes[nextSig(nodes, i)], 'OR')) at = nextSig(nodes, nextSig(nodes, i)); // UPDATE OR IGNORE t
      readTableList(nodes, at, catalog, scope, n.value === 'FROM', n.value === 'FROM' || n.value === 'JOIN');
    }
  }
  return scope;
}

function readTableList(nodes: Node[], at: number, catalog: SchemaCatalog, scope: Scope, list: boolean, functions: boolean): void {
  let i = nextSig(nodes, at);
  while (i !== -1) {
    let name: string | undefined;
    let j = i;
    if (isName(nodes[i])) {
      name = nameOf(nodes[i] as Token);
      const dot = nextSig(nodes, i);
      if (isOp(nodes[dot], '.') && isName(nodes[nextSig(nodes, dot)])) {
        j = nextSig(nodes, dot); // schema-qualified: main.t
        name = nameOf(nodes[j] as Token);
      }
      if (functions && isGroup(nodes[nextSig(nodes, j)])) j = nextSig(nodes, j); // table-valued function
    } else if (!isGroup(nodes[i])) return;
    let k = nextSig(nodes, j);
    let alias: string | undefined;
    if (isWord(nodes[k], 'AS')) k = nextSig(nodes, k);
    if (isName(nodes[k])) {
      alias = nameOf(nodes[k] as Token);
      k = nextSig(nodes, k);
    }
    if (name !== undefined && !isGroup(nodes[j])) addTable(scope, catalog, name, alias);
    else if (alias) scope.entries.push({ alias: alias.toLowerCase() });
    if (!list || !isType(nodes[k], 'comma')) return;
    i = nextSig(nodes, k);
  }
}

/**
 * The scope of one level of the statement (the statement itself, a subquery, or any parenthesis
 * inside them): the tables its own FROM/JOIN/UPDATE/INTO name (not those of the subqueries nested
 * in it), then the enclosing levels' entries, as SQLite resolves an unqualified column: by the
 * innermost SELECT that has it. `tables` stays the whole statement's.
 */
export function levelScope(nodes: Node[], outer: Scope, catalog: SchemaCatalog): Scope {
  const shallow = nodes.map((n): Node => (isGroup(n) ? { ...n, items: [] } : n));
  const own = collectScope(shallow, catalog, { entries: [], tables: outer.tables });
  return own.entries.length === 0 ? outer : { entries: [...own.entries, ...outer.entries], tables: outer.tables };
}

/** Runs `fn` with the scope of the level `nodes` (a subquery's own tables first), then restores it. */
export function withLevel<T>(ctx: { scope: Scope; catalog: SchemaCatalog }, nodes: Node[], fn: () => T): T {
  const outer = ctx.scope;
  ctx.scope = levelScope(nodes, outer, ctx.catalog);
  try {
    return fn();
  } finally {
    ctx.scope = outer;
  }
}

/** Resolves `col`, `t.col` or `main.t.col` to a catalog column, when the nodes are exactly that. */
export function resolveColumn(nodes: Node[], scope: Scope): ResolvedColumn | undefined {
  const s = sigNodes(nodes);
  if (s.length === 1 && isName(s[0])) return lookup(scope, undefined, nameOf(s[0]));
  if (s.length === 3 && isName(s[0]) && isOp(s[1], '.') && isName(s[2])) return lookup(scope, nameOf(s[0] as Token), nameOf(s[2]));
  if (s.length === 5 && isName(s[2]) && isOp(s[3], '.') && isName(s[4]) && isOp(s[1], '.')) return lookup(scope, nameOf(s[2] as Token), nameOf(s[4]));
  return undefined;
}

function lookup(scope: Scope, qualifier: string | undefined, column: string): ResolvedColumn | undefined {
  if (qualifier !== undefined) {
    const entry = scope.entries.find((e) => e.alias === qualifier.toLowerCase());
    const table = entry?.table ?? entry?.view;
    const col = table && findColumn(table, column);
    return col ? { table: table!, column: col } : undefined;
  }
  for (const e of scope.entries) {
    const table = e.table ?? e.view;
    const col = table && findColumn(table, column);
    if (col) return { table: table!, column: col };
  }
  return undefined;
}

/** A view's column `ref` resolved among the tables its definition's FROM clause names (see view-columns.ts). */
function resolveIn(ref: Node[], from: Node[], catalog: SchemaCatalog): ColumnInfo | undefined {
  return isColumnRef(ref) ? resolveColumn(ref, collectScope(from, catalog))?.column : undefined;
}

export function isColumnRef(nodes: Node[]): boolean {
  const s = sigNodes(nodes);
  return (
    (s.length === 1 && isName(s[0])) ||
    (s.length === 3 && isName(s[0]) && isOp(s[1], '.') && isName(s[2])) ||
    (s.length === 5 && isName(s[0]) && isOp(s[1], '.') && isName(s[2]) && isOp(s[3], '.') && isName(s[4]))
  );
}

export { isToken };
