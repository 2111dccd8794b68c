/**
 * Result aliases as SQLite treats them: names that keep their case (PostgreSQL folds unquoted
 * ones), and that WHERE and HAVING may use (PostgreSQL allows them in ORDER BY and GROUP BY only).
 */
import type { Ctx } from '../context';
import { quoteIdent } from '../context';
import { sigNodes, splitCommas, type Node } from '../nodes';
import { collectScope, isColumnRef, isName, nameOf, type ScopeEntry } from '../scope';
import type { Token } from '../tokenizer';
import { expressionSpan, isWordNode } from './result-names';
import { hasAlias, isStar, listAfter, listItems } from './select-list';

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
        if (only.length === 1 && only[0]!.kind === 'token' && only[0].type === 'param' && !only[0].note?.cast) only[0].note = { ...only[0].note, cast: only[0].note?.valueType ?? 'text' };
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
