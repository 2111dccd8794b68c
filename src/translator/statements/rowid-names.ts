/**
 * SQLite's names of the rowid in a statement: `rowid`, `oid` and `_rowid_` (any case, quoted or
 * not), where no column of the table has that name, are the table's rowid: its INTEGER PRIMARY
 * KEY, or the hidden rowid column (src/schema/rowid.ts). Each reference is renamed to that column
 * before the rest of the translation, which then types, compares and names it as the column (a
 * result column keeps SQLite's name: the INTEGER PRIMARY KEY's, or `rowid`; result-names.ts).
 * An unqualified name is resolved as SQLite resolves it: against the tables of its own SELECT,
 * then the enclosing ones. Two tables with a rowid at the level that resolves it is an ambiguous
 * name in SQLite too: refused, with the fix (qualify it).
 */
import { findTable, rowidColumnNamed, ROWID_NAMES, type TableInfo } from '../../schema/catalog';
import { fail, quoteIdent, type Ctx } from '../context';
import { isGroup, isOp, isWord, nextSig, prevSig, type Node } from '../nodes';
import { collectScope, nameOf, type ScopeEntry } from '../scope';
import type { Token } from '../tokenizer';

/** The FROM items of one level: (alias, table) once per item, an aliased table under its alias only. */
function levelItems(entries: ScopeEntry[]): Array<{ alias: string; table: TableInfo }> {
  const items: Array<{ alias: string; table: TableInfo }> = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (!e.table) continue;
    // addTable pushes an aliased table twice: under its alias, then under its name.
    const next = entries[i + 1];
    if (next && next.table === e.table && next.alias === e.table.name.toLowerCase() && e.alias !== next.alias) i++;
    items.push({ alias: e.alias, table: e.table });
  }
  return items;
}

function isRowidName(n: Node | undefined): n is Token {
  return n !== undefined && n.kind === 'token' && (n.type === 'word' || n.type === 'qident') && ROWID_NAMES.has(nameOf(n).toLowerCase());
}

/**
 * The token becomes a quoted name of the column for every rule (nameOf reads a quoted name's
 * value) and is written as that column; its text stays the source's, so that a result column's
 * name, taken from the source text, is the one SQLite gives.
 */
function rename(token: Token, column: string): void {
  (token as { type: Token['type'] }).type = 'qident';
  token.value = column;
  token.note = { ...token.note, replace: quoteIdent(column) };
}

export function renameRowidReferences(tree: Node[], ctx: Ctx): void {
  if (!containsRowidName(tree)) return;
  const visit = (list: Node[], outer: Array<Array<{ alias: string; table: TableInfo }>>): void => {
    const shallow = list.map((n) => (isGroup(n) ? { ...n, items: [] } : n));
    const own = levelItems(collectScope(shallow, ctx.catalog).entries);
    const levels = own.length > 0 ? [own, ...outer] : outer;
    list.forEach((n, i) => {
      if (isGroup(n)) return visit(n.items, levels);
      if (!isRowidName(n)) return;
      const next = list[nextSig(list, i)];
      if (isGroup(next) || isOp(next, '.')) return; // a function, a qualifier
      const before = list[prevSig(list, i)];
      if (isWord(before, 'AS', 'FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE')) return; // an alias, a table's name
      if (isOp(before, '.')) {
        const qualifier = list[prevSig(list, prevSig(list, i))];
        if (qualifier?.kind !== 'token') return;
        const name = nameOf(qualifier).toLowerCase();
        const item = levels.flat().find((it) => it.alias === name) ?? fromCatalog(ctx, name);
        const column = item && rowidColumnNamed(item.table, nameOf(n));
        if (column) rename(n, column.name);
        return;
      }
      for (const level of levels) {
        // A column of that name at this level is that column, not the rowid.
        if (level.some((it) => it.table.columns.some((c) => c.name.toLowerCase() === nameOf(n).toLowerCase()))) return;
        const owners = level.filter((it) => it.table.rowid);
        if (owners.length === 0) continue;
        if (owners.length > 1) {
          fail(ctx, `${nameOf(n)} of ${owners.map((o) => o.alias).join(', ')}`, `the name is ambiguous (SQLite: "ambiguous column name"); write the table before it (${owners[0]!.alias}.${nameOf(n)}).`);
        }
        const column = rowidColumnNamed(owners[0]!.table, nameOf(n));
        if (column) rename(n, column.name);
        return;
      }
    });
  };
  visit(tree, []);
}

function fromCatalog(ctx: Ctx, name: string): { alias: string; table: TableInfo } | undefined {
  const table = findTable(ctx.catalog, name);
  return table ? { alias: name, table } : undefined;
}

function containsRowidName(list: Node[]): boolean {
  return list.some((n) => (isGroup(n) ? containsRowidName(n.items) : isRowidName(n)));
}
